"""Views every deployment needs, whatever the domain: a health check for load balancers and a
rate-limited admin login."""

from django.contrib import admin
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse

from core.throttling import count_request

RETRY_AFTER_SECONDS = 30


def healthz(request):
    """200 when the database answers, 503 otherwise. The cache is reported but does not decide:
    without it every response comes from the database, slower but correct, so an instance that
    has lost Redis must stay in the load balancer ("degraded")."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unavailable: {type(error).__name__}"
    try:
        caches["default"].set("healthz", "ok", 10)
        checks["cache"] = "ok" if caches["default"].get("healthz") == "ok" else "unavailable: no round trip"
    except Exception as error:  # noqa: BLE001 - any cache failure is reported, not raised
        checks["cache"] = f"unavailable: {type(error).__name__}"
    healthy = checks["database"] == "ok"
    state = ("ok" if checks["cache"] == "ok" else "degraded") if healthy else "unavailable"
    response = JsonResponse({"status": state, **checks}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    if not healthy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


ADMIN_LOGIN_ATTEMPTS = 5  # per client, per ADMIN_LOGIN_WINDOW seconds
ADMIN_LOGIN_WINDOW = 300


def throttled_admin_login(request, *args, **kwargs):
    """The admin login, refusing a client's sixth attempt in five minutes with a 429."""
    if request.method == "POST":
        attempts, _ = count_request(f"admin-login:{request.META.get('REMOTE_ADDR', '')}", ADMIN_LOGIN_WINDOW)
        if attempts > ADMIN_LOGIN_ATTEMPTS:
            response = HttpResponse("Too many login attempts; try again in a few minutes.", status=429,
                                    content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(ADMIN_LOGIN_WINDOW)
            return response
    return admin.site.login(request, *args, **kwargs)
