"""EXPLAIN (ANALYZE, BUFFERS) of every SELECT that one request of each main kind runs.

Run by bench/run.py against the benchmark's PostgreSQL database, with the response cache off and
a per-process cache, so facet counts and similar projects are computed too:

    DATABASE_URL=… DJANGO_SETTINGS_MODULE=oa_evidence.production python bench/explain.py OUT_DIR PROJECTS

Each request goes through Django's test client with `connection.execute_wrapper` recording its
SQL; each recorded SELECT is then explained. Writes OUT_DIR/explain-<kind>.txt and prints, as its
last line, a JSON summary per kind: queries, their total execution time, and every sequential
scan of a table of more than LARGE_TABLE rows in a plan (executed or not).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from mix import same_url  # noqa: E402

# The same URLs as the same-URL runs, so the plans are reproducible, and a broad search page.
EXPLAINED = {"api-list": "API project list, filtered", "api-search": "API full-text search",
             "search-page": "Search: text + two facets", "api-detail": "API project detail",
             "project-page": "Project page"}
BROAD_SEARCH = "/projects/?phase=ks2"
LARGE_TABLE = 1000  # rows; a sequential scan of a smaller table is cheaper than an index


def recorded_queries(path: str) -> list[tuple[str, tuple]]:
    queries = []

    def record(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = Client().get(path, HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return [(sql, params) for sql, params in queries if sql.lstrip().upper().startswith("SELECT")]


def table_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_live_tup FROM pg_stat_user_tables")
        return dict(cursor.fetchall())


def unanalyzed(rows: dict[str, int]) -> list[str]:
    """Large tables PostgreSQL has no statistics for yet (no ANALYZE since the load), whose plans
    may differ once autovacuum has analyzed them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables "
                       "WHERE last_analyze IS NULL AND last_autoanalyze IS NULL")
        return sorted(name for (name,) in cursor.fetchall() if rows.get(name, 0) > LARGE_TABLE)


def explain(kind: str, path: str, rows: dict[str, int], out: Path) -> dict:
    lines = [f"EXPLAIN (ANALYZE, BUFFERS) of the queries of GET {path}", ""]
    summary = {"path": path, "queries": 0, "execution_ms": 0.0, "seq_scans": []}
    for number, (sql, params) in enumerate(recorded_queries(path), start=1):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
            shown = cursor.cursor.mogrify(sql, params).decode()
        summary["queries"] += 1
        summary["execution_ms"] += sum(float(m) for m in re.findall(r"Execution Time: ([\d.]+) ms", "\n".join(plan)))
        for line in plan:
            scanned = re.search(r"Seq Scan on (\w+)", line)
            if scanned and rows.get(scanned[1], 0) > LARGE_TABLE:
                summary["seq_scans"].append({"query": number, "table": scanned[1], "rows": rows[scanned[1]],
                                             "executed": "never executed" not in line})
        lines += [f"-- query {number}", shown, "", *plan, ""]
    (out / f"explain-{kind}.txt").write_text("\n".join(lines))
    return summary


def main() -> None:
    out, projects = Path(sys.argv[1]), int(sys.argv[2])
    paths = {name: path for name, path, _ in same_url(projects)}
    requests = {kind: paths[name] for kind, name in EXPLAINED.items()} | {"search-page-broad": BROAD_SEARCH}
    rows = table_rows()
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
    summary = {"unanalyzed": unanalyzed(rows), "autovacuum": autovacuum}
    summary["kinds"] = {kind: explain(kind, path, rows, out) for kind, path in requests.items()}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
