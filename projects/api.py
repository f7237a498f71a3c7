"""Read-only API for areas, themes, phases, organisations and sources."""

from django.db.models import Count

from core.api import ReadOnlyViewSet
from projects.models import Area, Organisation, Phase, Source, Theme
from projects.serializers import (
    AreaSerializer,
    OrganisationSerializer,
    PhaseSerializer,
    SourceSerializer,
    ThemeSerializer,
)


class AreaViewSet(ReadOnlyViewSet):
    """The twelve Opportunity Areas and the other areas evidence comes from."""

    queryset = Area.objects.annotate(project_count=Count("projects")).order_by("name")
    serializer_class = AreaSerializer
    csv_filename = "areas"

class ThemeViewSet(AreaViewSet):
    """Themes, each with its broader theme (`parent`) and its sub-themes (`children`)."""

    queryset = (Theme.objects.with_project_counts().select_related("parent").prefetch_related("children")
                .order_by("name"))
    serializer_class = ThemeSerializer
    csv_filename = "themes"

class PhaseViewSet(AreaViewSet):
    queryset = Phase.objects.annotate(project_count=Count("projects")).order_by("order")
    serializer_class = PhaseSerializer
    csv_filename = "phases"

class OrganisationViewSet(AreaViewSet):
    queryset = Organisation.objects.annotate(project_count=Count("projects", distinct=True)).order_by("name")
    serializer_class = OrganisationSerializer
    csv_filename = "organisations"

class SourceViewSet(AreaViewSet):
    queryset = Source.objects.defer("text").annotate(citation_count=Count("citations")).order_by("key")
    serializer_class = SourceSerializer
    lookup_field = "key"
    csv_filename = "sources"
