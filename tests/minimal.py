"""A small, valid fixture tree for loader tests, written into a temporary folder.

It uses the real text of one source document, so quotes are checked for real.
"""

import shutil
from pathlib import Path

import yaml
from django.conf import settings

from web.loading import load_evidence

SOURCE = "000_1f1c3d470389f224"


MATHS_QUOTE = ("The percentage of children in Derby meeting the expected standard in maths at KS2 increased "
               "to 76% in 2019 (from 64% in 2016) against a national figure of 79% (70% in 2016).")


def cite(quote: str, locator: str = "Derby case study, Project Costs") -> list[dict]:
    return [{"source": SOURCE, "locator": locator, "quote": quote}]


ROWS = {
    "Phonics": ["38121", "17980", "24980"],
    "Reading and writing": ["98298", "40000", "50000"],
    "Maths": ["31480", "20000", "25000"],
}
PERIODS = [("Sept 2018 – August 2020 (projects commissioned over 2 years)", 2018, 2020),
           ("2020/21", 2020, 2021), ("2021/22", 2021, 2022)]


def cost_lines() -> list[dict]:
    """The nine cells of Derby's cost table: three rows by three periods."""
    lines = []
    for row, amounts in ROWS.items():
        quote = f"{row} " + " ".join(f"{int(a):,}" for a in amounts)
        for (period, start, end), amount in zip(PERIODS, amounts, strict=True):
            lines.append({"description": row, "category": "training", "period": period, "start_year": start,
                          "end_year": end, "amount": amount, "funding_source": "oa", "cite": cite(quote)})
    return lines


def project(**overrides) -> dict:
    data = {
        "slug": "derby-primary",
        "title": "Derby primary school improvement",
        "area": "derby",
        "summary": "Support for primary schools in phonics, reading, writing and maths.",
        "start_year": 2018,
        "end_year": 2022,
        "themes": ["maths"],
        "phases": ["ks2"],
        "reach": {"schools": 25, "cite": cite(
            "Each project cost up to £25,000, and aimed to work with approximately 25 schools, per year."
        )},
        "cite": cite("The projects have run from 2018 until August 2022, costing a total of £345,859."),
        "organisations": [{"name": "Derby City Council", "kind": "local_authority", "role": "funder"}],
        "costs": {"tables": [{
            "name": "Project Costs",
            "lines": cost_lines(),
            "totals": [
                {"label": "Total (across 4 years)", "kind": "total", "amount": "345859", "scope": {},
                 "cite": cite("Total (across 4 years): £345,859")},
            ],
        }]},
        "outcomes": [{
            "id": "ks2-maths",
            "metric": "Pupils meeting the expected standard in maths at KS2",
            "subject": "maths", "phase": "ks2", "group": "all", "unit": "percent",
            "baseline": {"value": "64", "year": "2016"}, "follow_up": {"value": "76", "year": "2019"},
            "comparator": {"label": "national", "baseline": "70", "follow_up": "79"},
            "evidence_type": "national_statistics",
            "cite": cite(MATHS_QUOTE, "Derby case study, Outcomes"),
        }],
        "evidence": {
            "design": "benchmark_comparison", "evaluator": "delivery_team",
            "note": "Derby's KS2 maths results beside the national figure, from the OA's own case study.",
            "cite": cite(MATHS_QUOTE, "Derby case study, Outcomes"),
        },
        "headline": {
            "outcome": "ks2-maths", "direction": "improved",
            "statement": "KS2 maths in Derby rose from 64% to 76%, against a national 70% to 79%.",
            "cite": cite(MATHS_QUOTE, "Derby case study, Outcomes"),
        },
        "findings": [{
            "kind": "key_ingredient", "title": "Trusted and credible delivery partners",
            "text": "Providers known locally could secure engagement and start quickly.",
            "cite": cite("Trusted and credible delivery partners", "Derby case study, Key Ingredients for Success"),
        }],
    }
    data.update(overrides)
    return data


def load_tree(root: Path):
    """Load a test tree over whatever the test database holds, which it replaces."""
    return load_evidence(root, allow_removals=True)


def write_tree(root: Path, projects: list[dict] | None = None) -> Path:
    """Write a fixture tree with the real sources/areas/themes/phases and the given projects."""
    real = Path(settings.FIXTURES_DIR)
    (root / "sources").mkdir(parents=True, exist_ok=True)
    shutil.copy(real / "sources" / f"{SOURCE}.txt", root / "sources" / f"{SOURCE}.txt")
    sources = [s for s in yaml.safe_load((real / "sources.yaml").read_text()) if s["key"] == SOURCE]
    (root / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True))
    for name in ("areas.yaml", "themes.yaml", "phases.yaml"):
        shutil.copy(real / name, root / name)
    for data in [project()] if projects is None else projects:
        folder = root / "projects" / data["area"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{data['slug']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return root
