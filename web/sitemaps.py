"""sitemap.xml: every public page a search engine should know, dated by the data version loaded."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from core.versioning import current_data_version
from projects.models import Area, Phase, Project, Source, Theme


class _EvidenceSitemap(Sitemap):
    """Every page changes only when the evidence is loaded again, so all share the load's date."""

    def lastmod(self, item):
        return current_data_version()["loaded_at"]


class StaticPages(_EvidenceSitemap):
    priority = 0.8

    def items(self):
        return ["home", "project-list", "area-list", "theme-list", "phase-list", "source-list", "explore",
                "downloads", "evidence-rubric", "evidence-gap-map", "about", "licence", "accessibility", "left-out"]

    def location(self, item):
        return reverse(item)


class ModelPages(_EvidenceSitemap):
    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset


SITEMAPS = {
    "pages": StaticPages(),
    "projects": ModelPages(Project.objects.only("slug").order_by("slug")),
    "areas": ModelPages(Area.objects.only("slug").order_by("slug")),
    "themes": ModelPages(Theme.objects.only("slug").order_by("slug")),
    "phases": ModelPages(Phase.objects.only("slug").order_by("slug")),
    "sources": ModelPages(Source.objects.only("key").order_by("key")),
}
