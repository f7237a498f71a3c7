"""Load the curated evidence in fixtures/ into the database.

    read and validate every file (read.py) -> write it all in one transaction (write.py)
    -> finish_load(): derived figures, search vectors, data version (finish.py)

Nothing is written unless every file is valid; every problem names its file, record and field.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from core.models import DataVersion
from core.versioning import forget_data_version
from projects.models import Project
from web import changes
from web.loading.lock import DEFAULT_WAIT_SECONDS, LoadInProgress, load_lock
from web.loading.read import FixtureReader, Parsed, content_hash
from web.loading.records import FixtureError
from web.loading.write import write

__all__ = ["FixtureError", "LoadInProgress", "Parsed", "is_loaded", "load_evidence", "load_lock"]


def is_loaded(root: Path) -> bool:
    """Whether the latest load was of exactly these fixtures (a hash of every file)."""
    latest = DataVersion.objects.order_by("-loaded_at").first()
    return latest is not None and latest.content_hash == content_hash(Path(root))


# More projects than this disappearing in one load is more likely a mistake than a decision.
REMOVALS_WITHOUT_ASKING = 5


def load_evidence(root: Path, *, check_only: bool = False, allow_removals: bool = False,
                  wait: float = DEFAULT_WAIT_SECONDS, on_wait=None) -> tuple[Parsed, dict[str, int] | None]:
    """Validate the fixtures under `root` and (unless check_only) load them atomically, one load
    at a time: a second load waits up to `wait` seconds for the first, then raises LoadInProgress."""
    parsed = FixtureReader(root).read()
    if check_only:
        return parsed, None
    with load_lock(wait=wait, on_wait=on_wait):  # what is removed is decided under the lock too
        removed = sorted(set(Project.objects.values_list("slug", flat=True)) - set(parsed.projects))
        if len(removed) > REMOVALS_WITHOUT_ASKING and not allow_removals:
            raise FixtureError([f"this load would remove {len(removed)} projects; run again with --allow-removals "
                                f"if that is intended: {', '.join(removed)}"])
        with transaction.atomic():
            before = changes.snapshot()  # the documents of the load before, which write() replaces
            counts = write(parsed)
            changes.record_changes(before, content_hash=parsed.content_hash)
    forget_data_version()
    return parsed, counts
