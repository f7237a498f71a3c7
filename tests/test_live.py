"""The site as deployed, in gunicorn with production settings: a throttle that holds across
workers (Redis), responses never labelled with the wrong load, and a database that fails."""

import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from core.redis_cache import ResilientRedisCache
from tests.conftest import ROOT, serve
from tests.minimal import project, write_tree

pytestmark = pytest.mark.live


def fetch(url: str, timeout: float = 10) -> tuple[int, dict, str]:
    """GET on a new connection (so requests spread over the workers): status, headers, body."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", "Connection": "close"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


# Which Redis (and which of its databases) the live tests may use: set TEST_REDIS_URL to keep them
# off a Redis that holds anything else.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_available() -> bool:
    address = urllib.parse.urlsplit(TEST_REDIS_URL)
    try:
        with socket.create_connection((address.hostname, address.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def redis_url():
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not answering at {TEST_REDIS_URL}")
        pytest.skip(f"no Redis at {TEST_REDIS_URL}")
    return TEST_REDIS_URL


def test_the_redis_cache_reuses_one_client_for_every_operation(redis_url):
    cache = ResilientRedisCache(redis_url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    clients = {id(cache._cache.get_client()), id(cache._cache.get_client(write=True))}
    cache.set("answer", {"value": 42}, 30)
    cache.add("count", 1, 30)
    assert cache.get("answer") == {"value": 42} and cache.incr("count") == 2 and cache.get("missing", "none") == "none"
    cache.delete_many(["answer", "count"])
    assert cache.get("answer") is None
    assert len(clients) == 1 and {id(client) for client in cache._cache._clients.values()} == clients


def test_the_redis_throttle_counts_a_window_from_the_first_request_and_then_starts_again(redis_url):
    cache = ResilientRedisCache(redis_url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}", "FAIL_SOFT": False})
    counted = [cache.count_in_window("client", 1) for _ in range(3)]
    assert [count for count, _ in counted] == [1, 2, 3]
    assert all(0 < seconds_left <= 1 for _, seconds_left in counted)
    assert counted[2][1] <= counted[0][1]  # the window ends when it began plus its length, not later
    time.sleep(1.1)
    assert cache.count_in_window("client", 1)[0] == 1  # a new window
    assert cache.count_in_window("another-client", 60) == (1, pytest.approx(60, abs=0.5))


def test_the_throttle_holds_across_four_workers_and_page_floods_cannot_reset_it(tmp_path, redis_url):
    env = {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}", "API_ANON_RATE": "20/minute"}
    with serve(tmp_path, env=env, workers=4, name="throttle") as url:
        statuses = [fetch(f"{url}/api/v1/themes/")[0] for _ in range(30)]
        assert statuses.count(200) == 20 and statuses[20:] == [429] * 10
        for number in range(400):  # distinct pages fill the page cache, never the throttle's
            fetch(f"{url}/projects/?q=flood{number}")
        assert fetch(f"{url}/api/v1/themes/")[0] == 429


def test_a_spoofed_forwarded_for_does_not_dodge_the_throttle(tmp_path, redis_url):
    env = {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}", "API_ANON_RATE": "5/minute"}
    with serve(tmp_path, env=env, name="spoof") as url:
        statuses = []
        for number in range(8):
            request = urllib.request.Request(f"{url}/api/v1/themes/", headers={"X-Forwarded-For": f"10.0.0.{number}"})
            try:
                statuses.append(urllib.request.urlopen(request, timeout=10).status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
        assert statuses == [200] * 5 + [429] * 3


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="concurrent loads while serving are a PostgreSQL deployment's case")
def test_loads_of_a_then_b_then_a_never_serve_data_labelled_with_another_version(tmp_path):
    trees = {}
    for name in ("a", "b"):
        trees[name] = write_tree(tmp_path / name, [project(title=f"Derby primary, version {name.upper()}")])
    env = {"RESPONSE_CACHE_SECONDS": "600", **LABEL_TEST_ENV}
    with serve(tmp_path, env=env, workers=4, name="versions") as url:
        manage = [sys.executable, str(ROOT / "manage.py"), "load_evidence", "--allow-removals"]
        server_env = {**os.environ, **serve_env(tmp_path, "versions")}
        seen, wrong, stop = [], [], threading.Event()

        def read_pages():
            # A few dozen URLs, so pages are both computed and served from the cache throughout.
            for number in itertools.count():
                if stop.is_set():
                    return
                status, headers, body = fetch(f"{url}/projects/derby-primary/?view={number % 40}")
                if status != 200:
                    continue
                label = headers.get("X-Data-Version")
                footer = re.search(r"Data version <code>(\w+)</code>", body).group(1)
                version = re.search(r"Derby primary, version (\w)", body).group(1)
                seen.append((label, version))
                if footer != label:
                    wrong.append(("footer", footer, label))

        hashes = {}
        for name in ("a", "b", "a"):
            output = subprocess.run([*manage, "--fixtures", str(trees[name])], env=server_env, cwd=ROOT,
                                    check=True, capture_output=True, text=True).stdout
            hashes[re.search(r"data version (\w+)", output).group(1)] = name.upper()
            if len(seen) == 0:
                readers = [threading.Thread(target=read_pages) for _ in range(4)]
                for reader in readers:
                    reader.start()
            time.sleep(2)
        stop.set()
        for reader in readers:
            reader.join()
    wrong += [(label, version) for label, version in seen if label in hashes and hashes[label] != version]
    print(f"A/B/A: {len(seen)} responses, {len(wrong)} mislabelled")
    assert len(seen) > 50 and wrong == []


LABEL_TEST_ENV = {}  # a test of the test: {"DATA_VERSION_CACHE_SECONDS": "30"} must make it fail


def serve_env(tmp_path: Path, name: str) -> dict:
    """The settings a `serve()` site with this name runs with, for a manage.py beside it."""
    from urllib.parse import urlparse, urlunparse

    parts = urlparse(os.environ["DATABASE_URL"])
    return {"DJANGO_SETTINGS_MODULE": "oa_evidence.production", "SECRET_KEY": "tests-only",
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": urlunparse(parts._replace(path=f"/{parts.path.lstrip('/') or 'oa_evidence'}_{name}"))}


class SilentDatabase:
    """A server that accepts connections and never answers: a hung database."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.clients = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.clients.append(client)  # kept open, never read or written

    def close(self):
        self.sock.close()
        for client in self.clients:
            client.close()


