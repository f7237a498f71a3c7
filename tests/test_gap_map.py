"""The evidence gap map: theme families × kinds of outcome measure, each cell the projects with a
theme of the family and a measure of the kind, counted by rating; empty cells say so; every
cell with projects links to the search that finds exactly them."""

import re
from collections import Counter

import html5lib
import pytest
from django.db.models import Q

from outcomes.evidence import OutcomeKind
from projects.models import Project, Theme

pytestmark = pytest.mark.django_db

URL = "/evidence-ratings/gap-map/"
CELL = re.compile(r'<td data-cell="([\w-]+):(\w+)" data-count="(\d+)"( class="gap")?>(.*?)</td>', re.DOTALL)


def cells_of(html: str) -> dict:
    return {(theme, kind): {"count": int(count), "gap": bool(gap), "body": body}
            for theme, kind, count, gap, body in CELL.findall(html)}


def family_projects(slug: str, kind: str):
    """Counted here from the outcome measures themselves, not from the kinds the load stored."""
    return (Project.objects.with_figures().filter(Q(themes__slug=slug) | Q(themes__parent__slug=slug))
            .filter(outcomes__kind=kind).distinct())


@pytest.fixture(scope="module")
def page(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get(URL)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.corpus
def test_every_theme_family_by_every_kind_counts_its_projects_and_their_ratings(page):
    cells = cells_of(page)
    families = list(Theme.objects.filter(parent__isnull=True).values_list("slug", flat=True))
    assert len(cells) == len(families) * len(OutcomeKind) and len(families) > 10
    for slug in families:
        for kind in OutcomeKind.values:
            projects = family_projects(slug, kind)
            cell = cells[(slug, kind)]
            assert cell["count"] == projects.count(), (slug, kind)
            shown = {int(value): int(n) for n, value in
                     re.findall(r'<li data-rating="\d">(\d+) rated (\d)', cell["body"])}
            assert shown == dict(Counter(projects.values_list("evidence_rating", flat=True))), (slug, kind)
    # A sub-theme's projects count in its family's row: phonics is in literacy.
    assert cells[("literacy", "attainment")]["count"] >= family_projects("phonics", "attainment").count() > 0


@pytest.mark.corpus
def test_empty_cells_say_no_projects_and_link_nowhere(page):
    cells = cells_of(page)
    empty = [cell for cell in cells.values() if cell["count"] == 0]
    assert empty, "the corpus has gaps: the map must show them"
    for cell in empty:
        assert cell["gap"] and "No projects" in cell["body"] and "<a " not in cell["body"]
    for cell in cells.values():
        if cell["count"]:
            assert not cell["gap"] and "No projects" not in cell["body"]
    assert f"{len(empty)} of {len(cells)} cells have no projects." in page


@pytest.mark.corpus
def test_each_cell_links_to_the_search_for_its_theme_and_kind(client, page):
    cells = cells_of(page)
    for (slug, kind), cell in cells.items():
        if not cell["count"]:
            continue
        link = f"/projects/?theme={slug}&amp;outcome_kind={kind}"
        assert f'<a href="{link}">' in cell["body"]
        body = client.get(f"/api/v1/projects/?theme={slug}&outcome_kind={kind}&page_size=100",
                          HTTP_ACCEPT="application/json").json()
        assert body["count"] == cell["count"], (slug, kind)
    search = client.get("/projects/?theme=literacy&outcome_kind=attainment").content.decode()
    assert f'{cells[("literacy", "attainment")]["count"]} projects</h2>' in search


def test_the_page_is_an_accessible_table_with_a_title_and_caption(page):
    html5lib.HTMLParser(strict=True).parse(page)
    assert "<title>Evidence gap map · OA Evidence</title>" in page
    assert '<caption id="gap-map-caption">' in page and 'aria-labelledby="gap-map-caption"' in page
    head = re.search(r"<thead>(.*?)</thead>", page, re.DOTALL).group(1)
    assert re.findall(r'<th scope="col">([^<]+)</th>', head) == ["Theme", *OutcomeKind.labels, "No outcome measure"]
    rows = re.findall(r'<tr><th scope="row">', page)
    assert len(rows) == Theme.objects.filter(parent__isnull=True).count()


def test_the_rubric_page_the_footer_and_the_sitemap_link_to_it(client):
    assert f'href="{URL}"' in client.get("/evidence-ratings/").content.decode()
    assert f'href="{URL}"' in client.get("/about/").content.decode()  # the footer, on every page
    assert f"{URL}</loc>" in client.get("/sitemap.xml").content.decode()


@pytest.mark.corpus
def test_search_and_api_filter_on_what_was_measured(client):
    def slugs(query):
        body = client.get(f"/api/v1/projects/?page_size=100&{query}", HTTP_ACCEPT="application/json").json()
        return {row["slug"] for row in body["results"]}

    perception = set(Project.objects.filter(outcomes__kind="perception").values_list("slug", flat=True))
    assert slugs("outcome_kind=perception") == perception and "hastings-maths-project" in perception
    both = set(Project.objects.filter(outcomes__kind__in=["perception", "behaviour_attendance"])
               .values_list("slug", flat=True))
    assert slugs("outcome_kind=perception&outcome_kind=behaviour_attendance") == both
    html = client.get("/projects/?outcome_kind=perception").content.decode()
    assert f"{len(perception)} projects</h2>" in html and "What was measured: Perceptions" in html
    bad = client.get("/projects/?outcome_kind=vibes").content.decode()
    assert "vibes is not one of the available choices" in bad
