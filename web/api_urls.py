from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from core.versioning import current_data_version
from costs.api import CostLineViewSet
from outcomes.api import OutcomeViewSet
from projects.api import AreaViewSet, OrganisationViewSet, PhaseViewSet, SourceViewSet, ThemeViewSet
from web.api import ProjectViewSet
from web.dictionary import DataDictionaryView
from web.export import LICENCE, LICENCE_STATEMENT, attribution

app_name = "api"


class APIRoot(DefaultRouter.APIRootView):
    """The API's endpoints, with the licence of the data and where to download all of it."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data = {**response.data, "licence": LICENCE["title"], "licence_url": LICENCE["path"],
                         "licence_statement": LICENCE_STATEMENT,
                         "attribution": attribution(current_data_version()["hash"]),
                         "downloads": request.build_absolute_uri("/data/")}
        return response


router = DefaultRouter()
router.APIRootView = APIRoot
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
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:api-schema",
                                                              template_name="api/swagger_ui.html"), name="api-docs"),
    path("dictionary/", DataDictionaryView.as_view(), name="api-dictionary"),
    path("", include(router.urls)),
]
