"""docs/PERFORMANCE.md from the benchmark's results (bench/out/results.json): the settings, a
table per scenario, the targets of issues #19 and #15 with pass or miss and by how much, and exactly
what each side was asked."""

from __future__ import annotations

from pathlib import Path

import lighthouse
from equivalents import DETAIL_SQL
from mix import KIND_LABELS, KINDS, same_url

TARGET_P95_MS = 50
TARGET_RSS_MB = 150
TARGET_PAGE_KB = 600
TARGET_LOAD_S = 5
TARGET_GENERATE_S = 120
TARGET_GROWTH = 1.5
# The computed path must be at least as fast as Datasette's equivalent for these…
RATIO_KINDS = ["api_detail", "api_list", "csv", "api_search"]
# …and with the production cache, p95 under 50 ms for these.
P95_KINDS = ["api_detail", "api_list", "project_page", "search_page"]
GROWTH_KINDS = ["api_list", "api_search", "search_page"]
# Issue #19: every page p95 under 100 ms with the cache off, on distinct URLs…
PAGE_KINDS = ["project_page", "search_page", "area_page"]
TARGET_PAGE_P95_MS = 100
# …the API at least as fast as Datasette's equivalent, and Lighthouse (mobile) on every page type.
API_KINDS = ["api_search", "api_detail"]
TARGET_LIGHTHOUSE = {"score": 95, "cls": 0.1, "tbt_ms": 200}


def _latency(result: dict) -> str:
    text = f"{result['p50']:.1f} / {result['p95']:.1f} / {result['p99']:.1f}"
    return text + (f" ({result['errors']} errors)" if result["errors"] else "")


