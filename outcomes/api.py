"""Read-only API for outcome measures: baseline, follow-up, comparator and derived change."""

from rest_framework import serializers

from oa_evidence.api import ReadOnlyViewSet
from outcomes.filters import OutcomeFilter
from outcomes.models import OutcomeMeasure
from projects.api import CitationSerializer, OutcomeValuesMixin, citations_prefetch


class OutcomeSerializer(OutcomeValuesMixin, serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    area = serializers.CharField(source="project.area.slug", read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = OutcomeMeasure
        fields = ["id", "project", "area", *OutcomeValuesMixin.OUTCOME_FIELDS, "citations"]


class OutcomeViewSet(ReadOnlyViewSet):
    """Outcome measures; values are as reported, `change` and the gaps are derived."""

    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter
    lookup_field = "pk"
    csv_filename = "outcomes"

    def get_queryset(self):
        return (
            OutcomeMeasure.objects.select_related("project__area", "phase")
            .prefetch_related(citations_prefetch())
            .order_by("project__title", "order")
        )
