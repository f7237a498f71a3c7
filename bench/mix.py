"""What the benchmark asks for: realistic, distinct URLs over the synthetic corpus.

For each kind of page or endpoint, `build_mix()` draws a list of distinct URLs (seeded, so every
run asks for the same ones): random project slugs, filtered lists with random filter
combinations, searches with words the synthetic titles and summaries use, area pages, CSV exports.
For the four API kinds it also builds Datasette's equivalent of each URL from the same random
choice (the SQL is in equivalents.py), so both sides get the same uncacheable mix.

The words come from the synthetic generator itself (web/synthetic.py), the themes and phases from
the fixtures, so the searches match what the corpus holds. This module reads those files but
imports nothing from the site: the benchmark drives the site from outside.
"""

from __future__ import annotations

import ast
import random
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import yaml
from equivalents import JSON_COLUMNS, list_sql

ROOT = Path(__file__).resolve().parent.parent
AREAS = 100  # generate_synthetic's default: synthetic-area-1 … synthetic-area-100, ids 1 … 100
PAGE_SIZE = 20  # the API's and the search page's
STOPWORDS = set("a an and are as at be by for from has in is it its of on or that the to was were with "
                "well below wide few high weak low each inc doing term entry".split())


def same_url(projects: int) -> list[tuple[str, str, str | None]]:
    """The same-URL endpoints of earlier reports, kept as the "no regression" figures:
    (name, our path, Datasette's flat-row path or None). Project 500, or the last of a smaller corpus."""
    number = min(500, projects)
    return [
        ("Home page", "/", None),
        ("Search: text + two facets", "/projects/?q=maths&area=synthetic-area-5&phase=ks2", None),
        ("Project page", f"/projects/synthetic-project-{number}/", None),
        ("API project list, filtered", "/api/v1/projects/?area=synthetic-area-5&start_year=2018&min_cost=100000",
         "/bench/projects_project.json?area_id=5&start_year__gte=2018&_size=20&_shape=objects"),
        ("API project detail", f"/api/v1/projects/synthetic-project-{number}/",
         f"/bench/projects_project/{number}.json?_shape=objects"),
        ("API CSV export (one area, all rows)", "/api/v1/projects/?area=synthetic-area-5&format=csv",
         "/bench/projects_project.csv?area_id=5&_size=max"),
        ("API full-text search", "/api/v1/projects/?q=maths+mastery",
         "/bench/projects_project.json?_search=maths+mastery&_size=20&_shape=objects"),
    ]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    share: float  # of the whole mix


KINDS = [
    Kind("api_detail", "API project detail", 0.20),
    Kind("project_page", "Project page", 0.20),
    Kind("api_list", "API project list, filtered", 0.20),
    Kind("search_page", "Search page (text + facets)", 0.15),
    Kind("api_search", "API full-text search", 0.15),
    Kind("area_page", "Area page", 0.05),
    Kind("csv", "API CSV export (an area)", 0.05),
]
KIND_LABELS = {kind.key: kind.label for kind in KINDS}


@dataclass(frozen=True)
class Request:
    ours: str
    theirs: str | None = None  # Datasette's equivalent path
    sql: str | None = None  # the SQL in it, readable


def _literal(path: Path, name: str):
    """A module-level literal (a list or dict of strings) from one of the site's files, unimported."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"{name} not found in {path}")


def _slugs(fixture: str) -> list[str]:
    return [item["slug"] for item in yaml.safe_load((ROOT / "fixtures" / fixture).read_text())]


class Vocabulary:
    """Slugs and words of the synthetic corpus."""

    def __init__(self):
        synthetic = ROOT / "web" / "synthetic.py"
        programmes = _literal(synthetic, "PROGRAMMES")
        texts = programmes + _literal(synthetic, "ACTIVITIES") + _literal(synthetic, "PROBLEMS")
        words = {word.lower() for text in texts for word in re.findall(r"[A-Za-z]+", text)}
        self.words = sorted(word for word in words if len(word) > 2 and word not in STOPWORDS)
        self.phrases = sorted(p.lower() for p in programmes if " " in p and "@" not in p)
        self.themes = _slugs("themes.yaml")
        self.phases = _slugs("phases.yaml")
        self.orderings = [key for key in _literal(ROOT / "web" / "filters.py", "ORDERINGS") if key != "relevance"]


def _query(rng: random.Random, vocabulary: Vocabulary, *, typo: bool = False) -> str:
    """One word, two words or a programme's name; now and then a misspelt word."""
    roll = rng.random()
    if roll < 0.15:
        query = rng.choice(vocabulary.phrases)
    elif roll < 0.4:
        query = " ".join(rng.sample(vocabulary.words, 2))
    else:
        query = rng.choice(vocabulary.words)
    if typo and len(query) > 5:
        at = rng.randrange(1, len(query) - 1)
        query = query[:at] + query[at + 1:]
    return query


def _distinct(count: int, draw) -> list[Request]:
    """`count` requests with distinct URLs from `draw()` (fewer if the space runs out)."""
    seen: dict[str, Request] = {}
    for _ in range(count * 50):
        if len(seen) >= count:
            break
        request = draw()
        seen.setdefault(request.ours, request)
    return list(seen.values())


def _path(base: str, params: list[tuple[str, str]]) -> str:
    return f"{base}?{urlencode(params)}" if params else base


