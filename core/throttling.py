"""The API throttle, kept apart from core.api so DRF can load it while its own modules import."""

from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle


class AnonThrottle(AnonRateThrottle):
    """The anonymous rate, counted in the throttle's own cache (shared by every worker with Redis)."""

    cache = caches["throttle"]
