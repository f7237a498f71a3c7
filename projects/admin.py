"""Admin pages for curators to inspect what was loaded. The fixtures stay the source of truth:
a change made here is overwritten by the next load_evidence."""

from django.contrib import admin

from projects.models import (
    Area,
    AreaFigure,
    Citation,
    Finding,
    Intervention,
    Organisation,
    Phase,
    ProjectOrganisation,
    Source,
    Theme,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "publisher", "published", "kind"]
    list_filter = ["kind"]
    search_fields = ["key", "title"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["source", "locator", "quote"]
    list_filter = ["source"]
    search_fields = ["locator", "quote"]
    list_select_related = ["source"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "region"]
    list_filter = ["kind"]


@admin.register(AreaFigure)
class AreaFigureAdmin(admin.ModelAdmin):
    list_display = ["area", "label", "value", "unit", "note", "curation_note"]
    list_filter = ["area"]
    list_select_related = ["area"]
    exclude = ["citations"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class RoleInline(admin.TabularInline):
    model = ProjectOrganisation
    extra = 0


class InterventionInline(admin.TabularInline):
    model = Intervention
    extra = 0
    fields = ["name", "provider", "delivery"]


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["kind", "title", "text"]
