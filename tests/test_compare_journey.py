"""The compare page as a reader uses it: how many outcome rows can be compared, those rows first,
the table downloadable as shown, and areas' recorded spend never summed with money outside it."""

import csv
import io
import json
import re
from decimal import Decimal

import html5lib
import pytest

from costs.models import CostLine
from outcomes.models import OutcomeMeasure
from projects.models import Project
from web.spend import spend_total

pytestmark = pytest.mark.django_db

THREE = "blackpool-ks3-literacy,hastings-maths-project,derby-ks2-maths"
NS = {"h": "http://www.w3.org/1999/xhtml"}


def s2ss_projects(client) -> list[str]:
    """The projects a search for S2SS finds, in the order the list shows them."""
    html = client.get("/projects/?q=S2SS").content.decode()
    return list(dict.fromkeys(re.findall(r'name="projects" value="([a-z0-9-]+)"', html)))


def outcome_keys(slugs: list[str]) -> set:
    """The rows the outcome table aligns measures into: subject, phase, pupil group and unit."""
    return {((m.subject or m.metric.lower()), m.phase.slug if m.phase else "", m.group, m.unit)
            for m in OutcomeMeasure.objects.filter(project__slug__in=slugs).select_related("phase")}


def table_text(html: str, label: str) -> list[list[str]]:
    """The rows of the table in the region labelled `label` (header row first), as plain text."""
    document = html5lib.parse(html, namespaceHTMLElements=True)
    region = document.find(f".//h:div[@aria-label='{label}']", NS)
    assert region is not None, label

    def words(element) -> str:
        return " ".join(" ".join(element.itertext()).split())

    def text(cell):
        paragraphs = [words(part) for part in cell.iter(f"{{{NS['h']}}}p")]
        link = cell.find("h:a", NS)  # a column header: the item's name (then a "Remove" link)
        return " | ".join(paragraphs) if paragraphs else words(link) if link is not None else words(cell)
    return [[text(cell) for cell in row if cell.tag.endswith(("}td", "}th"))]
            for row in region.iter(f"{{{NS['h']}}}tr")]


