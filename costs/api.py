"""Read-only API for cost lines: each cell of each cost table, with its citation."""

from rest_framework import serializers

from costs.filters import CostLineFilter
from costs.models import CostLine
from oa_evidence.api import ReadOnlyViewSet
from projects.api import CitationSerializer, citations_prefetch


class CostLineSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    area = serializers.CharField(source="project.area.slug", read_only=True)
    period = serializers.CharField(source="period_label")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = CostLine
        fields = ["id", "project", "area", "table", "description", "category", "period", "start_year", "end_year",
                  "amount", "funding_source", "citations"]


class CostLineViewSet(ReadOnlyViewSet):
    """Cost lines as the documents state them (reported figures, GBP)."""

    serializer_class = CostLineSerializer
    filterset_class = CostLineFilter
    lookup_field = "pk"
    csv_filename = "cost-lines"

    def get_queryset(self):
        return (
            CostLine.objects.select_related("project__area")
            .prefetch_related(citations_prefetch())
            .order_by("project__title", "order")
        )
