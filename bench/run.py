"""The benchmark behind docs/PERFORMANCE.md (run it with `make bench`).

On PostgreSQL with the synthetic corpus (10,000 projects), it serves the site with gunicorn and
production settings (Redis as the shared cache) and drives load over loopback from a separate
process (wrk, concurrency 8, `Accept-Encoding: gzip` on every request, like a browser):

- **the mix**: 2,000 distinct, realistic URLs (bench/mix.py), each kind of page or endpoint as its
  own list that wrk cycles through, and all of them as one list, with the response cache on
  (flushed before each run, so what is measured includes the misses; the hit rate is reported)
  and off (`RESPONSE_CACHE_SECONDS=0`: every request runs its queries, facet counts and similar
  projects included, since the cache holding those is flushed too);
- **Datasette's equivalents** of the API kinds, over a SQLite copy of the same corpus: the same
  filters, order, fields and nesting by SQL (bench/equivalents.py), distinct URLs like ours;
- **the same-URL figures** of earlier reports (one URL repeated), kept as a "no regression" target,
  beside Datasette's flat rows and a static JSON file served by the same gunicorn (the ceiling).

Every measurement is the median of three repetitions (BENCH_REPEAT); ours and Datasette's are
measured in the same repetitions. It also captures `EXPLAIN (ANALYZE, BUFFERS)` of the main
queries (bench/explain.py), times `load_evidence` of the curated corpus and the synthetic
generation, measures each worker's resident memory and the project page's first-load weight, and
with BENCH_GROWTH=1 (or alone, after a full run: `--only growth`) repeats the search and list mixes
on a 50,000-project corpus and the 10,000 one in the same repetitions. The report is
written by bench/report.py; `--report-only` re-renders it from bench/out/results.json.

Not a test: numbers depend on the machine. Everything it starts it stops; it only talks to
127.0.0.1. It empties the Redis database it is given (BENCH_REDIS_URL) before each run.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import lighthouse
import mix
import report
from equivalents import metadata

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LUA = ROOT / "bench" / "latency.lua"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "oa_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "10000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
MIX_SIZE = int(os.environ.get("BENCH_MIX", "2000"))
GROWTH = os.environ.get("BENCH_GROWTH", "") not in ("", "0", "false", "no") or "--growth" in sys.argv
GROWTH_PROJECTS = int(os.environ.get("BENCH_GROWTH_PROJECTS", "50000"))
GROWTH_KINDS = ["api_list", "api_search", "search_page"]
PYTHON = sys.executable
# The site is served as `make serve` installs it on a server: the project without its dev extras
# (test tools such as schemathesis bring requests and pygments, which DRF imports when present).
SERVER_VENV = Path(os.environ.get("BENCH_SERVER_VENV", OUT / "server-venv"))
GZIP = {"Accept-Encoding": "gzip"}
SAME_URL = mix.same_url(PROJECTS)


# --- processes and databases ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args, env=None, **kwargs):
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result


def manage(env, *args) -> float:
    started = time.perf_counter()
    run([PYTHON, "manage.py", *args], env=env)
    return time.perf_counter() - started


def recreate_database(name: str) -> str:
    import psycopg2

    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"{PG}/{name}"


def synthetic_database(env: dict, name: str, projects: int) -> tuple[dict, float]:
    """A fresh database with the synthetic corpus; the environment to serve it and how
    long `generate_synthetic` took (including the stored figures and indexes its load computes)."""
    env = {**env, "DATABASE_URL": recreate_database(name)}
    manage(env, "migrate", "--noinput", "-v0")
    seconds = manage(env, "generate_synthetic", "--projects", str(projects), "--seed", "1")
    return env, seconds  # the generation ends with ANALYZE, as every load does


def corpus_size(url: str) -> int | None:
    """How many projects the database at `url` holds (None: no such database or no tables)."""
    import psycopg2

    try:
        with psycopg2.connect(url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM projects_project")
            return cursor.fetchone()[0]
    except psycopg2.Error:
        return None


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, dict(response.headers), response.read()


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def server_python() -> str:
    """The production install's Python (created once, refreshed when pyproject.toml changes)."""
    python, stamp = SERVER_VENV / "bin" / "python", SERVER_VENV / ".installed"
    if not stamp.exists() or stamp.stat().st_mtime < (ROOT / "pyproject.toml").stat().st_mtime:
        run([PYTHON, "-m", "venv", str(SERVER_VENV)])
        run([str(python), "-m", "pip", "install", "--quiet", "-e", str(ROOT)])
        stamp.touch()
    return str(python)