def _row(cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _header(*names: str, left: int = 1) -> list[str]:
    return [_row(names), "|" + "---|" * left + "---:|" * (len(names) - left)]


def _at_most(value: float, limit: float, unit: str) -> tuple[str, str]:
    if value < limit:
        return "**pass**", f"{limit - value:.1f} {unit} to spare"
    return "**miss**", f"over by {value - limit:.1f} {unit} ({value / limit:.2f}× the limit)"


def _at_least(ratio: float, target: float = 1.0) -> tuple[str, str]:
    if ratio >= target:
        return "**pass**", f"{ratio:.2f}×"
    short = (1 - ratio / target) * 100
    return "**miss**", f"{ratio:.2f}×: {short:.0f}% short, needs {target / ratio:.1f}× the throughput"


def render(results: dict) -> str:
    settings, med = results["settings"], results["medians"]
    cached, computed, datasette = med["cached"], med["computed"], med["datasette"]
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` ([bench/run.py](../bench/run.py)) on {settings['date']}.",
        "",
        f"- Machine: {settings['machine']}. The load generator, PostgreSQL, Redis, Datasette and the server "
        "share these cores.",
        f"- Data: the synthetic corpus (`generate_synthetic --projects {settings['projects']} --seed 1`) on "
        "PostgreSQL. The generation, like every load, ends with `ANALYZE`, so the planner has statistics whether "
        f"or not autovacuum runs (this server's autovacuum: {results['explain'].get('autovacuum', 'not recorded')}).",
        f"- Server: gunicorn, {settings['workers']} sync workers, production settings (`oa_evidence.production`), "
        "Redis as the shared cache (`REDIS_URL`, as `make serve`), WhiteNoise for static files, run from a "
        "production install (`pip install -e .`, no dev extras: bench/out/server-venv).",
        f"- Load: wrk from a separate process over loopback, {settings['concurrency']} connections, "
        f"{settings['duration']} per run, `Accept-Encoding: gzip` on every request (ours, Datasette's and the "
        f"ceiling's). Every figure is the **median of {settings['repeat']} repetitions**; ours and Datasette's "
        "come from the same repetitions, and each ratio is of the two medians.",
        f"- **The mix**: {results['combined_count']:,} distinct URLs drawn (seeded) over the corpus "
        "([bench/mix.py](../bench/mix.py)): random project slugs, filtered lists with random filter "
        "combinations, searches with the corpus's words, area pages, CSV exports. Each kind is a run of its own "
        "(wrk cycles through its list, each thread from its own offset); *whole mix* is all of them shuffled "
        "into one list. **Cache on**: the production default, the Redis cache emptied before each run, so the "
        "run includes the misses; the hit rate is the share of requests that found their whole response "
        "cached (1 − responses stored ÷ requests). **Cache off**: `RESPONSE_CACHE_SECONDS=0`, every request "
        "runs its queries and renders; the cache of facet counts and similar projects is emptied before each "
        "run too, so distinct URLs compute those as well.",
        "- Datasette 0.65.5 serves the same corpus from SQLite (same seed; FTS5 index on titles, summaries and "
        "search text; `ANALYZE`d) with `--immutable`. Its **equivalents** return what our API returns, by SQL "
        "([bench/equivalents.py](../bench/equivalents.py)), over distinct URLs drawn from the same random "
        "choices as ours. Its **flat rows** (one table row; earlier reports' comparison) are kept for reference.",
        "",
    ]
    lines += _page_targets(results)
    lines += _targets(results)
    lines += _where_the_time_goes()
    lines += _mix_tables(results)
    lines += ["## Datasette's equivalents (distinct URLs, same mix style)", "",
              *_header("kind", "Datasette req/s", "Datasette p50 / p95 / p99 ms", "ours, cache off, req/s",
                       "cache off ÷ Datasette", "ours, cache on, req/s", "cache on ÷ Datasette")]
    for kind in RATIO_KINDS:
        theirs = datasette["mix"][kind]
        lines.append(_row([KIND_LABELS[kind], f"{theirs['rps']:.0f}", _latency(theirs),
                           f"{computed['mix'][kind]['rps']:.0f}", f"{computed['mix'][kind]['rps'] / theirs['rps']:.2f}",
                           f"{cached['mix'][kind]['rps']:.0f}", f"{cached['mix'][kind]['rps'] / theirs['rps']:.2f}"]))
    lines += ["", "Datasette's side does less in places: it does not compute the evidence rating's label and "
              "reasons, the headline's plain summary or the count of projects without a cost; its full-text "
              "search (table `_search`, `_nosuggest=1`) has no stemming, synonyms or ranking, and its JSON is not "
              "compressed (see *On the wire*).", ""]
    lines += _same_url(results)
    lines += _wire(results)
    lines += _growth(results)
    lines += _explain(results)
    lines += _asked(results)
    lines += lighthouse.render(results.get("lighthouse"))
    lines += _other(results)
    lines += _reproduce()
    return "\n".join(lines)


def _where_the_time_goes() -> list[str]:
    """The profile behind each miss: written by hand from cProfile runs (bench/PROFILES.md), since a
    profile explains a number but is not one the benchmark can measure honestly under load."""
    notes = Path(__file__).with_name("PROFILES.md")
    return [notes.read_text().strip(), ""] if notes.exists() else []


def _ratio_to_datasette(medians: dict, kind: str) -> float:
    """Our throughput with the cache off over Datasette's equivalent's, from the medians."""
    return medians["computed"]["mix"][kind]["rps"] / medians["datasette"]["mix"][kind]["rps"]


def _largest_workers(results: dict) -> list[float]:
    """The largest worker's resident memory (MB) after each repetition, cache on then cache off."""
    return [max(sizes) for mode in ("cached", "computed") for sizes in results["runs"][mode]["memory_mb"]]


def _page_targets(results: dict) -> list[str]:
    """Issue #19's targets, each with the three repetitions behind its median."""
    med, runs = results["medians"], results["runs"]
    lines = ["## Against the targets (issue #19)", "", *_header("target", "measured (median)", "the repetitions",
                                                              "result", "by how much")]
    for kind in PAGE_KINDS:
        p95 = med["computed"]["mix"][kind]["p95"]
        each = " / ".join(f"{run['p95']:.1f}" for run in runs["computed"]["mix"][kind])
        lines.append(_row([f"{KIND_LABELS[kind]}, cache off, distinct URLs: p95 < {TARGET_PAGE_P95_MS} ms",
                           f"{p95:.1f} ms", f"{each} ms", *_at_most(p95, TARGET_PAGE_P95_MS, "ms")]))
    for kind in API_KINDS:
        ratio = _ratio_to_datasette(med, kind)
        each = " / ".join(f"{ours['rps'] / theirs['rps']:.2f}×" for ours, theirs
                          in zip(runs["computed"]["mix"][kind], runs["datasette"]["mix"][kind], strict=True))
        lines.append(_row([f"{KIND_LABELS[kind]}, cache off: ≥ 1.0× Datasette's equivalent", f"{ratio:.2f}×", each,
                           *_at_least(ratio)]))
    largest = _largest_workers(results)
    each = " / ".join(f"{size:.0f}" for size in largest) + " MB"
    lines.append(_row([f"Worker resident memory < {TARGET_RSS_MB} MB (largest worker, any run)",
                       f"{max(largest):.0f} MB", each, *_at_most(max(largest), TARGET_RSS_MB, "MB")]))
    pages = (results.get("lighthouse") or {}).get("pages") or []
    if pages:
        worst = {"score": min(page["score"] for page in pages), "cls": max(page["cls"] for page in pages),
                 "tbt_ms": max(page["tbt_ms"] for page in pages)}
        met = (worst["score"] >= TARGET_LIGHTHOUSE["score"] and worst["cls"] < TARGET_LIGHTHOUSE["cls"]
               and worst["tbt_ms"] < TARGET_LIGHTHOUSE["tbt_ms"])
        lines.append(_row([f"Lighthouse mobile on all {len(pages)} page types: score ≥ {TARGET_LIGHTHOUSE['score']}, "
                           f"CLS < {TARGET_LIGHTHOUSE['cls']}, TBT < {TARGET_LIGHTHOUSE['tbt_ms']} ms",
                           f"lowest {worst['score']}, CLS ≤ {worst['cls']:.3f}, TBT ≤ {worst['tbt_ms']:.0f} ms",
                           "median of each page's runs", "**pass**" if met else "**miss**", "—"]))
    return lines + ["", "The repetitions show how far this machine's runs spread; each result is judged on the "
                    "median.", ""]


def _targets(results: dict) -> list[str]:
    med, timings, settings = results["medians"], results["timings"], results["settings"]
    lines = ["## Against the targets (issue #15)", "", *_header("target", "measured", "result", "by how much")]
    for kind in RATIO_KINDS:
        ratio = _ratio_to_datasette(med, kind)
        lines.append(_row([f"{KIND_LABELS[kind]}, cache off: ≥ 1.0× Datasette's equivalent",
                           f"{ratio:.2f}×", *_at_least(ratio)]))
    for kind in P95_KINDS:
        p95 = med["cached"]["mix"][kind]["p95"]
        lines.append(_row([f"{KIND_LABELS[kind]}, the mix with the production cache: p95 < {TARGET_P95_MS} ms",
                           f"{p95:.1f} ms", *_at_most(p95, TARGET_P95_MS, "ms")]))
    rss = max(_largest_workers(results))
    lines.append(_row([f"Worker resident memory < {TARGET_RSS_MB} MB (largest worker, any run)", f"{rss:.0f} MB",
                       *_at_most(rss, TARGET_RSS_MB, "MB")]))
    page_kb = results["inspect"]["project_page"]["bytes"] / 1024
    lines.append(_row([f"Project page first load < {TARGET_PAGE_KB} KB (page + scripts + styles, gzip)",
                       f"{page_kb:.0f} KB", *_at_most(page_kb, TARGET_PAGE_KB, "KB")]))
    load = timings["load_evidence (first load)"]
    lines.append(_row([f"load_evidence of the curated corpus < {TARGET_LOAD_S} s", f"{load:.1f} s",
                       *_at_most(load, TARGET_LOAD_S, "s")]))
    generate = timings[f"generate_synthetic --projects {settings['projects']}"]
    lines.append(_row([f"generate_synthetic {settings['projects']:,} (with the load's precompute) < 2 min",
                       f"{generate:.1f} s", *_at_most(generate, TARGET_GENERATE_S, "s")]))
    growth = med.get("growth") or {}
    for kind in GROWTH_KINDS:
        large = settings["growth_projects"] or 50000
        label = f"{KIND_LABELS[kind]}: p95 at {large:,} ÷ p95 at {settings['projects']:,} ≤ {TARGET_GROWTH}×"
        if kind in growth:
            ratio = growth[kind]["p95"] / _growth_base(med)[kind]["p95"]
            lines.append(_row([label, f"{ratio:.2f}×", *_at_most(ratio, TARGET_GROWTH, "×")]))
        else:
            lines.append(_row([label, "not measured", "—", "run with BENCH_GROWTH=1 (or `--only growth`)"]))
    same = med["cached"]["same"]
    slow = [name for name, result in same.items() if result["p95"] >= TARGET_P95_MS]
    lines.append(_row([f"No regression: same URL, cached, p95 < {TARGET_P95_MS} ms on every endpoint",
                       f"{len(same) - len(slow)} of {len(same)}", "**miss**" if slow else "**pass**",
                       ", ".join(slow) or "—"]))
    return lines + [""]


def _mix_tables(results: dict) -> list[str]:
    med, examples = results["medians"], results["examples"]
    lines = ["## The mix: response cache on (production) and off", "",
             *_header("kind", "distinct URLs", "cache on req/s", "cache on p50 / p95 / p99 ms", "hit rate",
                      "requests per run", "cache off req/s", "cache off p50 / p95 / p99 ms")]
    for kind in [*[k.key for k in KINDS], "combined"]:
        hot, cold = med["cached"]["mix"][kind], med["computed"]["mix"][kind]
        label = KIND_LABELS.get(kind, "**Whole mix**")
        count = examples[kind]["count"] if kind in examples else results["combined_count"]
        lines.append(_row([label, f"{count:,}", f"{hot['rps']:.0f}", _latency(hot), f"{hot['hit_rate']:.0%}",
                           f"{hot['requests']:,.0f}", f"{cold['rps']:.0f}", _latency(cold)]))
    lines += ["", "A hit rate well above 0% means the run cycled through its list more than once: after the first "
              "pass every URL is cached. A response that is never stored (for instance one that sets a cookie) "
              "shows 0%.", ""]
    return lines


def _same_url(results: dict) -> list[str]:
    med = results["medians"]
    ceiling = med["cached"]["ceiling"]
    endpoints = same_url(results["settings"]["projects"])
    lines = ["## The same URL repeated (earlier reports' figures; the no-regression target)", "",
             *_header("endpoint", "cached req/s", "cached p50 / p95 / p99 ms", "computed req/s",
                      "computed p50 / p95 / p99 ms", "Datasette flat row req/s", "Datasette p95 ms",
                      "cached ÷ ceiling")]
    for name, path, equivalent in endpoints:
        hot, cold = med["cached"]["same"][name], med["computed"]["same"][name]
        theirs = med["datasette"]["same"].get(name) if equivalent else None
        lines.append(_row([f"{name} `{path}`", f"{hot['rps']:.0f}", _latency(hot), f"{cold['rps']:.0f}",
                           _latency(cold), f"{theirs['rps']:.0f}" if theirs else "—",
                           f"{theirs['p95']:.1f}" if theirs else "—", f"{hot['rps'] / ceiling['rps']:.2f}"]))
    lines.append(_row(["Static JSON ceiling (WhiteNoise, same gunicorn)", f"{ceiling['rps']:.0f}", _latency(ceiling),
                       "—", "—", "—", "—", "1.00"]))
    lines += ["", "With one URL repeated, *cached* is 100% hits by construction and *computed* still reuses the "
              "cached facet counts and similar projects after the first request; the mix above does neither. "
              "Datasette's flat rows: " + "; ".join(f"{name}: `{path}`" for name, _, path in endpoints if path)
              + " (the table view, which also suggests facets).", ""]
    return lines


def _wire(results: dict) -> list[str]:
    found = results["inspect"]
    lines = ["## On the wire (the first URL of each kind, `Accept-Encoding: gzip`)", "",
             *_header("kind", "ours: bytes sent", "uncompressed", "Content-Encoding", "Datasette: bytes sent",
                      "Datasette uncompressed", "Content-Encoding")]
    for kind, ours in found["ours"].items():
        theirs = found["datasette"].get(kind)
        lines.append(_row([KIND_LABELS.get(kind, "Static JSON ceiling"), f"{ours['bytes']:,}",
                           f"{ours['plain_bytes']:,}", ours["encoding"] or "**none**",
                           f"{theirs['bytes']:,}" if theirs else "—", f"{theirs['plain_bytes']:,}" if theirs else "—",
                           (theirs["encoding"] or "none") if theirs else "—"]))
    plain = [KIND_LABELS.get(kind, "Static JSON ceiling") for kind, ours in found["ours"].items()
             if not ours["encoding"]]
    lines += ["", ("Every response of ours was compressed." if not plain else
                   "**Not compressed**: " + ", ".join(plain) + ".")]
    page = found["project_page"]
    parts = ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in page["parts"].items())
    lines += [f"Project page first load: {page['bytes'] / 1024:.0f} KB ({parts}).", ""]
    return lines


def _growth(results: dict) -> list[str]:
    growth, settings = results["medians"].get("growth") or {}, results["settings"]
    if not growth:
        return ["## Growth", "", "Not measured in this run (`BENCH_GROWTH=1 make bench` adds it).", ""]
    computed = _growth_base(results["medians"])
    when = f" on {settings['growth_date']}" if settings.get("growth_date") else ""
    together = (f"each corpus measured in the same repetitions{when}, the {settings['projects']:,}-project figures "
                f"here from those repetitions, not the mix's above" if results["medians"].get("growth_base") else
                f"the {settings['projects']:,}-project figures are the mix's above")
    lines = ["## Growth (cache off, the same URL lists)", "",
             f"Median of {settings['repeat']} repetitions; {together}.", "",
             *_header("kind", f"p95 at {settings['projects']:,} ms", f"p95 at {settings['growth_projects']:,} ms",
                      "ratio", f"req/s at {settings['projects']:,}", f"req/s at {settings['growth_projects']:,}")]
    for kind in GROWTH_KINDS:
        small, large = computed[kind], growth[kind]
        lines.append(_row([KIND_LABELS[kind], f"{small['p95']:.1f}", f"{large['p95']:.1f}",
                           f"{large['p95'] / small['p95']:.2f}×", f"{small['rps']:.0f}", f"{large['rps']:.0f}"]))
    return lines + [""]


def _growth_base(medians: dict) -> dict:
    """What the growth runs are compared with: the smaller corpus measured in the same repetitions
    when the run did so (`growth_base`), else the mix's cache-off runs."""
    return medians.get("growth_base") or medians["computed"]["mix"]


def _explain(results: dict) -> list[str]:
    explained = results["explain"]
    lines = ["## Query plans", "",
             "`EXPLAIN (ANALYZE, BUFFERS)` of every SELECT one request runs (response cache off), in "
             "`bench/out/explain-<request>.txt`. A sequential scan is listed when its table holds more than "
             "1,000 rows.", "",
             *_header("request", "queries", "execution ms (sum)", "sequential scans of large tables")]
    for kind, summary in explained["kinds"].items():
        scans = ", ".join(f"{scan['table']} ({scan['rows']:,} rows, query {scan['query']}"
                          + ("" if scan.get("executed", True) else ", planned but never executed") + ")"
                          for scan in summary["seq_scans"]) or "none"
        lines.append(_row([f"{kind} `{summary['path']}`", summary["queries"], f"{summary['execution_ms']:.1f}",
                           scans]))
    if explained["unanalyzed"]:
        lines += ["", "When the plans were captured PostgreSQL had no statistics for "
                  + ", ".join(explained["unanalyzed"]) + ", so these plans may differ from a server's that has."]
    return lines + [""]


def _asked(results: dict) -> list[str]:
    examples = results["examples"]
    lines = ["## Exactly what was asked", "",
             "Every URL is in `bench/out/urls/` (one file per kind, ours and Datasette's, and `combined.txt`); "
             "the first of each kind:", "",
             *_header("kind", "ours", "Datasette's equivalent")]
    for kind, example in examples.items():
        theirs = example["theirs"] or "—"
        if theirs.startswith(("/bench.json?sql=", "/bench.csv?sql=")):
            base, query = theirs.split("?", 1)
            theirs = "&".join([f"{base}?sql=(the list SQL below)",
                               *(part for part in query.split("&") if not part.startswith("sql="))])
        lines.append(_row([KIND_LABELS[kind], f"`{example['ours']}`", f"`{theirs}`"]))
    lines += ["", f"The list SQL for `{examples['api_list']['ours']}` (each list URL has its own, with its "
              "filters; the CSV's is the same without the count and the limit):", "", "```sql",
              examples["api_list"]["sql"], "```", "",
              "<details><summary>The detail: Datasette's canned query <code>project_detail</code> "
              "(bench/equivalents.py)</summary>", "", "```sql", DETAIL_SQL, "```", "", "</details>", ""]
    return lines