def csv_of(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_three_s2ss_projects_have_no_comparable_outcome_row_and_the_page_says_so(client):
    slugs = s2ss_projects(client)
    assert len(slugs) == 3
    rows = len(outcome_keys(slugs))
    html = client.get(f"/compare/?projects={','.join(slugs)}").content.decode()
    assert f"0 of {rows} outcome rows are comparable" in html
    # With none comparable, every row is folded away, behind a summary that says how many.
    folded = html.split("<details class=\"not-comparable-rows\"", 1)
    assert len(folded) == 2 and f"{rows} rows that are not comparable" in folded[1]
    assert "comparable</small>" not in folded[0].split("Outcome measures, aligned", 1)[1]


def test_comparable_rows_come_first_and_the_rest_are_folded(client):
    html = client.get(f"/compare/?projects={THREE}").content.decode()
    shown, folded = html.split('<details class="not-comparable-rows"', 1)
    outcomes_part = shown.split("Outcome measures, aligned", 1)[1]
    assert "Maths, Key Stage 2" in outcomes_part  # Hastings and Derby, 2016→2019
    assert "not comparable:" not in outcomes_part
    assert "not comparable:" in folded and "<summary" in folded
    total = len(outcome_keys(THREE.split(",")))
    comparable = outcomes_part.count("<small>comparable</small>")
    assert comparable >= 1
    assert f"{comparable} of {total} outcome rows are comparable" in html


def test_download_this_table_is_exactly_the_outcome_table_shown(client):
    html = client.get(f"/compare/?projects={THREE}").content.decode()
    link = re.search(r'<a[^>]+href="([^"]+)"[^>]*>Download this table', html.split("Outcome measures, aligned")[1])
    assert link, "no download link beside the outcome table"
    shown = table_text(html, "Comparable outcome measures side by side")
    folded = table_text(html, "Outcome measures that are not comparable")
    downloaded = csv_of(client, link.group(1).replace("&amp;", "&"))
    header, *rows = downloaded
    assert header[:2] == ["Subject", "Comparable"]
    assert header[2:] == shown[0][1:] == folded[0][1:]  # one column per project, by title
    page_rows = [row for row in shown[1:] + folded[1:]]
    assert len(rows) == len(page_rows) == len(outcome_keys(THREE.split(",")))
    for row, page_row in zip(rows, page_rows, strict=True):
        subject, group_and_unit = row[0].split(" · ", 1)  # one cell on the page, two columns in the CSV
        assert page_row[0] == f"{subject} {group_and_unit} {row[1]}"
        assert row[2:] == [cell if cell != "—" else "" for cell in page_row[1:]]


def test_download_this_table_is_exactly_the_side_by_side_table_shown(client):
    for query in (f"projects={THREE}", "areas=bradford,oldham,stoke-on-trent"):
        html = client.get(f"/compare/?{query}").content.decode()
        link = re.search(r'<a[^>]+href="([^"]+)"[^>]*>Download this table', html)
        assert link, query
        shown = table_text(html, "Side-by-side comparison")
        header, *rows = csv_of(client, link.group(1).replace("&amp;", "&"))
        assert shown[0][1:] == header[1:]
        assert [row[0] for row in rows] == [row[0].removesuffix(" (derived)") for row in shown[1:]]
        assert [row[1:] for row in rows] == [row[1:] for row in shown[1:]]


def test_downloaded_tables_neutralise_formulas(client):
    measure = OutcomeMeasure.objects.filter(project__slug="hastings-maths-project").first()
    measure.metric = "=HYPERLINK(\"http://example.com\")"
    measure.save()
    rows = csv_of(client, f"/compare/data/outcome_table.csv?projects={THREE}")
    cells = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert cells and all(cell.startswith("'=") for cell in cells)


def test_area_comparison_shows_bradfords_recorded_spend_and_never_a_sum_with_its_planned_lines(client):
    bradford = Project.objects.filter(area__slug="bradford")
    recorded = spend_total(projects=bradford).total
    assert recorded == Decimal("1572750")
    every_line = sum(CostLine.objects.filter(project__area__slug="bradford").values_list("amount", flat=True))
    outside = sum(CostLine.objects.filter(project__area__slug="bradford", period_label="2020-2022")
                  .values_list("amount", flat=True))
    assert every_line == Decimal("2617000") and outside == Decimal("1044250")

    html = client.get("/compare/?areas=bradford,oldham").content.decode()
    assert "£1,572,750" in html
    assert "£2,617,000" not in html and "2617000" not in html
    # The chart of recorded spend by category adds up to the recorded spend, not to every line.
    figure = json.loads(re.search(r'<script id="compare-costs-chart" type="application/json">(.*?)</script>',
                                  html, re.S).group(1))
    drawn = sum(y for trace in figure["data"] for x, y in zip(trace["x"], trace["y"], strict=True)
                if x == "Bradford" and y is not None)
    assert Decimal(str(drawn)) == recorded
    costs = csv_of(client, "/compare/data/costs.csv?areas=bradford,oldham")
    header, *rows = costs
    assert sum(Decimal(row[header.index("amount")]) for row in rows if row[0] == "Bradford") == recorded
    # The lines outside the recorded spend are shown apart, with their periods, never added in.
    assert "£1,044,250" in html and "2020-2022" in html


def test_project_comparison_charts_only_the_lines_in_each_projects_recorded_spend(client):
    html = client.get("/compare/?projects=bradford-school-to-school-support,oldham-school-to-school-support"
                      ).content.decode()
    figure = json.loads(re.search(r'<script id="compare-costs-chart" type="application/json">(.*?)</script>',
                                  html, re.S).group(1))
    drawn = sum(y for trace in figure["data"] for x, y in zip(trace["x"], trace["y"], strict=True)
                if x.startswith("Bradford") and y is not None)
    assert Decimal(str(drawn)) == Decimal("1572750")
    assert "£2,617,000" not in html