def start_server(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [server_python(), "-m", "gunicorn", "oa_evidence.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/healthz")
    return server, url


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)


def resident_memory_mb(parent_pid: int) -> list[float]:
    children = Path(f"/proc/{parent_pid}/task/{parent_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def redis():
    import redis as redis_client

    return redis_client.Redis.from_url(REDIS_URL)


def stored_responses() -> int:
    """Whole responses in the cache: after a run from an empty cache, the misses that stored one."""
    return sum(1 for _ in redis().scan_iter(match="*:response:*", count=1000))


# --- load ---------------------------------------------------------------------------------------


def wrk(url: str, paths: Path | None = None) -> dict:
    """One wrk run: the URL repeated, or with `paths`, cycling through the file's paths."""
    threads = min(CONCURRENCY, 2)
    args = ["wrk", f"-t{threads}", f"-c{CONCURRENCY}", f"-d{DURATION}", "--timeout", "10s",
            "-H", "Accept-Encoding: gzip", "-s", str(LUA), url]
    if paths:
        args += ["--", str(paths), str(threads)]
    result = run(args)
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    return json.loads(line)


def write_lists(requests: dict[str, list[mix.Request]]) -> dict[str, Path]:
    """Each kind's paths (ours and Datasette's) and the whole mix, one file each, for wrk."""
    folder = OUT / "urls"
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for kind, items in requests.items():
        files[kind] = folder / f"{kind}.txt"
        files[kind].write_text("".join(item.ours + "\n" for item in items))
        if items[0].theirs:
            files[f"datasette:{kind}"] = folder / f"datasette-{kind}.txt"
            files[f"datasette:{kind}"].write_text("".join(item.theirs + "\n" for item in items))
    files["combined"] = folder / "combined.txt"
    files["combined"].write_text("".join(path + "\n" for path in mix.combined(requests)))
    return files


def warm_up(url: str, paths: list[str]) -> None:
    """Load each worker's code and connections (several requests per path reach every worker)."""
    for path in paths:
        for _ in range(WORKERS):
            fetch(url + path, GZIP)


def measure_ours(env: dict, requests: dict, files: dict, into: dict, *, cached: bool) -> None:
    """Start gunicorn and run the mix, kind by kind and whole, then the same-URL endpoints (and,
    cached, the static ceiling); append each result to `into`."""
    server, ours = start_server(env)
    try:
        warm_up(ours, mix.warm_up_paths(requests, per_kind=1))
        for kind in [*requests, "combined"]:
            print(f"  mix: {kind} …", flush=True)
            redis().flushdb()
            result = wrk(ours + "/", files[kind])
            if cached:
                result["stored"] = stored_responses()
            into.setdefault("mix", {}).setdefault(kind, []).append(result)
        redis().flushdb()
        warm_up(ours, [path for _, path, _ in SAME_URL])
        for name, path, _ in SAME_URL:
            print(f"  same URL: {name} …", flush=True)
            into.setdefault("same", {}).setdefault(name, []).append(wrk(ours + path))
        if cached:
            into.setdefault("ceiling", []).append(wrk(f"{ours}/static/bench-ceiling.json"))
        into.setdefault("memory_mb", []).append(resident_memory_mb(server.pid))
    finally:
        stop(server)


def measure_datasette(theirs: str, requests: dict, files: dict, into: dict) -> None:
    for kind in requests:
        if f"datasette:{kind}" in files:
            print(f"  Datasette mix: {kind} …", flush=True)
            into.setdefault("mix", {}).setdefault(kind, []).append(wrk(theirs + "/", files[f"datasette:{kind}"]))
    for name, _, path in SAME_URL:
        if path:
            print(f"  Datasette flat row: {name} …", flush=True)
            into.setdefault("same", {}).setdefault(name, []).append(wrk(theirs + path))


def measure_growth(env: dict, requests: dict, files: dict, into: dict, *, projects: int) -> None:
    server, ours = start_server(env)
    try:
        warm_up(ours, [requests[kind][0].ours for kind in GROWTH_KINDS])
        for kind in GROWTH_KINDS:
            print(f"  growth, {projects:,} projects: {kind} …", flush=True)
            redis().flushdb()
            into.setdefault(kind, []).append(wrk(ours + "/", files[kind]))
    finally:
        stop(server)


# --- one-off checks -----------------------------------------------------------------------------


def transfer(url: str) -> dict:
    """What one response costs on the wire with and without gzip."""
    status, headers, body = fetch(url, GZIP)
    _, _, plain = fetch(url)
    return {"status": status, "encoding": headers.get("Content-Encoding", ""), "bytes": len(body),
            "plain_bytes": len(plain), "vary": headers.get("Vary", "")}


def page_weight(url: str) -> dict:
    """A project page's first load: the page and its scripts and styles, as transferred with gzip."""
    _, headers, body = fetch(url, GZIP)
    html = gzip.decompress(body).decode() if headers.get("Content-Encoding") == "gzip" else body.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css))"', html)
    sizes = {"page": len(body)}
    base = url.split("/", 3)[:3]
    for asset in assets:
        _, asset_headers, asset_body = fetch("/".join(base) + asset, GZIP)
        sizes[asset] = len(asset_body)
    return {"bytes": sum(sizes.values()), "parts": sizes, "page_encoding": headers.get("Content-Encoding", "")}


