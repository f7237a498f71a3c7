"""The one model the machinery needs: which load of the evidence the database holds."""

from django.db import models


class DataVersion(models.Model):
    """One load of the fixtures: the hash of their content and when it was loaded."""

    content_hash = models.CharField(max_length=64, unique=True)
    loaded_at = models.DateTimeField()
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-loaded_at"]
        get_latest_by = "loaded_at"
        db_table = "projects_dataversion"  # created by projects' first migration, before this app existed

    def __str__(self) -> str:
        return self.short_hash

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]