def _other(results: dict) -> list[str]:
    lines = ["## Other measurements", "", *_header("what", "measured")]
    lines += [_row([name, f"{seconds:.1f} s"]) for name, seconds in results["timings"].items()]
    for mode, label in (("cached", "cache on"), ("computed", "cache off")):
        largest = [f"{max(sizes):.0f}" for sizes in results["runs"][mode]["memory_mb"]]
        lines.append(_row([f"largest gunicorn worker after each {label} repetition", " / ".join(largest) + " MB"]))
    return lines + [""]


def _reproduce() -> list[str]:
    return ["## Reproduce", "", "```sh",
            "make bench          # PostgreSQL on 127.0.0.1:5432 (user postgres), Redis on 127.0.0.1:6379, wrk",
            "BENCH_GROWTH=1 make bench                                   # adds the 50,000-project growth runs",
            "BENCH_DURATION=30s BENCH_CONCURRENCY=16 BENCH_REPEAT=5 make bench   # heavier runs",
            "bench/run.py --report-only                                  # re-render this page from bench/out",
            "bench/run.py --only lighthouse                # Lighthouse alone: its section of this page only",
            "bench/run.py --only growth        # after a full run: adds the growth runs (50,000 against 10,000)",
            "```", "",
            "Other settings: `BENCH_PROJECTS` (10000), `BENCH_MIX` (2000 URLs), `BENCH_WORKERS` (4), "
            "`BENCH_DB_PREFIX` (`oa_bench`: the databases it creates), `BENCH_REDIS_URL` "
            "(`redis://127.0.0.1:6379/5`: emptied before each run), `BENCH_GROWTH_PROJECTS` (50000), "
            "`BENCH_DATASETTE` (a datasette executable; else one is installed in `.venv-datasette`), "
            "`BENCH_LIGHTHOUSE_RUNS` (3 runs of each page), `CHROME_PATH` (`/usr/bin/chromium`).", ""]