def _datasette_sql(sql: str, fmt: str = "json") -> str:
    params = [("sql", sql)]
    if fmt == "json":
        params += [("_shape", "array")] + [("_json", column) for column in JSON_COLUMNS]
    return f"/bench.{fmt}?{urlencode(params)}"


def _filters(rng: random.Random, vocabulary: Vocabulary, projects: int) -> dict:
    """A random combination of the list's filters, as people use them."""
    chosen: dict = {}
    if rng.random() < 0.5:
        chosen["area"] = rng.randint(1, AREAS)
    if rng.random() < 0.3:
        chosen["theme"] = rng.choice(vocabulary.themes)
    if rng.random() < 0.3:
        chosen["phase"] = rng.choice(vocabulary.phases)
    if rng.random() < 0.3:
        chosen["start_year"] = rng.randint(2016, 2021)
    if rng.random() < 0.3:
        chosen["min_cost"] = rng.choice([50000, 100000, 250000, 500000])
    if rng.random() < 0.3:
        chosen["ordering"] = rng.choice(vocabulary.orderings)
    # Later pages only where there surely are some: one broad filter (a theme holds ~8% of the
    # projects, a phase ~33%) on a corpus of at least 4,000.
    broad = (set(chosen) - {"ordering"}) in ({"theme"}, {"phase"}, set())
    if broad and projects >= 4000 and rng.random() < 0.3:
        chosen["page"] = rng.randint(2, min(5, projects // 2000))
    return chosen


def _our_filter_params(chosen: dict) -> list[tuple[str, str]]:
    params = []
    for name in ("area", "theme", "phase", "start_year", "min_cost", "ordering", "page"):
        if name in chosen:
            value = f"synthetic-area-{chosen[name]}" if name == "area" else str(chosen[name])
            params.append((name, value))
    return params


def build_mix(*, projects: int, size: int, seed: int = 2026) -> dict[str, list[Request]]:
    """Per kind, its share of `size` distinct requests (ours, and Datasette's equivalent)."""
    vocabulary = Vocabulary()
    rng = random.Random(seed)
    counts = {kind.key: max(1, round(size * kind.share)) for kind in KINDS}

    def api_detail():
        number = rng.randint(1, projects)
        return Request(f"/api/v1/projects/synthetic-project-{number}/",
                       f"/bench/project_detail.json?id={number}&_shape=array&_json=project")

    def project_page():
        return Request(f"/projects/synthetic-project-{rng.randint(1, projects)}/")

    def api_list():
        chosen = _filters(rng, vocabulary, projects)
        return Request(_path("/api/v1/projects/", _our_filter_params(chosen)), _datasette_sql(list_sql(chosen)),
                       list_sql(chosen, readable=True))

    def search_page():
        params = [("q", _query(rng, vocabulary, typo=rng.random() < 0.05))]
        if rng.random() < 0.5:
            params.append(("area", f"synthetic-area-{rng.randint(1, AREAS)}"))
        if rng.random() < 0.4:
            params.append(("phase", rng.choice(vocabulary.phases)))
        if rng.random() < 0.2:
            params.append(("theme", rng.choice(vocabulary.themes)))
        if rng.random() < 0.1:
            params.append(("ordering", rng.choice(vocabulary.orderings)))
        return Request(_path("/projects/", params))

    def api_search():
        query = _query(rng, vocabulary)
        area = rng.randint(1, AREAS) if rng.random() < 0.3 else None
        ours = [("q", query)] + ([("area", f"synthetic-area-{area}")] if area else [])
        theirs = [("_search", query)] + ([("area_id", str(area))] if area else [])
        return Request(_path("/api/v1/projects/", ours),
                       _path("/bench/projects_project.json",
                             theirs + [("_size", str(PAGE_SIZE)), ("_nosuggest", "1"), ("_shape", "objects")]))

    def area_page():
        area = rng.randint(1, AREAS)
        pages = max(1, projects // AREAS // PAGE_SIZE)
        page = rng.randint(1, pages) if counts["area_page"] > AREAS else 1
        return Request(_path(f"/areas/synthetic-area-{area}/", [("page", str(page))] if page > 1 else []))

    def csv():
        chosen = {"area": rng.randint(1, AREAS)}
        if counts["csv"] > AREAS and rng.random() < 0.5:
            chosen["phase"] = rng.choice(vocabulary.phases)
        ours = _path("/api/v1/projects/", _our_filter_params(chosen) + [("format", "csv")])
        return Request(ours, _datasette_sql(list_sql(chosen, every_row=True), fmt="csv"),
                       list_sql(chosen, every_row=True, readable=True))

    draws = {"api_detail": api_detail, "project_page": project_page, "api_list": api_list,
             "search_page": search_page, "api_search": api_search, "area_page": area_page, "csv": csv}
    return {kind.key: _distinct(counts[kind.key], draws[kind.key]) for kind in KINDS}


def warm_up_paths(mix: dict[str, list[Request]], *, per_kind: int) -> list[str]:
    """A few of each kind's URLs, to load each worker's code before a run (its cache is then emptied)."""
    return [request.ours for requests in mix.values() for request in requests[:per_kind]]


def combined(mix: dict[str, list[Request]], *, seed: int = 2026) -> list[str]:
    """Every kind's URLs in one shuffled list: the whole mix as one stream."""
    paths = [request.ours for requests in mix.values() for request in requests]
    random.Random(seed).shuffle(paths)
    return paths
