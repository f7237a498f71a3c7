import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest
from django.conf import settings
from django.core.cache import caches

from core.cache import forget_kept
from web.loading import load_evidence


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages, facet bitmaps and throttle counts must not leak from one test into another."""
    for name in settings.CACHES:
        caches[name].clear()
    forget_kept()
    yield
    for name in settings.CACHES:
        caches[name].clear()
    forget_kept()


@pytest.fixture(autouse=True)
def _exports_in_a_temporary_folder(settings, tmp_path_factory):
    """Open-data packages built by a test go to a temporary folder, not the working tree."""
    settings.EXPORT_DIR = tmp_path_factory.getbasetemp() / "exports"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the real curated corpus, loaded once per session."""
    with django_db_blocker.unblock():
        load_evidence(settings.FIXTURES_DIR)


ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    """A free local port: the system's choice, or with TEST_PORT_BASE set (say, where a firewall
    allows only a range) the first free one from that number up."""
    base = int(os.environ.get("TEST_PORT_BASE", "0"))
    for port in range(base, base + 1000) if base else [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port from TEST_PORT_BASE={base} up")


def _browser_database_url(tmp: Path, suffix: str = "browser") -> str:
    """A fresh PostgreSQL database beside DATABASE_URL's, named `<name>_<suffix>`."""
    url = os.environ["DATABASE_URL"]
    parts = urlparse(url)
    name = f"{parts.path.lstrip('/') or 'oa_evidence'}_{suffix}"
    connection = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return urlunparse(parts._replace(path=f"/{name}"))


def _browser_database_url_for(tmp: Path, suffix: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / f'{suffix}.sqlite3'}"
    return _browser_database_url(tmp, suffix)


@contextlib.contextmanager
def serve(tmp: Path, *, env: dict | None = None, workers: int = 2, prepare: bool = True, name: str = "browser"):
    """The site served by gunicorn with production settings, in its own process and on its own
    database (a temporary SQLite file, or `<name>_<suffix>` beside DATABASE_URL's on PostgreSQL),
    migrated and loaded with the real corpus unless `prepare` is off. Yields its base URL."""
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oa_evidence.production",
        "SECRET_KEY": "tests-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp / "static"),
        "API_ANON_RATE": "100000/minute",  # the API fuzz run sends many requests
        **(env or {}),
    }
    if "DATABASE_URL" not in (env or {}):
        full_env["DATABASE_URL"] = _browser_database_url_for(tmp, name)
    manage = [sys.executable, str(ROOT / "manage.py")]
    commands = [["migrate", "--noinput", "-v0"], ["load_evidence"]] if prepare else []
    for command in [*commands, ["collectstatic", "--noinput", "-v0"]]:
        subprocess.run(manage + command, env=full_env, check=True, cwd=ROOT, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "oa_evidence.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
         str(workers), "--no-control-socket"],
        env=full_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):  # until gunicorn listens
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a worker still busy with a slow request: stop it anyway
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site as a browser sees it: gunicorn, production settings, the real corpus."""
    with serve(tmp_path_factory.mktemp("site")) as url:
        yield url


@pytest.fixture(scope="session")
def uncached_site(tmp_path_factory):
    """The same, with the response cache off: every request is computed."""
    with serve(tmp_path_factory.mktemp("uncached"), env={"RESPONSE_CACHE_SECONDS": "0"}, name="uncached") as url:
        yield url


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (run `make test` as root to install it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The two widths every page is looked at in: a laptop and a phone.
WIDTHS = (1280, 390)


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def sized_page(request, browser):
    """A page in a window of each width, its width at hand as `page.width`."""
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    page.width = request.param
    yield page
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
