from django.contrib import admin

from core.models import DataVersion


@admin.register(DataVersion)
class DataVersionAdmin(admin.ModelAdmin):
    list_display = ["short_hash", "loaded_at"]