def inspect(env: dict, theirs: str, requests: dict) -> dict:
    """Once, before the load: save the ceiling file (WhiteNoise indexes static files at start-up,
    so the measured servers start after it exists), check what each kind sends compressed, and
    weigh the project page."""
    server, ours = start_server(env)
    try:
        body = fetch(ours + "/api/v1/projects/?area=synthetic-area-5")[2]
        (OUT / "static" / "bench-ceiling.json").write_bytes(body)
        # WhiteNoise sends the .gz beside a file to a client that accepts gzip, as collectstatic makes.
        (OUT / "static" / "bench-ceiling.json.gz").write_bytes(gzip.compress(body))
        found = {"ours": {kind: transfer(ours + items[0].ours) for kind, items in requests.items()},
                 "datasette": {kind: transfer(theirs + items[0].theirs) for kind, items in requests.items()
                               if items[0].theirs},
                 "project_page": page_weight(ours + requests["project_page"][0].ours)}
    finally:
        stop(server)
    server, ours = start_server(env)  # the ceiling is served by a server started after it was written
    try:
        found["ours"]["ceiling"] = transfer(ours + "/static/bench-ceiling.json")
    finally:
        stop(server)
    return found


def measure_lighthouse(env: dict) -> dict:
    """Lighthouse on every page type (bench/lighthouse.py), against gunicorn serving `env`'s database."""
    server, url = start_server(env)
    try:
        return lighthouse.measure(url)
    finally:
        stop(server)


def lighthouse_alone() -> None:
    """`--only lighthouse`: the curated corpus loaded, served and measured by Lighthouse; the table
    written to bench/out/lighthouse.json, bench/out/results.json (when a full run left one) and
    docs/PERFORMANCE.md (its Lighthouse section only)."""
    OUT.mkdir(parents=True, exist_ok=True)
    print("Curated corpus: load_evidence on an empty PostgreSQL database …", flush=True)
    env = {**base_environment(), "DATABASE_URL": recreate_database(f"{DB_PREFIX}_curated")}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_evidence")
    manage(env, "collectstatic", "--noinput", "-v0")
    found = measure_lighthouse(env)
    (OUT / "lighthouse.json").write_text(json.dumps(found, indent=2))
    if (OUT / "results.json").exists():
        results = json.loads((OUT / "results.json").read_text())
        (OUT / "results.json").write_text(json.dumps({**results, "lighthouse": found}, indent=2))
    performance = ROOT / "docs" / "PERFORMANCE.md"
    section = lighthouse.render(found)
    performance.write_text(lighthouse.replace_section(performance.read_text(), section))
    print("\n".join(section))


def grow(base_env: dict, small_env: dict, requests: dict, files: dict, runs: dict) -> dict:
    """The growth runs: a new corpus of GROWTH_PROJECTS and the PROJECTS one (`small_env`), cache
    off, measured in the same repetitions, so each ratio compares runs minutes apart. Appends to
    runs["growth"] and runs["growth_base"]; returns the generation's timing."""
    print(f"Growth: a {GROWTH_PROJECTS:,}-project corpus …", flush=True)
    large_env, seconds = synthetic_database(base_env, f"{DB_PREFIX}_growth", GROWTH_PROJECTS)
    served = {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": "oa-bench", "STATIC_ROOT": str(OUT / "static"),
              "RESPONSE_CACHE_SECONDS": "0"}
    for repetition in range(1, REPEAT + 1):
        print(f"Repetition {repetition} of {REPEAT}: growth …", flush=True)
        measure_growth({**small_env, **served}, requests, files, runs["growth_base"], projects=PROJECTS)
        measure_growth({**large_env, **served}, requests, files, runs["growth"], projects=GROWTH_PROJECTS)
    return {f"generate_synthetic --projects {GROWTH_PROJECTS}": seconds}


