from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("oa_evidence.api_urls")),
    path("", include("projects.urls")),
]

handler404 = "projects.views.not_found"
handler500 = "projects.views.server_error"