def test_a_database_that_never_answers_gives_a_quick_503_with_retry_after(tmp_path):
    silent = SilentDatabase()
    env = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent.port}/hung", "DATABASE_DEADLINE_SECONDS": "2"}
    try:
        with serve(tmp_path, env=env, prepare=False, name="hung") as url:
            started = time.monotonic()
            status, headers, body = fetch(f"{url}/projects/")
            assert status == 503 and headers["Retry-After"] == "30"
            assert "temporarily unavailable" in body
            assert time.monotonic() - started < 10
            status, headers, body = fetch(f"{url}/api/v1/projects/")
            assert status == 503 and '"status":503' in body.replace(" ", "")
            status, headers, body = fetch(f"{url}/healthz")
            assert status == 503 and '"database":"unavailable' in body.replace(" ", "")
    finally:
        silent.close()
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_healthz_reports_database_and_cache(site):
    status, headers, body = fetch(f"{site}/healthz")
    assert status == 200 and '"database":"ok"' in body.replace(" ", "") and '"cache":"ok"' in body.replace(" ", "")
    assert headers["Cache-Control"] == "no-store"


READ_THROUGH_REPLICA = """
import time
from django.db import connections
from core.models import DataVersion
versions = DataVersion.objects.order_by("-loaded_at")
for _ in range(100):
    latest = versions.first()
    if latest and latest.short_hash == "{expected}":
        break
    time.sleep(0.1)
with connections[versions.db].cursor() as cursor:
    cursor.execute("SELECT pg_is_in_recovery()")
    print(versions.db, cursor.fetchone()[0], latest.short_hash if latest else "")
"""


@pytest.fixture(scope="module")
def replica_url():
    url = os.environ.get("REPLICA_URL", "")
    if not url:
        if os.environ.get("CI") and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail("REPLICA_URL is not set: .ci/run starts a replica for the PostgreSQL run")
        pytest.skip("no replica (set REPLICA_URL, e.g. from .ci/replica.sh)")
    return url


def test_reads_go_to_a_real_replica_writes_to_the_primary_and_a_load_reaches_it(tmp_path, replica_url):
    from urllib.parse import urlparse, urlunparse

    import psycopg2

    name = "oa_evidence_replicated"
    parts = urlparse(os.environ["DATABASE_URL"])
    admin = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    env = {**os.environ, "DATABASE_URL": urlunparse(parts._replace(path=f"/{name}")),
           "DATABASE_REPLICA_URLS": f"{replica_url}/{name}"}
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*command):
        return subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout

    run("migrate", "--noinput", "-v0")  # the router sends every write to the primary
    tree = write_tree(tmp_path, [project(title="Replicated project")])
    loaded = re.search(r"data version (\w+)", run("load_evidence", "--fixtures", str(tree))).group(1)
    output = run("shell", "-c", READ_THROUGH_REPLICA.format(expected=loaded))
    alias, in_recovery, seen = output.strip().splitlines()[-1].split()
    assert alias == "replica_1" and in_recovery == "True"  # read from the standby
    assert seen == loaded  # the load streamed to it


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only")
def test_the_readme_command_sets_up_a_fresh_postgresql_database():
    """`DATABASE_URL=…/<new name> make run` on a server without that database: make load is its
    set-up half (make run adds the server)."""
    from urllib.parse import urlparse, urlunparse

    import psycopg2

    parts = urlparse(os.environ["DATABASE_URL"])
    name = "oa_evidence_fresh"
    admin = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    env = {**os.environ, "DATABASE_URL": urlunparse(parts._replace(path=f"/{name}"))}
    result = subprocess.run(["make", "load"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"Created database {name}." in result.stdout and "Loaded data version" in result.stdout
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}"')
    admin.close()
