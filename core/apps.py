from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Machinery every app shares; it knows nothing of the domain."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"
