"""One load at a time per database: two loads writing at once would both create the same rows and
the second would end in a raw IntegrityError (PostgreSQL) or "database is locked" (SQLite).

PostgreSQL takes a session-level advisory lock; SQLite, whose only write lock would be taken at
the first write (too late: both loads have read the same "existing" rows by then), takes an
exclusive flock on a file beside the database. A second load waits up to `wait` seconds for the
first to finish and then loads (loads are idempotent); if the first is still running it refuses.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection

# Any constant works as long as nothing else in the database uses it: "OA" "load".
ADVISORY_LOCK_KEY = 0x4F41_10AD
POLL_SECONDS = 0.2
DEFAULT_WAIT_SECONDS = 120


class LoadInProgress(Exception):
    """Another load holds the lock; nothing was written."""


def _refuse(waited: float) -> LoadInProgress:
    return LoadInProgress(
        f"another load_evidence is writing to this database; waited {waited:.0f} s for it to finish. "
        "Nothing was loaded: run the load again when the other one has finished (or give --wait SECONDS)."
    )


def _poll(try_once: Callable[[], bool], wait: float, on_wait: Callable[[str], None] | None) -> None:
    started = time.monotonic()
    if try_once():
        return
    if on_wait:
        on_wait("Another load is writing to this database; waiting for it to finish…")
    while time.monotonic() - started < wait:
        time.sleep(POLL_SECONDS)
        if try_once():
            return
    raise _refuse(time.monotonic() - started)


def sqlite_lock_path() -> Path:
    """A file beside the SQLite database (or, for an in-memory one, in the temporary folder)."""
    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:") or ":memory:" in name:
        return Path(tempfile.gettempdir()) / f"oa-evidence-load-{hashlib.sha1(name.encode()).hexdigest()[:12]}.lock"
    return Path(f"{name}.load-lock")


@contextlib.contextmanager
def load_lock(*, wait: float = DEFAULT_WAIT_SECONDS, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the database's load lock for the block; raise LoadInProgress after `wait` seconds."""
    if connection.vendor == "postgresql":
        def try_once() -> bool:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
                return cursor.fetchone()[0]

        _poll(try_once, wait, on_wait)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        return
    with open(sqlite_lock_path(), "a") as handle:
        def try_once() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        _poll(try_once, wait, on_wait)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
