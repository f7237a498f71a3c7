"""What the web layer stores: each project's API documents, rendered once per load."""

from django.db import models


class ProjectDocument(models.Model):
    """A project's API representations as JSON text, rendered by the serializers in web/api.py
    when the evidence is loaded (`finish_load()`), so an API request reads one row and writes it
    out instead of composing the document from a dozen queries.

    The data changes only when the evidence is loaded, and every load rebuilds these, so they
    cannot disagree with the serializers (tests/test_documents.py checks it field for field).
    """

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, primary_key=True,
                                   related_name="document")
    detail = models.TextField(help_text="/api/v1/projects/<slug>/: ProjectDetailSerializer's output")
    row = models.TextField(help_text="One row of /api/v1/projects/: ProjectSerializer's output")
    # JSON numbers lose a decimal's trailing zeros (1230000.00 becomes 1230000.0), so the CSV row,
    # which writes amounts as the serializer gives them, is kept apart, with decimals as text.
    csv_row = models.TextField(help_text="The same row flattened for ?format=csv")

    def __str__(self) -> str:
        return f"Documents of {self.project_id}"


class ChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    CHANGED = "changed", "Changed"
    REMOVED = "removed", "Removed"


class DataChange(models.Model):
    """A project that a load added, removed or changed, found by comparing the documents the
    load before it stored with the ones it stored (web/changes.py)."""

    version = models.ForeignKey("core.DataVersion", on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    slug = models.CharField(max_length=120)
    title = models.CharField(max_length=300)
    fields = models.JSONField(default=list, blank=True, help_text="The document's fields that changed")

    class Meta:
        ordering = ["kind", "slug"]
        constraints = [models.UniqueConstraint(fields=["version", "slug"], name="one_change_per_project_and_load")]

    def __str__(self) -> str:
        return f"{self.slug} {self.kind}"
