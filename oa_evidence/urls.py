from django.contrib import admin
from django.urls import include, path

from core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("web.api_urls")),
    path("", include("web.urls")),
]

handler404 = "web.views.not_found"
handler500 = "web.views.server_error"
