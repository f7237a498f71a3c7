"""Admin pages for outcome measures, evidence inputs and headlines."""

from django.contrib import admin

from outcomes.models import EvidenceAssessment, Headline, OutcomeMeasure


class OutcomeInline(admin.TabularInline):
    model = OutcomeMeasure
    extra = 0
    fields = ["metric", "unit", "baseline_value", "baseline_year", "followup_value", "followup_year", "note",
              "curation_note"]


@admin.register(EvidenceAssessment)
class EvidenceAssessmentAdmin(admin.ModelAdmin):
    list_display = ["project", "design", "evaluator", "sample_schools", "sample_pupils"]
    list_filter = ["design", "evaluator"]
    list_select_related = ["project"]


@admin.register(Headline)
class HeadlineAdmin(admin.ModelAdmin):
    list_display = ["project", "direction", "statement"]
    list_filter = ["direction"]
    list_select_related = ["project"]
