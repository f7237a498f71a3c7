"""The curators' notes (`curation_note:` in the fixtures) listed at the end of fixtures/UNRESOLVED.md.

They say how a figure was extracted or checked, for curators only: the section is generated from
the fixtures (`manage.py curation_notes`), and the "what we left out" page shows UNRESOLVED.md
without it."""

from __future__ import annotations

from pathlib import Path

from web.loading.read import FixtureReader, Parsed
from web.unresolved import SECTION_START, UNRESOLVED, public_part


def curation_notes_section(parsed: Parsed) -> str:
    """Every curation note in the fixtures as Markdown, by project in file order, then area figures."""
    by_project: dict[str, list[str]] = {slug: [] for slug in parsed.projects}
    for slug, project in parsed.projects.items():
        if project["reach_curation_note"]:
            by_project[slug].append(f"- Reach: {project['reach_curation_note']}")
    for slug, basis in parsed.cost_bases.items():
        if basis["curation_note"]:
            by_project[slug].append(f"- Money divided: {basis['curation_note']}")
    for outcome in parsed.outcomes.values():
        if outcome["curation_note"]:
            years = " → ".join(y for y in (outcome["baseline_year"], outcome["followup_year"]) if y) \
                or outcome["reported_change_period"]
            label = f"{outcome['metric']} ({years})" if years else outcome["metric"]
            by_project[outcome["project"]].append(f"- Outcome “{label}”: {outcome['curation_note']}")
    for slug, evidence in parsed.evidence.items():
        if evidence["curation_note"]:
            by_project[slug].append(f"- Evidence: {evidence['curation_note']}")
    lines = [SECTION_START, "", "## Curation notes", "",
             "How individual figures were extracted or checked, from the `curation_note:` of each record.", ""]
    for slug, notes in by_project.items():
        if notes:
            lines += [f"### {parsed.projects[slug]['title']} (`{slug}`)", "", *notes, ""]
    figures = [f for f in parsed.area_figures.values() if f["curation_note"]]
    if figures:
        lines += ["### Area figures", ""]
        lines += [f"- {f['area']}, “{f['label']}”: {f['curation_note']}" for f in figures]
        lines.append("")
    return "\n".join(lines)


def unresolved_with_curation_notes(root: Path) -> tuple[str, str]:
    """UNRESOLVED.md as it stands, and as it should be with the current curation notes."""
    path = Path(root) / UNRESOLVED
    current = path.read_text(encoding="utf-8")
    section = curation_notes_section(FixtureReader(root).read())
    return current, public_part(current).rstrip("\n") + "\n\n" + section
