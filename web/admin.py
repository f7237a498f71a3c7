"""The project admin page, composed from each app's inlines. Curators inspect what was loaded;
the fixtures stay the source of truth, and the next load_evidence overwrites any change."""

from django.contrib import admin

from costs.admin import CostCountInline, CostLineInline, CostTotalInline
from outcomes.admin import OutcomeInline
from projects.admin import FindingInline, InterventionInline, RoleInline
from projects.models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "parent", "start_year", "end_year"]
    list_filter = ["area", "themes", "phases"]
    search_fields = ["title", "summary"]
    list_select_related = ["area", "parent"]
    exclude = ["search_vector", "citations", "reach_citations"]
    inlines = [RoleInline, InterventionInline, CostLineInline, CostTotalInline, CostCountInline, OutcomeInline,
               FindingInline]