def growth_alone() -> None:
    """`--only growth`: the growth runs added to the last full run's results (bench/out/results.json),
    against the PROJECTS corpus that run left in its database; docs/PERFORMANCE.md re-rendered."""
    if not (OUT / "results.json").exists():
        sys.exit("--only growth adds to a full run's results: run `make bench` first")
    results = json.loads((OUT / "results.json").read_text())
    requests = mix.build_mix(projects=PROJECTS, size=MIX_SIZE)
    files = write_lists(requests)
    base_env = base_environment()
    small_env = {**base_env, "DATABASE_URL": f"{PG}/{DB_PREFIX}"}
    if corpus_size(small_env["DATABASE_URL"]) != PROJECTS:
        sys.exit(f"--only growth needs the full run's {PROJECTS:,}-project database {DB_PREFIX}: run `make bench`")
    runs = {"growth": {}, "growth_base": {}}
    results["timings"].update(grow(base_env, small_env, requests, files, runs))
    redis().flushdb()
    results["runs"].update(runs)
    results["medians"] = medians(results["runs"])
    results["settings"]["growth_projects"] = GROWTH_PROJECTS
    results["settings"]["growth_date"] = f"{date.today():%-d %B %Y}"
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    text = report.render(results)
    (ROOT / "docs" / "PERFORMANCE.md").write_text(text)
    print(text)


def explain(env: dict) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of one request of each main kind (bench/explain.py)."""
    result = run([PYTHON, str(ROOT / "bench" / "explain.py"), str(OUT), str(PROJECTS)],
                 env={**env, "RESPONSE_CACHE_SECONDS": "0", "REDIS_URL": ""})
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Datasette ----------------------------------------------------------------------------------


def datasette_bin() -> str:
    if os.environ.get("BENCH_DATASETTE"):
        return os.environ["BENCH_DATASETTE"]
    venv = ROOT / ".venv-datasette"
    if not (venv / "bin" / "datasette").exists():
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(venv / "bin" / "pip"), "install", "--quiet", "datasette==0.65.5"])
    return str(venv / "bin" / "datasette")


def build_sqlite_copy(env: dict) -> Path:
    """The same synthetic corpus (same seed) in SQLite, with an FTS5 index for Datasette."""
    import sqlite3

    path = OUT / "bench.db"
    path.unlink(missing_ok=True)
    sqlite_env = {**env, "DATABASE_URL": f"sqlite:///{path}"}
    manage(sqlite_env, "migrate", "--noinput", "-v0")
    manage(sqlite_env, "generate_synthetic", "--projects", str(PROJECTS), "--seed", "1")
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE VIRTUAL TABLE projects_project_fts USING fts5(title, summary, search_document,
            content="projects_project", content_rowid="id");
        INSERT INTO projects_project_fts(rowid, title, summary, search_document)
            SELECT id, title, summary, search_document FROM projects_project;
        ANALYZE;
    """)
    connection.commit()
    connection.close()
    return path


