import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings
from django.core.cache import caches

from web.loading import load_evidence


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages, facet counts and throttle counts must not leak from one test into another."""
    for name in settings.CACHES:
        caches[name].clear()
    yield
    for name in settings.CACHES:
        caches[name].clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the real curated corpus, loaded once per session."""
    with django_db_blocker.unblock():
        load_evidence(settings.FIXTURES_DIR)


ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _browser_database_url(tmp: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'browser.sqlite3'}"
    import psycopg2

    parts = urlparse(url)
    name = f"{parts.path.lstrip('/') or 'oa_evidence'}_browser"
    connection = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return urlunparse(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site served by gunicorn with production settings, in its own process and on its own
    database (a temporary SQLite file, or `<name>_browser` beside DATABASE_URL's on PostgreSQL),
    loaded with the real corpus."""
    tmp = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oa_evidence.production",
        "SECRET_KEY": "browser-tests-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": _browser_database_url(tmp),
        "STATIC_ROOT": str(tmp / "static"),
        "API_ANON_RATE": "100000/minute",  # the API fuzz run sends many requests
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["load_evidence"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "oa_evidence.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)
