"""The benchmark's Lighthouse step (bench/lighthouse.py): its table, and how running it alone
rewrites only its own section of docs/PERFORMANCE.md."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import lighthouse  # noqa: E402

FOUND = {"version": "12.8.2", "runs": 3, "benchmark_index": 640.0, "warnings": [],
         "pages": [{"page": "home", "path": "/", "runs": 3, "score": 97, "lcp_ms": 1834.2, "tbt_ms": 12.0,
                    "cls": 0.0012, "fcp_ms": 1200.0, "transfer_bytes": 27516}]}


def test_every_page_type_is_measured():
    names = {name for name, _ in lighthouse.PAGES}
    assert {"home", "search", "project", "area", "area briefing", "theme", "compare", "explore", "sources"} <= names


def test_the_table_gives_score_lcp_tbt_cls_and_transfer_size():
    lines = lighthouse.render(FOUND)
    assert lines[0] == lighthouse.HEADING
    assert "| home (`/`) | 97 | 1.8 s | 12 ms | 0.001 | 27 KiB |" in lines
    assert "median of 3 runs" in "\n".join(lines)


def test_running_it_alone_replaces_only_its_section():
    page = "# Performance\n\n## Targets\n\nkept\n\n## Other measurements\n\nalso kept\n"
    once = lighthouse.replace_section(page, lighthouse.render(FOUND))
    assert once.index(lighthouse.HEADING) < once.index("## Other measurements")
    assert "kept" in once and "also kept" in once
    again = lighthouse.replace_section(once, lighthouse.render({**FOUND, "runs": 5}))
    assert again.count(lighthouse.HEADING) == 1 and "median of 5 runs" in again and "median of 3 runs" not in again
    assert again.replace("median of 5 runs", "median of 3 runs") == once
