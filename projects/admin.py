"""Admin pages for curators to inspect what was loaded. The fixtures stay the source of truth:
a change made here is overwritten by the next load_evidence."""

from django.contrib import admin

from costs.models import CostLine, CostTotal
from outcomes.models import OutcomeMeasure
from projects.models import (
    Area,
    Citation,
    DataVersion,
    Finding,
    Intervention,
    Organisation,
    Phase,
    Project,
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


class CostLineInline(admin.TabularInline):
    model = CostLine
    extra = 0
    fields = ["table", "description", "category", "period_label", "amount", "funding_source"]


class CostTotalInline(admin.TabularInline):
    model = CostTotal
    extra = 0
    fields = ["table", "label", "kind", "amount", "scope", "checked_lines"]


class OutcomeInline(admin.TabularInline):
    model = OutcomeMeasure
    extra = 0
    fields = ["metric", "unit", "baseline_value", "baseline_year", "followup_value", "followup_year"]


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["kind", "title", "text"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "parent", "start_year", "end_year"]
    list_filter = ["area", "themes", "phases"]
    search_fields = ["title", "summary"]
    list_select_related = ["area", "parent"]
    exclude = ["search_vector", "citations", "reach_citations"]
    inlines = [RoleInline, InterventionInline, CostLineInline, CostTotalInline, OutcomeInline, FindingInline]


@admin.register(DataVersion)
class DataVersionAdmin(admin.ModelAdmin):
    list_display = ["short_hash", "loaded_at"]
