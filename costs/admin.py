"""Admin pages for cost records; the inlines appear on the project page (web/admin.py)."""

from django.contrib import admin

from costs.models import CostBasis, CostCount, CostLine, CostTotal


class CostLineInline(admin.TabularInline):
    model = CostLine
    extra = 0
    fields = ["table", "description", "category", "period_label", "amount", "funding_source"]


class CostTotalInline(admin.TabularInline):
    model = CostTotal
    extra = 0
    fields = ["table", "label", "kind", "amount", "scope", "checked_lines"]


class CostCountInline(admin.TabularInline):
    model = CostCount
    extra = 0
    fields = ["unit", "count", "per", "covers", "cohorts", "start_year", "end_year", "qualifier"]


@admin.register(CostLine)
class CostLineAdmin(admin.ModelAdmin):
    list_display = ["project", "table", "description", "period_label", "amount", "funding_source"]
    list_filter = ["category", "funding_source"]
    list_select_related = ["project"]


@admin.register(CostBasis)
class CostBasisAdmin(admin.ModelAdmin):
    list_display = ["project", "basis", "covers", "start_year", "end_year"]
    list_select_related = ["project"]
