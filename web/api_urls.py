from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from costs.api import CostLineViewSet
from outcomes.api import OutcomeViewSet
from projects.api import AreaViewSet, OrganisationViewSet, PhaseViewSet, SourceViewSet, ThemeViewSet
from web.api import ProjectViewSet
from web.dictionary import DataDictionaryView

app_name = "api"
router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("projects", ProjectViewSet, basename="project")
router.register("outcomes", OutcomeViewSet, basename="outcome")
router.register("costs", CostLineViewSet, basename="cost")
router.register("themes", ThemeViewSet, basename="theme")
router.register("phases", PhaseViewSet, basename="phase")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("sources", SourceViewSet, basename="source")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:api-schema"), name="api-docs"),
    path("dictionary/", DataDictionaryView.as_view(), name="api-dictionary"),
    path("", include(router.urls)),
]
