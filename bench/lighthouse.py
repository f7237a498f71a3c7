"""Lighthouse on every page type, as a phone sees it (its default mobile settings: a mid-range phone
on a slow 4G connection, throttling simulated), against the site served by gunicorn with production
settings and the curated corpus.

Run alone with `bench/run.py --only lighthouse` (or `bench/lighthouse.py`): it loads the curated
corpus into `<BENCH_DB_PREFIX>_curated`, serves it, runs Lighthouse BENCH_LIGHTHOUSE_RUNS times on
each page, writes bench/out/lighthouse.json and puts its table in docs/PERFORMANCE.md (replacing
the Lighthouse section, the rest of the page as it was). `make bench` runs it as one of its steps.

Needs `npm ci` (node_modules/.bin/lighthouse, pinned in package.json) and Debian's chromium.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox"
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
HEADING = "## Lighthouse (mobile, every page type)"

# One page of each type, from the curated corpus.
PAGES = [
    ("home", "/"),
    ("search", "/projects/"),
    ("project", "/projects/stoke-ks2-science-across-the-city/"),
    ("area", "/areas/stoke-on-trent/"),
    ("area briefing", "/areas/stoke-on-trent/briefing/"),
    ("theme", "/themes/maths/"),
    ("compare", "/compare/?projects=blackpool-ks3-literacy,hastings-maths-project"),
    ("explore", "/explore/"),
    ("sources", "/sources/"),
]
METRICS = {  # our name: Lighthouse's audit
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "fcp_ms": "first-contentful-paint",
    "transfer_bytes": "total-byte-weight",
}


def _report(url: str, attempts: int = 3) -> dict:
    """Lighthouse's JSON report of one URL. On a busy machine Chrome now and then fails to start
    or answer in time, so a failed run is tried again (at most `attempts` in all)."""
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` (make install-node)")
    for attempt in range(1, attempts + 1):
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "report.json"
            result = subprocess.run(
                [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json", f"--output-path={output}",
                 f"--chrome-flags={CHROME_FLAGS}", "--quiet"],
                env={**os.environ, "CHROME_PATH": CHROME}, cwd=ROOT, timeout=300, capture_output=True, text=True)
            if result.returncode == 0:
                return json.loads(output.read_text())
        print(f"    Lighthouse failed (attempt {attempt} of {attempts}): {result.stderr.strip()[-300:]}", flush=True)
    raise RuntimeError(f"Lighthouse failed {attempts} times on {url}")


def lighthouse_once(url: str) -> dict:
    """One Lighthouse run of one URL: the performance score (0-100) and the metrics."""
    report = _report(url)
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse failed on {url}: {report['runtimeError']}")
    audits = report["audits"]
    return {"score": round(report["categories"]["performance"]["score"] * 100),
            **{name: audits[audit]["numericValue"] for name, audit in METRICS.items()},
            "benchmark_index": report["environment"]["benchmarkIndex"],
            "warnings": report.get("runWarnings", []), "version": report["lighthouseVersion"]}


def measure(base_url: str, runs: int = RUNS) -> dict:
    """Every page type, `runs` times each (pages in turn, so a slow moment spreads over all of them);
    each figure is the median of its runs."""
    for _, path in PAGES:  # the first request of each page computes and caches it, as in production
        for _ in range(4):
            urllib.request.urlopen(base_url + path, timeout=60).read()
    found: dict[str, list[dict]] = {name: [] for name, _ in PAGES}
    load = []  # the machine's 1-minute load average after each run: Lighthouse times the CPU it gets
    for run in range(1, runs + 1):
        for name, path in PAGES:
            print(f"  Lighthouse {run}/{runs}: {name} …", flush=True)
            found[name].append(lighthouse_once(base_url + path))
            load.append(os.getloadavg()[0])
    pages = []
    for name, path in PAGES:
        results = found[name]
        pages.append({"page": name, "path": path, "runs": len(results),
                      "score": statistics.median(r["score"] for r in results),
                      **{metric: statistics.median(r[metric] for r in results) for metric in METRICS}})
    every = [result for results in found.values() for result in results]
    return {"pages": pages, "runs": runs, "version": every[0]["version"], "date": f"{date.today():%-d %B %Y}",
            "benchmark_index": statistics.median(r["benchmark_index"] for r in every),
            "warnings": sorted({warning for r in every for warning in r["warnings"]}),
            "load_average": [min(load), statistics.median(load), max(load)], "cores": os.cpu_count()}


def render(found: dict | None) -> list[str]:
    """The report's Lighthouse section (markdown lines)."""
    if not found:
        return [HEADING, "", "Not measured in this run (`bench/run.py --only lighthouse` adds it).", ""]
    lines = [HEADING, "",
             f"Measured{' on ' + found['date'] if found.get('date') else ''} with Lighthouse {found['version']} "
             "([bench/lighthouse.py](../bench/lighthouse.py)), its default mobile "
             "settings (a mid-range phone on slow 4G, throttling simulated from one unthrottled load), "
             "performance category only, Debian's chromium (`--headless=new`), against gunicorn with production "
             f"settings serving the curated corpus, each page cached once before. Each figure is the **median of "
             f"{found['runs']} runs**. This machine's Lighthouse benchmark index: "
             f"{found['benchmark_index']:.0f}"
             + (f"; its 1-minute load average during the runs (min / median / max of {found['cores']} cores): "
                + " / ".join(f"{value:.1f}" for value in found["load_average"]) if found.get("load_average") else "")
             + ". TBT and the score follow the CPU Lighthouse gets, so they move with how busy the machine is.", "",
             "| page | performance | LCP | TBT | CLS | transferred |", "|---|---:|---:|---:|---:|---:|"]
    for page in found["pages"]:
        lines.append(f"| {page['page']} (`{page['path']}`) | {page['score']:.0f} | {page['lcp_ms'] / 1000:.1f} s "
                     f"| {page['tbt_ms']:.0f} ms | {page['cls']:.3f} | {page['transfer_bytes'] / 1024:.0f} KiB |")
    lines.append("")
    for warning in found["warnings"]:
        lines.append(f"Lighthouse warned: {warning.split('. Learn more')[0].replace('  ', ' ')}.")
        lines.append("")
    return lines


def replace_section(text: str, section: list[str]) -> str:
    """`text` (docs/PERFORMANCE.md) with its Lighthouse section replaced, or added before
    "## Other measurements" (else at the end)."""
    lines = text.splitlines()
    if HEADING in lines:
        start = lines.index(HEADING)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    else:
        start = end = next((i for i, line in enumerate(lines) if line == "## Other measurements"), len(lines))
    return "\n".join([*lines[:start], *section, *lines[end:]]) + "\n"


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import run  # bench/run.py: its databases and server, as `bench/run.py --only lighthouse`

    run.lighthouse_alone()
