"""Read and validate: parse every fixture file and check everything, collecting every problem
with its file, record and field, before anything is written. The format is docs/FIXTURES.md."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.utils.text import slugify

from costs.figures import CountedPer, CountUnit, MoneyBasis, count_of, derive_cost_figures, money_of
from costs.models import CostCategory, FundingSource, TotalKind
from outcomes.evidence import Design, Direction, Evaluator, OutcomeKind, derive_outcome_kind
from outcomes.models import ChangeDirection, ChangeUnit, EvidenceType, PupilGroup, Unit
from projects.footnotes import glued
from projects.models import (
    AreaKind,
    DatePrecision,
    Delivery,
    FigureUnit,
    FindingKind,
    OrganisationKind,
    OrganisationRole,
    Qualifier,
    SourceKind,
)
from web.loading.records import FixtureError, Record, normalise_text, numbers_in
from web.loading.yamlfile import FixtureYAMLError, read_yaml

SCOPE_KEYS = {"period": "period_label", "category": "category", "description": "description",
              "funding_source": "funding_source"}


@dataclass
class Parsed:
    """Validated fixture content, ready to write. Keys are stable identifiers."""

    sources: dict[str, dict] = field(default_factory=dict)
    citations: dict[str, dict] = field(default_factory=dict)
    areas: dict[str, dict] = field(default_factory=dict)
    themes: dict[str, dict] = field(default_factory=dict)
    phases: dict[str, dict] = field(default_factory=dict)
    organisations: dict[str, dict] = field(default_factory=dict)
    projects: dict[str, dict] = field(default_factory=dict)
    roles: set[tuple[str, str, str]] = field(default_factory=set)
    interventions: dict[str, dict] = field(default_factory=dict)
    findings: dict[str, dict] = field(default_factory=dict)
    cost_lines: dict[str, dict] = field(default_factory=dict)
    cost_totals: dict[str, dict] = field(default_factory=dict)
    outcomes: dict[str, dict] = field(default_factory=dict)
    evidence: dict[str, dict] = field(default_factory=dict)
    cost_bases: dict[str, dict] = field(default_factory=dict)
    cost_counts: dict[str, dict] = field(default_factory=dict)
    area_figures: dict[str, dict] = field(default_factory=dict)
    headlines: dict[str, dict] = field(default_factory=dict)
    # (model name, record key) -> citation keys
    cited: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    content_hash: str = ""


class FixtureReader:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.problems: list[str] = []
        self.parsed = Parsed()
        self.source_texts: dict[str, str] = {}
        self.organisation_files: dict[str, str] = {}
        self.outcome_ids: dict[tuple[str, str], str] = {}

    def read(self) -> Parsed:
        if not self.root.is_dir():
            raise FixtureError([f"{self.root}: the fixtures folder does not exist"])
        self.parsed.content_hash = content_hash(self.root)
        self.read_sources()
        self.read_simple("areas.yaml", "area", self.parsed.areas, self.parse_area)
        self.read_simple("themes.yaml", "theme", self.parsed.themes, self.parse_theme)
        self.check_theme_parents()
        self.read_simple("phases.yaml", "phase", self.parsed.phases, self.parse_phase)
        self.read_area_figures()
        project_files = sorted((self.root / "projects").glob("**/*.yaml"))
        for path in project_files:
            self.read_project(path)
        self.check_parents()
        self.check_costing()
        if self.problems:
            raise FixtureError(self.problems)
        return self.parsed

    def relative(self, path: Path) -> str:
        return str(path.relative_to(self.root.parent)) if self.root.parent in path.parents else str(path)

    def load_yaml(self, path: Path) -> Any:
        try:
            if not path.read_bytes().strip():
                self.problems.append(f"{self.relative(path)}: file is empty (to remove a project, delete its file)")
                return None
            return read_yaml(path)
        except FileNotFoundError:
            self.problems.append(f"{self.relative(path)}: file is missing")
        except FixtureYAMLError as error:
            self.problems.append(f"{self.relative(path)}: {error}")
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            self.problems.append(f"{self.relative(path)}: not valid YAML: {error}")
        return None

    # Sources, areas, themes, phases ----------------------------------------------------

    def read_sources(self) -> None:
        path = self.root / "sources.yaml"
        records = self.load_yaml(path)
        if records is None:
            return
        for index, data in enumerate(records or []):
            rec = Record(self.relative(path), f"source #{index + 1}", self.problems)
            data = rec.check_keys(data, {"key", "title", "publisher", "published", "date_precision",
                                         "kind", "url", "url_quote", "reference", "summary"}, {"key", "title", "kind"})
            key = rec.text(data, "key")
            rec.name = f"source {key!r}"
            text_path = self.root / "sources" / f"{key}.txt"
            if not text_path.is_file():
                rec.error("key", f"no text file {self.relative(text_path)}")
                continue
            if key in self.parsed.sources:
                rec.error("key", "is used twice")
            text = text_path.read_text(encoding="utf-8")
            self.source_texts[key] = normalise_text(text)
            published = data.get("published")
            if published is not None and not isinstance(published, datetime.date):
                rec.error("published", f"must be a date (YYYY-MM-DD) or null, got {published!r}")
                published = None
            self.parsed.sources[key] = {
                "title": rec.text(data, "title", max_length=300),
                "publisher": rec.text(data, "publisher", max_length=200),
                "published": published,
                "date_precision": rec.choice(data, "date_precision", DatePrecision),
                "kind": rec.choice(data, "kind", SourceKind),
                **self.publication_address(rec, data, self.source_texts[key]),
                "summary": rec.text(data, "summary", required=False),
                "text": text,
            }

    def publication_address(self, rec: Record, data: dict, text: str) -> dict:
        """The original publication's address and reference, only as the document itself gives them:
        the url must stand in url_quote, and url_quote and reference in the document's text."""
        url = rec.text(data, "url", required=False, max_length=200)
        url_quote = rec.text(data, "url_quote", required=bool(url))
        reference = rec.text(data, "reference", required=False, max_length=60)
        if url and not re.fullmatch(r"https?://\S+", url):
            rec.error("url", f"must be a web address starting http:// or https://, got {url!r}")
        elif url and url_quote and url.split("://", 1)[1].rstrip("/") not in url_quote:
            rec.error("url", "does not stand in url_quote: give only an address the document itself gives")
        if url_quote and not url:
            rec.error("url_quote", "quotes an address, but url is empty")
        if url_quote and normalise_text(url_quote) not in text:
            rec.error("url_quote", f"does not occur in the document: {url_quote[:90]!r}")
        if reference and normalise_text(reference) not in text:
            rec.error("reference", f"{reference!r} does not occur in the document")
        return {"url": url, "url_quote": url_quote, "reference": reference}

    def read_simple(self, name: str, label: str, target: dict, parse) -> None:
        path = self.root / name
        records = self.load_yaml(path)
        for index, data in enumerate(records or []):
            rec = Record(self.relative(path), f"{label} #{index + 1}", self.problems)
            slug = data.get("slug") if isinstance(data, dict) else None
            if slug:
                rec.name = f"{label} {slug!r}"
            if slug in target:
                rec.error("slug", "is used twice")
            values = parse(rec, data)
            if slug and values is not None:
                target[slug] = values

    def parse_area(self, rec: Record, data: Any) -> dict:
        data = rec.check_keys(data, {"slug", "name", "kind", "region", "description"}, {"slug", "name", "kind"})
        return {
            "name": rec.text(data, "name", max_length=120),
            "kind": rec.choice(data, "kind", AreaKind),
            "region": rec.text(data, "region", required=False),
            "description": rec.text(data, "description", required=False),
        }

    def parse_theme(self, rec: Record, data: Any) -> dict:
        data = rec.check_keys(data, {"slug", "name", "description", "parent"}, {"slug", "name"})
        return {"name": rec.text(data, "name"), "description": rec.text(data, "description", required=False),
                "parent": rec.text(data, "parent", required=False)}

    def check_theme_parents(self) -> None:
        """A theme's parent is another theme, and a top-level one: one level of nesting."""
        themes, file = self.parsed.themes, self.relative(self.root / "themes.yaml")
        for slug, theme in themes.items():
            rec, parent = Record(file, f"theme {slug!r}", self.problems), theme["parent"]
            if not parent:
                continue
            if parent == slug:
                rec.error("parent", "a theme cannot be its own parent")
            elif parent not in themes:
                rec.error("parent", f"unknown theme {parent!r}")
            elif themes[parent]["parent"]:
                rec.error("parent", f"{parent!r} is itself a sub-theme of {themes[parent]['parent']!r}; "
                                    "only one level is allowed")

    def parse_phase(self, rec: Record, data: Any) -> dict:
        data = rec.check_keys(data, {"slug", "name", "order", "description"}, {"slug", "name", "order"})
        return {
            "name": rec.text(data, "name"),
            "order": rec.count(data, "order") or 0,
            "description": rec.text(data, "description", required=False),
        }

    def read_area_figures(self) -> None:
        """Programme-level figures that belong to an area rather than to one of its projects."""
        path = self.root / "area_figures.yaml"
        records = self.load_yaml(path) if path.exists() else []
        counters: dict[str, int] = {}
        for index, data in enumerate(records or []):
            rec = Record(self.relative(path), f"area figure #{index + 1}", self.problems)
            data = rec.check_keys(data, {"area", "label", "value", "unit", "qualifier", "period", "note",
                                         "curation_note", "cite"},
                                  {"area", "label", "value", "unit", "cite"})
            area = rec.text(data, "area")
            if area and area not in self.parsed.areas:
                rec.error("area", f"unknown area {area!r}")
            order = counters[area] = counters.get(area, -1) + 1
            values = {
                "area": area,
                "label": rec.text(data, "label", max_length=300),
                "value": rec.decimal(data, "value", minimum=Decimal("0"), places=2),
                "unit": rec.choice(data, "unit", FigureUnit),
                "qualifier": rec.choice(data, "qualifier", Qualifier, required=False),
                "period_label": rec.text(data, "period", required=False, max_length=120),
                "note": rec.text(data, "note", required=False),
                "curation_note": rec.text(data, "curation_note", required=False),
                "order": order,
            }
            key = f"{area}/figure/{order}"
            self.parsed.area_figures[key] = values
            self.parsed.cited[("area_figure", key)] = self.citations(rec, data, numbers={"value": values["value"]})

    # Citations -------------------------------------------------------------------------

    def citations(self, rec: Record, data: dict, *, numbers: dict[str, Decimal | None] | None = None,
                  key: str = "cite") -> list[str]:
        """Validate `cite:` and return citation keys; check each number occurs in the quotes."""
        items = data.get(key)
        if not isinstance(items, list) or not items:
            rec.error(key, "at least one citation (source, locator, quote) is required")
            return []
        keys, quoted_numbers = [], set()
        for index, item in enumerate(items):
            crec = rec.child(f"{key}[{index}]")
            item = crec.check_keys(item, {"source", "locator", "quote", "footnote_marks"},
                                   {"source", "locator", "quote"})
            source = crec.text(item, "source")
            locator = crec.text(item, "locator", max_length=300)
            quote = crec.text(item, "quote")
            if not (source and locator and quote):
                continue
            if source not in self.source_texts:
                crec.error("source", f"unknown source {source!r}")
                continue
            normalised = normalise_text(quote)
            if normalised not in self.source_texts[source]:
                crec.error("quote", f"does not occur in source {source}: {quote[:90]!r}")
                continue
            quoted_numbers |= numbers_in(normalised)
            marks = self.footnote_marks(crec, item, quote)
            citation_key = hashlib.sha1(f"{source}\n{locator}\n{quote}".encode()).hexdigest()
            known = self.parsed.citations.get(citation_key)
            if known and known["footnote_marks"] != marks:
                crec.error("footnote_marks", f"the same quote is cited elsewhere with footnote_marks "
                                             f"{known['footnote_marks']}: give the same marks everywhere")
            self.parsed.citations[citation_key] = {"source": source, "locator": locator, "quote": quote,
                                                   "footnote_marks": marks}
            keys.append(citation_key)
        if len(keys) == len(items):
            for name, value in (numbers or {}).items():
                if value is not None and abs(value) not in quoted_numbers:
                    rec.error(name, f"the value {value} does not appear in the quoted text")
        return keys

    def footnote_marks(self, rec: Record, item: dict, quote: str) -> list[str]:
        """The curated footnote marks of a quote: digits that stand once in it, glued to a word."""
        marks = item.get("footnote_marks") or []
        if not isinstance(marks, list) or not all(isinstance(m, (str, int)) and not isinstance(m, bool)
                                                  for m in marks):
            rec.error("footnote_marks", "must be a list of footnote numbers, e.g. [\"17\"]")
            return []
        marks = [str(m) for m in marks]
        for mark in marks:
            if not mark.isdigit():
                rec.error("footnote_marks", f"{mark!r} is not a footnote number (digits only)")
            elif (found := len(glued(quote, mark))) != 1:
                rec.error("footnote_marks", f"{mark!r} must stand once in the quote right after the word or "
                                            f"punctuation it marks, with no space between; found {found} times")
        return sorted(set(marks), key=marks.index)

    # Projects --------------------------------------------------------------------------

    PROJECT_FIELDS = {"slug", "title", "area", "parent", "summary", "problem", "activities", "start_year",
                      "end_year", "themes", "phases", "reach", "cite", "organisations", "interventions",
                      "costs", "costing", "outcomes", "findings", "evidence", "headline"}

    def read_project(self, path: Path) -> None:
        data = self.load_yaml(path)
        if data is None:
            return
        rec = Record(self.relative(path), "project", self.problems)
        if isinstance(data, dict) and data.get("slug"):
            rec.name = f"project {data['slug']!r}"
        data = rec.check_keys(data, self.PROJECT_FIELDS, {"slug", "title", "area", "summary", "cite"})
        slug = rec.text(data, "slug")
        if slug and slug != slugify(slug):
            rec.error("slug", "must be lowercase letters, digits and hyphens")
        if slug in self.parsed.projects:
            rec.error("slug", "is used by another project file")
        area = rec.text(data, "area")
        if area and area not in self.parsed.areas:
            rec.error("area", f"unknown area {area!r}")
        elif area and path.parent.name != area:
            rec.error("area", f"is {area!r} but the file is in projects/{path.parent.name}/")
        start_year, end_year = rec.year(data, "start_year"), rec.year(data, "end_year")
        if start_year and end_year and end_year < start_year:
            rec.error("end_year", f"{end_year} is before start_year {start_year}")
        project = {
            "title": rec.text(data, "title", max_length=300),
            "area": area,
            "parent": rec.text(data, "parent", required=False),
            "summary": rec.text(data, "summary"),
            "problem": rec.text(data, "problem", required=False),
            "activities": rec.text(data, "activities", required=False),
            "start_year": start_year,
            "end_year": end_year,
            "themes": rec.slugs(data, "themes", set(self.parsed.themes)),
            "phases": rec.slugs(data, "phases", set(self.parsed.phases)),
            "schools_reached": None,
            "pupils_reached": None,
            "reach_note": "",
            "reach_curation_note": "",
            "file": rec.file,
        }
        self.parsed.cited[("project", slug)] = self.citations(rec, data)
        if data.get("reach") is not None:
            self.read_reach(rec.child("reach"), data["reach"], project, slug)
        self.parsed.projects[slug] = project
        searchable = [project["title"], project["summary"], project["problem"], project["activities"]]
        organisations = self.read_organisations(rec, data.get("organisations") or [], slug)
        searchable += organisations + self.read_interventions(rec, data.get("interventions") or [], slug)
        programmes = [self.parsed.interventions[f"{slug}/intervention/{index}"]["name"]
                      for index in range(len(data.get("interventions") or []))]
        themes = [self.parsed.themes[theme]["name"] for theme in project["themes"]]
        project["search_names"] = "\n".join(dict.fromkeys([project["title"], *themes, *programmes, *organisations]))
        searchable += self.read_findings(rec, data.get("findings") or [], slug)
        self.read_costs(rec, data.get("costs") or {}, slug)
        if data.get("costing") is not None:
            self.read_costing(rec.child("costing"), data["costing"], slug)
        self.read_outcomes(rec, data.get("outcomes") or [], slug)
        self.read_evidence(rec.child("evidence"), data.get("evidence"), slug)
        self.read_headline(rec.child("headline"), data.get("headline"), slug)
        project["search_document"] = "\n".join(s for s in searchable if s)

    def read_reach(self, rec: Record, data: Any, project: dict, slug: str) -> None:
        data = rec.check_keys(data, {"schools", "pupils", "note", "curation_note", "cite"}, {"cite"})
        project["schools_reached"] = rec.count(data, "schools")
        project["pupils_reached"] = rec.count(data, "pupils")
        project["reach_note"] = rec.text(data, "note", required=False, max_length=300)
        project["reach_curation_note"] = rec.text(data, "curation_note", required=False)
        numbers = {"schools": project["schools_reached"], "pupils": project["pupils_reached"]}
        numbers = {k: Decimal(v) if v is not None else None for k, v in numbers.items()}
        self.parsed.cited[("reach", slug)] = self.citations(rec, data, numbers=numbers)

    def read_organisations(self, rec: Record, items: list, slug: str) -> list[str]:
        names = []
        for index, item in enumerate(items):
            orec = rec.child(f"organisations[{index}]")
            item = orec.check_keys(item, {"name", "kind", "role"}, {"name", "kind", "role"})
            name = orec.text(item, "name", max_length=200)
            kind = orec.choice(item, "kind", OrganisationKind)
            role = orec.choice(item, "role", OrganisationRole)
            org_slug = slugify(name)[:120]
            if not (name and kind and role):
                continue
            known = self.parsed.organisations.get(org_slug)
            if known and known["kind"] != kind:
                orec.error("kind", f"{name!r} is {known['kind']!r} in {self.organisation_files[org_slug]}")
            elif not known:
                self.parsed.organisations[org_slug] = {"name": name, "kind": kind}
                self.organisation_files[org_slug] = rec.file
            self.parsed.roles.add((slug, org_slug, role))
            names.append(name)
        return names

    def read_interventions(self, rec: Record, items: list, slug: str) -> list[str]:
        text = []
        for index, item in enumerate(items):
            irec = rec.child(f"interventions[{index}]")
            item = irec.check_keys(item, {"name", "provider", "delivery", "description", "cite"}, {"name", "cite"})
            key = f"{slug}/intervention/{index}"
            values = {
                "project": slug,
                "name": irec.text(item, "name", max_length=200),
                "provider": irec.text(item, "provider", required=False, max_length=200),
                "delivery": irec.choice(item, "delivery", Delivery, required=False) or Delivery.UNKNOWN,
                "description": irec.text(item, "description", required=False),
                "order": index,
            }
            self.parsed.interventions[key] = values
            self.parsed.cited[("intervention", key)] = self.citations(irec, item)
            text += [values["name"], values["provider"], values["description"]]
        return text

    def read_findings(self, rec: Record, items: list, slug: str) -> list[str]:
        text = []
        for index, item in enumerate(items):
            frec = rec.child(f"findings[{index}]")
            item = frec.check_keys(item, {"kind", "title", "text", "cite"}, {"kind", "text", "cite"})
            key = f"{slug}/finding/{index}"
            values = {
                "project": slug,
                "kind": frec.choice(item, "kind", FindingKind),
                "title": frec.text(item, "title", required=False, max_length=300),
                "text": frec.text(item, "text"),
                "order": index,
            }
            self.parsed.findings[key] = values
            self.parsed.cited[("finding", key)] = self.citations(frec, item)
            text += [values["title"], values["text"]]
        return text

    def read_costs(self, rec: Record, data: Any, slug: str) -> None:
        data = rec.check_keys(data, {"tables"})
        for t_index, table in enumerate(data.get("tables") or []):
            trec = rec.child(f"costs.tables[{t_index}]")
            table = trec.check_keys(table, {"name", "lines", "totals"}, {"name"})
            table_name = trec.text(table, "name", max_length=200)
            lines = []
            for l_index, item in enumerate(table.get("lines") or []):
                lrec = trec.child(f"lines[{l_index}]")
                item = lrec.check_keys(item, {"description", "category", "period", "start_year", "end_year",
                                              "amount", "funding_source", "cite"},
                                       {"description", "category", "amount", "funding_source", "cite"})
                line = self.cost_fields(lrec, item, slug, table_name)
                line.update(
                    description=lrec.text(item, "description", max_length=300),
                    category=lrec.choice(item, "category", CostCategory),
                    funding_source=lrec.choice(item, "funding_source", FundingSource),
                    order=t_index * 1000 + l_index,
                )
                key = f"{slug}/cost/{t_index}/{l_index}"
                self.parsed.cost_lines[key] = line
                self.parsed.cited[("cost_line", key)] = self.citations(lrec, item, numbers={"amount": line["amount"]})
                lines.append(line)
            for s_index, item in enumerate(table.get("totals") or []):
                srec = trec.child(f"totals[{s_index}]")
                item = srec.check_keys(item, {"label", "kind", "amount", "period", "start_year", "end_year",
                                              "scope", "discrepancy", "cite"}, {"label", "kind", "amount", "cite"})
                total = self.cost_fields(srec, item, slug, table_name)
                total.update(
                    label=srec.text(item, "label", max_length=300),
                    kind=srec.choice(item, "kind", TotalKind),
                    scope=self.scope(srec, item.get("scope") or {}),
                    discrepancy=srec.text(item, "discrepancy", required=False),
                    order=t_index * 1000 + s_index,
                )
                total["checked_lines"] = self.check_total(srec, total, lines)
                key = f"{slug}/total/{t_index}/{s_index}"
                self.parsed.cost_totals[key] = total
                self.parsed.cited[("cost_total", key)] = self.citations(srec, item, numbers={"amount": total["amount"]})

    def cost_fields(self, rec: Record, item: dict, slug: str, table: str) -> dict:
        start_year, end_year = rec.year(item, "start_year"), rec.year(item, "end_year")
        if start_year and end_year and end_year < start_year:
            rec.error("end_year", f"{end_year} is before start_year {start_year}")
        return {
            "project": slug,
            "table": table,
            "period_label": rec.text(item, "period", required=False, max_length=120),
            "start_year": start_year,
            "end_year": end_year,
            "amount": rec.decimal(item, "amount", minimum=Decimal("0")),
        }

    def read_costing(self, rec: Record, data: Any, slug: str) -> None:
        """What the money pays for, and the counts of schools and pupils it may be divided by."""
        data = rec.check_keys(data, {"money", "counts"}, {"money"})
        mrec = rec.child("money")
        money = mrec.check_keys(data.get("money"), {"basis", "periods", "covers", "cohorts", "start_year",
                                                    "end_year", "note", "curation_note"},
                             {"basis", "covers", "start_year", "end_year"})
        periods = money.get("periods") or []
        if not isinstance(periods, list) or not all(isinstance(p, str) for p in periods):
            mrec.error("periods", "must be a list of period labels as written in the cost table")
            periods = []
        basis = {
            "project": slug,
            "basis": mrec.choice(money, "basis", MoneyBasis),
            "periods": periods,
            "covers": mrec.text(money, "covers", max_length=300),
            "cohorts": mrec.text(money, "cohorts", required=False, max_length=60),
            "start_year": mrec.year(money, "start_year", required=True),
            "end_year": mrec.year(money, "end_year", required=True),
            "note": mrec.text(money, "note", required=False),
            "curation_note": mrec.text(money, "curation_note", required=False),
            "file": rec.file,
        }
        self.parsed.cost_bases[slug] = basis
        for index, item in enumerate(data.get("counts") or []):
            crec = rec.child(f"counts[{index}]")
            item = crec.check_keys(item, {"unit", "count", "per", "covers", "cohorts", "start_year", "end_year",
                                          "qualifier", "check_against", "difference", "cite"},
                                   {"unit", "count", "per", "covers", "start_year", "end_year", "cite"})
            count = {
                "project": slug,
                "unit": crec.choice(item, "unit", CountUnit),
                "count": crec.count(item, "count"),
                "per": crec.choice(item, "per", CountedPer),
                "covers": crec.text(item, "covers", max_length=300),
                "cohorts": crec.text(item, "cohorts", required=False, max_length=60),
                "start_year": crec.year(item, "start_year", required=True),
                "end_year": crec.year(item, "end_year", required=True),
                "qualifier": crec.choice(item, "qualifier", Qualifier, required=False),
                "check_against": crec.text(item, "check_against", required=False, max_length=300),
                "difference": crec.text(item, "difference", required=False),
                "order": index,
            }
            if not count["count"]:
                crec.error("count", "must be a whole number above 0")
            key = f"{slug}/count/{index}"
            self.parsed.cost_counts[key] = count
            number = {"count": Decimal(count["count"]) if count["count"] else None}
            self.parsed.cited[("cost_count", key)] = self.citations(crec, item, numbers=number)

    def check_costing(self) -> None:
        """Each costing block must name money that exists and agree with the figures it checks."""
        lines_of, stated_of = defaultdict(list), defaultdict(list)
        for line in self.parsed.cost_lines.values():
            for owner in (line["project"], self.parsed.projects.get(line["project"], {}).get("parent")):
                if owner:
                    lines_of[owner].append(line)
        for total in self.parsed.cost_totals.values():
            stated_of[total["project"]].append(total)
        for slug, basis in self.parsed.cost_bases.items():
            rec = Record(basis["file"], f"project {slug!r} > costing", self.problems)
            lines, stated = lines_of[slug], stated_of[slug]
            if any(row["amount"] is None for row in lines + stated):
                continue  # an invalid amount is reported on its own field; there is nothing to add up
            known = {row["period_label"] for row in lines + stated}
            for period in basis["periods"]:
                if period not in known:
                    rec.error("money.periods", f"no cost line or stated total has the period {period!r}")
            counts = [c for c in self.parsed.cost_counts.values() if c["project"] == slug]
            figures = derive_cost_figures(
                money=money_of(basis), lines=lines,
                stated=[t for t in stated if t["kind"] == TotalKind.TOTAL],
                counts=[count_of(c) for c in counts], project_years=(None, None))
            if figures["total_cost"].value is None:
                rec.error("money", figures["total_cost"].reason)
            for count in counts:
                if count["check_against"]:
                    self.check_against(rec.child(f"counts[{count['order']}]"), count, figures, stated)

    def check_against(self, rec: Record, count: dict, figures: dict, stated: list[dict]) -> None:
        """A derived per-beneficiary figure beside the document's own must agree, or say why not."""
        reported = [t for t in stated if t["label"] == count["check_against"] and t["kind"] != TotalKind.TOTAL]
        if not reported:
            rec.error("check_against", f"no stated per-beneficiary figure is labelled {count['check_against']!r}")
            return
        name = "cost_per_school" if count["unit"] == CountUnit.SCHOOLS else "cost_per_pupil"
        derived = figures[name].value
        if derived is None:
            rec.error("check_against", f"the {name.replace('_', ' ')} is not derived: {figures[name].reason}")
        elif abs(derived - reported[0]["amount"]) >= 1 and not count["difference"]:
            rec.error("difference", f"the derived {derived} differs from the stated {reported[0]['amount']}: "
                                    "explain the difference")
        elif abs(derived - reported[0]["amount"]) < 1 and count["difference"]:
            rec.error("difference", f"the derived {derived} agrees with the stated figure: remove the note")

    def scope(self, rec: Record, scope: Any) -> dict:
        if not isinstance(scope, dict):
            rec.error("scope", "must be a mapping")
            return {}
        for key in scope:
            if key not in SCOPE_KEYS:
                rec.error("scope", f"unknown key {key!r} (allowed: {', '.join(SCOPE_KEYS)})")
        return {key: str(value) for key, value in scope.items() if key in SCOPE_KEYS}

    def check_total(self, rec: Record, total: dict, lines: list[dict]) -> int:
        """A stated total must equal the sum of the lines it covers; returns how many it covered."""
        if total["kind"] != TotalKind.TOTAL or total["amount"] is None:
            return 0
        covered = [
            line for line in lines
            if all(line.get(SCOPE_KEYS[key]) == value for key, value in total["scope"].items())
        ]
        if not covered:
            return 0
        if any(line["amount"] is None for line in covered):
            return 0
        added = sum(line["amount"] for line in covered)
        if total["discrepancy"]:
            # The source itself does not add up; the note must say so truthfully.
            if added == total["amount"]:
                rec.error("discrepancy", f"the {len(covered)} line(s) do add up to {added}: remove the note")
            elif f"{added:,}" not in total["discrepancy"]:
                rec.error("discrepancy", f"must state what the lines add up to ({added:,})")
            return 0
        if added != total["amount"]:
            rec.error("amount", f"stated total {total['amount']} but the {len(covered)} line(s) it covers "
                                f"add up to {added}")
        return len(covered)

    def read_outcomes(self, rec: Record, items: list, slug: str) -> None:
        for index, item in enumerate(items):
            orec = rec.child(f"outcomes[{index}]")
            item = orec.check_keys(item, {"id", "metric", "subject", "phase", "group", "unit", "baseline", "follow_up",
                                          "change", "comparator", "evidence_type", "kind", "note", "curation_note",
                                          "cite"},
                                   {"metric", "group", "unit", "evidence_type", "cite"})
            phase = orec.text(item, "phase", required=False)
            if phase and phase not in self.parsed.phases:
                orec.error("phase", f"unknown phase {phase!r}")
            # A measure has reported values (baseline, follow-up) or a change reported on its own, never both:
            # "decreased by 8.5 points" is not a baseline of 8.5.
            if "change" in item and ("baseline" in item or "follow_up" in item):
                orec.error("change", "a reported change stands alone: remove baseline/follow_up, or record the "
                                     "values and let the change be derived")
            change = self.reported_change(orec.child("change"), item.get("change"))
            baseline = self.point(orec.child("baseline"), item.get("baseline"), required="change" not in item)
            follow_up = self.point(orec.child("follow_up"), item.get("follow_up"))
            comparator = item.get("comparator") or {}
            crec = orec.child("comparator")
            comparator = crec.check_keys(comparator, {"label", "baseline", "follow_up", "change"})
            if "change" in comparator and "change" not in item:
                crec.error("change", "a comparator's change needs the measure's own change")
            if "change" in item and ({"baseline", "follow_up"} & set(comparator)):
                crec.error("baseline", "a measure with a reported change takes the comparator's change, not values")
            values = {
                "project": slug,
                "metric": orec.text(item, "metric", max_length=300),
                "subject": orec.text(item, "subject", required=False, max_length=60).lower(),
                "phase": phase if phase in self.parsed.phases else None,
                "group": orec.choice(item, "group", PupilGroup),
                "unit": orec.choice(item, "unit", Unit),
                "baseline_value": baseline["value"],
                "baseline_year": baseline["year"],
                "followup_value": follow_up["value"],
                "followup_year": follow_up["year"],
                "comparator_label": crec.text(comparator, "label", required=bool(comparator), max_length=120),
                "comparator_baseline_value": crec.decimal(comparator, "baseline", required=False, places=3),
                "comparator_followup_value": crec.decimal(comparator, "follow_up", required=False, places=3),
                "reported_change_value": change["value"],
                "reported_change_unit": change["unit"],
                "reported_change_direction": change["direction"],
                "reported_change_period": change["period"],
                "comparator_reported_change_value": crec.decimal(comparator, "change", required=False, places=3),
                "evidence_type": orec.choice(item, "evidence_type", EvidenceType),
                "kind": self.outcome_kind(orec, item),
                "note": orec.text(item, "note", required=False),
                "curation_note": orec.text(item, "curation_note", required=False),
                "order": index,
            }
            key = f"{slug}/outcome/{index}"
            self.parsed.outcomes[key] = values
            outcome_id = orec.text(item, "id", required=False, max_length=80)
            if outcome_id:
                if outcome_id != slugify(outcome_id):
                    orec.error("id", "must be lowercase letters, digits and hyphens")
                elif (slug, outcome_id) in self.outcome_ids:
                    orec.error("id", f"{outcome_id!r} is used by another outcome of this project")
                self.outcome_ids[(slug, outcome_id)] = key
            numbers = {
                "baseline.value": values["baseline_value"],
                "follow_up.value": values["followup_value"],
                "comparator.baseline": values["comparator_baseline_value"],
                "comparator.follow_up": values["comparator_followup_value"],
                "change.value": values["reported_change_value"],
                "comparator.change": values["comparator_reported_change_value"],
            }
            self.parsed.cited[("outcome", key)] = self.citations(orec, item, numbers=numbers)

    def outcome_kind(self, rec: Record, item: dict) -> str:
        """What the measure counts: as the fixture states it, else as its unit, evidence type and
        subject fix it (outcomes.evidence.derive_outcome_kind); a measure they cannot decide must
        state it."""
        if item.get("kind") not in (None, ""):
            return rec.choice(item, "kind", OutcomeKind)
        derived = derive_outcome_kind(unit=item.get("unit"), evidence_type=item.get("evidence_type"),
                                      subject=str(item.get("subject") or "").lower())
        if derived is None:
            rec.error("kind", "its unit, evidence type and subject do not fix what it measures: state kind "
                              f"({', '.join(OutcomeKind.values)})")
            return ""
        return derived

    def read_evidence(self, rec: Record, data: Any, slug: str) -> None:
        """The inputs to the evidence rating: design, evaluator and sample, with citations."""
        if data is None:
            rec.error("(record)", "every project needs an evidence block (design, evaluator, cite)")
            return
        data = rec.check_keys(data, {"design", "evaluator", "evaluator_name", "schools", "pupils", "note",
                                     "curation_note", "cite"},
                              {"design", "evaluator", "note", "cite"})
        values = {
            "project": slug,
            "design": rec.choice(data, "design", Design),
            "evaluator": rec.choice(data, "evaluator", Evaluator),
            "evaluator_name": rec.text(data, "evaluator_name", required=False, max_length=200),
            "sample_schools": rec.count(data, "schools"),
            "sample_pupils": rec.count(data, "pupils"),
            "note": rec.text(data, "note"),
            "curation_note": rec.text(data, "curation_note", required=False),
        }
        numbers = {"schools": values["sample_schools"], "pupils": values["sample_pupils"]}
        numbers = {k: Decimal(v) if v is not None else None for k, v in numbers.items()}
        self.parsed.evidence[slug] = values
        self.parsed.cited[("evidence", slug)] = self.citations(rec, data, numbers=numbers)

    def read_headline(self, rec: Record, data: Any, slug: str) -> None:
        """The one-line answer to "what changed?": a chosen outcome measure and its direction."""
        if data is None:
            rec.error("(record)", "every project needs a headline (direction, statement, cite)")
            return
        data = rec.check_keys(data, {"outcome", "direction", "statement", "cite"}, {"direction", "statement", "cite"})
        direction = rec.choice(data, "direction", Direction)
        outcome_id = rec.text(data, "outcome", required=False)
        if direction and direction != Direction.NOT_MEASURED and not outcome_id:
            rec.error("outcome", "name the id of the outcome measure this direction describes")
        if direction == Direction.NOT_MEASURED and outcome_id:
            rec.error("outcome", "a headline that is not measured names no outcome")
        outcome_key = self.outcome_ids.get((slug, outcome_id)) if outcome_id else None
        if outcome_id and outcome_key is None:
            rec.error("outcome", f"no outcome of this project has id {outcome_id!r}")
        self.parsed.headlines[slug] = {
            "direction": direction,
            "statement": rec.text(data, "statement", max_length=400),
            "outcome": outcome_key,
        }
        self.parsed.cited[("headline", slug)] = self.citations(rec, data)

    def reported_change(self, rec: Record, data: Any) -> dict:
        """A change reported without the values either side of it: its size as written (never signed),
        its unit (percent as stated, percentage points, points) and its direction."""
        if data is None:
            return {"value": None, "unit": "", "direction": "", "period": ""}
        data = rec.check_keys(data, {"value", "unit", "direction", "period"}, {"value", "unit", "direction"})
        value = rec.decimal(data, "value", places=3)
        if value is not None and value < 0:
            rec.error("value", "the size as written, without a sign: the direction says which way")
        return {"value": value, "unit": rec.choice(data, "unit", ChangeUnit),
                "direction": rec.choice(data, "direction", ChangeDirection),
                "period": rec.text(data, "period", required=False, max_length=40)}

    def point(self, rec: Record, data: Any, required: bool = False) -> dict:
        if data is None:
            if required:
                rec.error("value", "is required")
            return {"value": None, "year": ""}
        data = rec.check_keys(data, {"value", "year"}, {"value"})
        return {"value": rec.decimal(data, "value", places=3), "year": rec.text(data, "year", required=False)}

    def check_parents(self) -> None:
        projects = self.parsed.projects
        for slug, project in projects.items():
            rec = Record(project["file"], f"project {slug!r}", self.problems)
            parent = project["parent"]
            if not parent:
                continue
            if parent == slug:
                rec.error("parent", "a project cannot be its own parent")
            elif parent not in projects:
                rec.error("parent", f"unknown project {parent!r}")
            elif projects[parent]["parent"]:
                rec.error("parent", f"{parent!r} is itself a sub-project; only one level is allowed")


def content_hash(root: Path) -> str:
    """A hash of every fixture file's path and bytes: the data version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
