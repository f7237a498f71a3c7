"""Views every deployment needs, whatever the domain: a health check for load balancers."""

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import JsonResponse

RETRY_AFTER_SECONDS = 30


def healthz(request):
    """200 when the database answers and the cache stores and returns a value; 503 otherwise."""
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
    except Exception as error:  # noqa: BLE001 - any cache failure makes the instance unhealthy
        checks["cache"] = f"unavailable: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    if not healthy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
