"""Read-only API for cost lines: each cell of each cost table, with its citation."""

from core.api import ReadOnlyViewSet
from costs.filters import CostLineFilter
from costs.models import CostLine
from costs.serializers import CostLineSerializer
from projects.serializers import citations_prefetch


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
