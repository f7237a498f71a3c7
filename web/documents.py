"""Each project's API documents and page, rendered once per load and stored (web.models.ProjectDocument,
web.models.StoredPage: see web/stored.py for the pages).

The serializers stay the one definition of what a project looks like in the API; this module
only runs them ahead of time, in chunks, so memory stays flat whatever the number of projects.
"""

from __future__ import annotations

from core.csv import flatten, stored_row
from core.renderers import ORJSONRenderer
from projects.models import Project
from web.api import ProjectDetailSerializer, ProjectSerializer
from web.cards import stored_figures
from web.models import PageKind, ProjectDocument, StoredPage
from web.stored import stored_project_page

CHUNK = 500
LIST_FIELDS = ProjectSerializer.Meta.fields


def rebuild_project_documents() -> int:
    """Render and store every project's detail document, list row, page and card (a fixed number of
    queries per chunk of projects, and the similar projects' three each)."""
    render = ORJSONRenderer().render
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    ProjectDocument.objects.all().delete()
    StoredPage.objects.filter(kind__in=[PageKind.PROJECT, PageKind.CARD]).delete()
    for start in range(0, len(ids), CHUNK):
        projects = list(Project.objects.for_detail().filter(pk__in=ids[start:start + CHUNK]).order_by("pk"))
        documents, project_pages = [], []
        for project, detail in zip(projects, ProjectDetailSerializer(projects, many=True).data, strict=True):
            # The detail extends the list serializer, so a list row is the detail's list fields.
            row = {name: detail[name] for name in LIST_FIELDS}
            documents.append(ProjectDocument(project_id=project.pk, detail=render(detail).decode(),
                                             row=render(row).decode(), csv_row=stored_row(flatten(row))))
            project_pages += [stored_project_page(project), stored_figures(project)]
        ProjectDocument.objects.bulk_create(documents)
        StoredPage.objects.bulk_create(project_pages)
    return len(ids)
