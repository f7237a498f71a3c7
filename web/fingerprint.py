"""The fingerprint of the code that renders stored HTML (web/stored.py, web/cards.py).

Stored HTML is served only when it was rendered by the code now running: a hash of every template
and every Python file of the apps (migrations aside), computed once per process.
"""

from __future__ import annotations

import hashlib

from django.conf import settings

CODE_FOLDERS = ["templates", "core", "costs", "outcomes", "projects", "web"]


def code_fingerprint() -> str:
    """A hash of every template and every Python file of the apps: what stored HTML depends on
    besides the data."""
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix in (".html", ".py") and "migrations" not in path.parts:
                digest.update(path.relative_to(settings.BASE_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CODE = code_fingerprint()