def start_datasette(sqlite_path: Path) -> tuple[subprocess.Popen, str]:
    metadata_path = OUT / "datasette-metadata.json"
    metadata_path.write_text(json.dumps(metadata(), indent=2))
    port = free_port()
    process = subprocess.Popen(
        [datasette_bin(), "serve", "--immutable", str(sqlite_path), "--metadata", str(metadata_path),
         "--port", str(port), "--host", "127.0.0.1", "--setting", "sql_time_limit_ms", "5000",
         "--setting", "default_cache_ttl", "0"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/bench.json")
    return process, url


# --- the whole run ------------------------------------------------------------------------------


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    postgres = run(["psql", f"{PG}/postgres", "-tAc", "show server_version"]).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {int(memory) / 1024 / 1024:.0f} GiB memory, "
            f"Python {platform.python_version()}, PostgreSQL {postgres}, {platform.system()} {platform.release()}")


def settings() -> dict:
    return {"date": f"{date.today():%-d %B %Y}", "machine": machine(), "projects": PROJECTS, "workers": WORKERS,
            "concurrency": CONCURRENCY, "duration": DURATION, "repeat": REPEAT, "mix_size": MIX_SIZE,
            "growth_projects": GROWTH_PROJECTS if GROWTH else None}


def median_of(results: list[dict]) -> dict:
    """The median of each figure over the repetitions; errors added up."""
    summary = {key: statistics.median(r[key] for r in results) for key in ("rps", "p50", "p95", "p99", "requests")}
    summary["errors"] = sum(r["errors"] + r["non2xx"] for r in results)
    if all("stored" in r for r in results):  # hit rate: requests that found their response in the cache
        summary["hit_rate"] = statistics.median(
            max(0.0, 1 - r["stored"] / r["requests"]) if r["stored"] else 0.0 for r in results)
    return summary


def medians(tree):
    """Every list of repetitions in `tree` replaced by its medians."""
    if isinstance(tree, list) and tree and isinstance(tree[0], dict) and "rps" in tree[0]:
        return median_of(tree)
    if isinstance(tree, dict):
        return {key: medians(value) for key, value in tree.items()}
    return tree


def base_environment() -> dict:
    """Production settings on loopback, for every server the benchmark starts."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "oa_evidence.production", "SECRET_KEY": "benchmark-only",
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "API_ANON_RATE": "100000000/minute",
            "STATIC_ROOT": str(OUT / "static"), "LOG_LEVEL": "ERROR"}


def main() -> None:
    if "--only" in sys.argv:  # one part alone
        part = sys.argv[sys.argv.index("--only") + 1:][:1]
        if part not in (["lighthouse"], ["growth"]):
            sys.exit("--only takes one part: lighthouse or growth")
        lighthouse_alone() if part == ["lighthouse"] else growth_alone()
        return
    if "--report-only" in sys.argv:  # re-render docs/PERFORMANCE.md from the last run's numbers
        results = json.loads((OUT / "results.json").read_text())
        text = report.render(results)
        (ROOT / "docs" / "PERFORMANCE.md").write_text(text)
        print(text)
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk)")
    redis().ping()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "static").mkdir(exist_ok=True)
    requests = mix.build_mix(projects=PROJECTS, size=MIX_SIZE)
    files = write_lists(requests)
    base_env = base_environment()
    timings = {}

    print("Curated corpus: load_evidence on an empty PostgreSQL database …", flush=True)
    curated_env = {**base_env, "DATABASE_URL": recreate_database(f"{DB_PREFIX}_curated")}
    manage(curated_env, "migrate", "--noinput", "-v0")
    timings["load_evidence (first load)"] = manage(curated_env, "load_evidence")
    timings["load_evidence (again, unchanged)"] = manage(curated_env, "load_evidence")

    print(f"Synthetic corpus: {PROJECTS:,} projects …", flush=True)
    env, seconds = synthetic_database(base_env, DB_PREFIX, PROJECTS)
    timings[f"generate_synthetic --projects {PROJECTS}"] = seconds
    manage(env, "collectstatic", "--noinput", "-v0")
    env = {**env, "REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": "oa-bench"}

    print("Building the SQLite copy for Datasette …", flush=True)
    datasette, theirs = start_datasette(build_sqlite_copy(base_env))
    runs = {"cached": {}, "computed": {}, "datasette": {}, "growth": {}, "growth_base": {}}
    try:
        found = inspect({**env, "RESPONSE_CACHE_SECONDS": "600"}, theirs, requests)
        for repetition in range(1, REPEAT + 1):
            print(f"Repetition {repetition} of {REPEAT}: our site, response cache on (Redis) …", flush=True)
            measure_ours({**env, "RESPONSE_CACHE_SECONDS": "600"}, requests, files, runs["cached"], cached=True)
            print(f"Repetition {repetition} of {REPEAT}: our site, response cache off …", flush=True)
            measure_ours({**env, "RESPONSE_CACHE_SECONDS": "0"}, requests, files, runs["computed"], cached=False)
            print(f"Repetition {repetition} of {REPEAT}: Datasette …", flush=True)
            measure_datasette(theirs, requests, files, runs["datasette"])
    finally:
        stop(datasette)
    # After the load runs, so autovacuum has had the time to analyze the tables it will analyze.
    print("EXPLAIN of the main queries …", flush=True)
    explained = explain(env)
    if GROWTH:
        timings.update(grow(base_env, env, requests, files, runs))
    redis().flushdb()
    print("Lighthouse on every page type (curated corpus) …", flush=True)
    lighthouse_found = measure_lighthouse(curated_env)

    results = {"settings": settings(), "timings": timings, "runs": runs, "medians": medians(runs),
               "inspect": found, "explain": explained, "lighthouse": lighthouse_found,
               "examples": {kind: {"ours": items[0].ours, "theirs": items[0].theirs, "sql": items[0].sql,
                                   "count": len(items)} for kind, items in requests.items()},
               "combined_count": sum(len(items) for items in requests.values())}
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    text = report.render(results)
    (ROOT / "docs" / "PERFORMANCE.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
