"""What the web layer stores: each project's API documents and the pages rendered once per load."""

from django.conf import settings
from django.db import models

from web.fingerprint import CODE


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


class PageKind(models.TextChoices):
    PROJECT = "project", "Project page"
    AREA = "area", "Area page"
    THEME = "theme", "Theme page"
    PHASE = "phase", "Phase page"
    CARD = "card", "Project card"  # its figures part: what changed, evidence, cost, tags (web/cards.py)


class StoredPageQuerySet(models.QuerySet):
    def servable(self):
        """The rows rendered by the code now running; none with DEBUG on, so template edits show at once."""
        return self.none() if settings.DEBUG else self.filter(code=CODE)


class StoredPage(models.Model):
    """HTML rendered when the evidence is loaded (web/stored.py): a project page's content, or
    the summary of an area, theme or phase (its spend, charts, outcomes and sources), so a request
    reads one row instead of running a dozen queries and rendering hundreds of template nodes.

    `code` names the templates and code that rendered it: a row rendered by other code is never
    served (the page is rendered live instead) until the next load or refresh rebuilds it.
    """

    kind = models.CharField(max_length=10, choices=PageKind.choices)
    key = models.CharField(max_length=120, help_text="The project's, area's, theme's or phase's slug")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    html = models.TextField()
    has_charts = models.BooleanField(default=False, help_text="Whether the page needs the chart script")
    code = models.CharField(max_length=64, help_text="Fingerprint of the code that rendered it")

    objects = StoredPageQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_stored_page_per_subject")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


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
