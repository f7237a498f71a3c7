"""Serializers of outcome measures: reported values as numbers, derived change and gaps."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import NULLABLE_NUMBER, NULLABLE_STRING
from core.serializers import RecordSerializer
from outcomes.figures import outcome_figures, reported_change, reported_change_text
from outcomes.models import OutcomeMeasure
from projects.serializers import CitationSerializer, Cited

MEASURE = {"max_digits": 14, "decimal_places": 3, "coerce_to_string": False, "read_only": True}


class OutcomeValuesMixin(serializers.Serializer):
    """Reported values as numbers, and the derived change and gaps with their formulas."""

    phase = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    baseline_value = serializers.DecimalField(**MEASURE)
    followup_value = serializers.DecimalField(**MEASURE)
    comparator_baseline_value = serializers.DecimalField(**MEASURE)
    comparator_followup_value = serializers.DecimalField(**MEASURE)
    change = serializers.SerializerMethodField()
    gap_before = serializers.SerializerMethodField()
    gap_after = serializers.SerializerMethodField()
    reported_change = serializers.SerializerMethodField()
    reported_change_text = serializers.SerializerMethodField()
    comparator_reported_change = serializers.SerializerMethodField()

    OUTCOME_FIELDS = ["metric", "subject", "phase", "group", "unit", "baseline_value", "baseline_year",
                      "followup_value", "followup_year", "comparator_label", "comparator_baseline_value",
                      "comparator_followup_value", "change", "gap_before", "gap_after", "reported_change",
                      "reported_change_unit", "reported_change_period", "reported_change_text",
                      "comparator_reported_change", "evidence_type", "kind", "note"]

    def _derived(self, measure, name):
        cache = getattr(measure, "_figures", None)
        if cache is None:
            cache = measure._figures = outcome_figures(measure=measure)
        return cache[name].value

    @extend_schema_field(NULLABLE_NUMBER)
    def get_change(self, measure):
        return self._derived(measure, "change")

    @extend_schema_field(NULLABLE_NUMBER)
    def get_gap_before(self, measure):
        return self._derived(measure, "gap_before")

    @extend_schema_field(NULLABLE_NUMBER)
    def get_gap_after(self, measure):
        return self._derived(measure, "gap_after")

    @extend_schema_field(NULLABLE_NUMBER)
    def get_reported_change(self, measure):
        return reported_change(measure=measure)

    @extend_schema_field(NULLABLE_STRING)
    def get_reported_change_text(self, measure):
        return reported_change_text(measure=measure) or None  # null, never "", as every missing value

    @extend_schema_field(NULLABLE_NUMBER)
    def get_comparator_reported_change(self, measure):
        return reported_change(measure=measure, comparator=True)


class NestedOutcomeSerializer(OutcomeValuesMixin, Cited):
    class Meta:
        model = OutcomeMeasure
        fields = [*OutcomeValuesMixin.OUTCOME_FIELDS, "citations"]


class OutcomeSerializer(OutcomeValuesMixin, RecordSerializer):
    id = serializers.IntegerField(read_only=True)
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    area = serializers.CharField(source="project.area.slug", read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = OutcomeMeasure
        fields = ["id", "project", "area", *OutcomeValuesMixin.OUTCOME_FIELDS, "citations"]
