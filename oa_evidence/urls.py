from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.views import healthz, throttled_admin_login

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("web.api_urls")),
    path("", include("web.urls")),
]

# The admin is served only where it is wanted (ADMIN_ENABLED), and its login is rate-limited.
if settings.ADMIN_ENABLED:
    urlpatterns[:0] = [path("admin/login/", throttled_admin_login), path("admin/", admin.site.urls)]

handler404 = "web.views.not_found"
handler500 = "web.views.server_error"
