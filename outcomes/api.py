"""Read-only API for outcome measures: baseline, follow-up, comparator and derived change."""

from core.api import ReadOnlyViewSet
from outcomes.filters import OutcomeFilter
from outcomes.models import OutcomeMeasure
from outcomes.serializers import OutcomeSerializer
from projects.serializers import citations_prefetch


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
