from django.apps import AppConfig


class WebConfig(AppConfig):
    """What users and curators meet: pages, the API, charts, comparisons and the loader."""

    name = "web"
    verbose_name = "Pages, API and loading"
