"""What each load changed: the projects it added, removed or changed, against the documents the
load before it stored (web.ProjectDocument), recorded per data version (web.DataChange) for the
change log page and its Atom feed."""

from __future__ import annotations

import hashlib

import orjson

from core.models import DataVersion
from web.models import ChangeKind, DataChange, ProjectDocument


def snapshot() -> dict[str, dict]:
    """Each stored project document as its title and a digest of each field (one query)."""
    documents = {}
    for slug, detail in ProjectDocument.objects.values_list("project__slug", "detail").iterator(chunk_size=500):
        document = orjson.loads(detail)
        documents[slug] = {"title": document.get("title", ""),
                           "fields": {name: hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS))
                                      .hexdigest() for name, value in document.items()}}
    return documents


def changes_between(before: dict[str, dict], after: dict[str, dict]) -> list[tuple[str, str, str, list[str]]]:
    """(kind, slug, title, changed fields) of every project added, removed or changed."""
    found = [(ChangeKind.ADDED, slug, after[slug]["title"], []) for slug in sorted(after.keys() - before.keys())]
    found += [(ChangeKind.REMOVED, slug, before[slug]["title"], []) for slug in sorted(before.keys() - after.keys())]
    for slug in sorted(before.keys() & after.keys()):
        old, new = before[slug]["fields"], after[slug]["fields"]
        if fields := sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name)):
            found.append((ChangeKind.CHANGED, slug, after[slug]["title"], fields))
    return found


def record_changes(before: dict[str, dict], *, content_hash: str) -> int:
    """Store what the load of `content_hash` changed. A reload that changed nothing keeps the log
    its version already has."""
    version = DataVersion.objects.get(content_hash=content_hash)
    found = changes_between(before, snapshot())
    if not found and version.changes.exists():
        return 0
    version.changes.all().delete()
    DataChange.objects.bulk_create(DataChange(version=version, kind=kind, slug=slug, title=title[:300], fields=fields)
                                   for kind, slug, title, fields in found)
    return len(found)
