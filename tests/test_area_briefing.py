"""An area's printable briefing (/areas/<slug>/briefing/): the recorded spend with its coverage,
every project in one row, the headline outcomes and ratings, and the documents cited."""

import re

import pytest

from projects.models import Area, Project
from tests.helpers import queries_for
from web.selectors import area_briefing, sources_of
from web.spend import spend_total
from web.templatetags.evidence import gbp

pytestmark = pytest.mark.django_db

URL = "/areas/stoke-on-trent/briefing/"


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_briefing_shows_the_recorded_spend_with_its_coverage(client):
    projects = Project.objects.filter(area__slug="stoke-on-trent")
    spend = spend_total(projects=projects)
    html = html_of(client, URL)
    assert re.search(r"<title>Stoke-on-Trent: evidence briefing · OA Evidence</title>", html)
    assert f"<strong>{gbp(spend.total)}</strong> across {spend.costed} of {spend.projects} projects" in html
    assert spend.projects == projects.count() == 41 and 0 < spend.costed < spend.projects
    # The same figure as the area page, from the one spend selector.
    assert f'data-spend-total="{spend.total}"' in html
    assert f'data-spend-total="{spend.total}"' in html_of(client, "/areas/stoke-on-trent/")


def test_briefing_lists_every_project_once_with_its_cost_headline_and_rating(client):
    html = html_of(client, URL)
    rows = re.findall(r"<tr(?: class=\"sub\")?><th scope=\"row\">(.*?)</tr>", html, flags=re.S)
    assert len(rows) == 41
    for project in Project.objects.filter(area__slug="stoke-on-trent").with_figures().select_related("headline"):
        row = next(row for row in rows if f'href="{project.get_absolute_url()}"' in row)
        assert (gbp(project.total_cost) if project.total_cost is not None else "Not reported") in row
        assert project.headline.get_direction_display() in row
        assert f"{project.evidence_rating}/5" in row
    # A sub-project follows its parent, and its money is marked as inside the parent's.
    parent = next(i for i, row in enumerate(rows) if "Curriculum Excellence Partnerships" in row)
    assert "(sub-project)" in rows[parent + 1] and "in the above" in rows[parent + 1]
    assert "(sub-project)" not in rows[parent]


def test_briefing_sums_up_headlines_and_ratings_and_cites_its_sources(client):
    briefing = area_briefing(slug="stoke-on-trent")
    assert sum(direction["count"] for direction in briefing.directions) == 41
    assert sum(rating["count"] for rating in briefing.ratings) == 41
    html = html_of(client, URL)
    for direction in briefing.directions:
        assert f"{direction['label']}: {direction['count']}" in html
    assert briefing.changed and all(p.headline_direction != "not_measured" for p in briefing.changed)
    for project in briefing.changed:
        assert project.headline.statement.replace("'", "&#x27;") in html  # in full, not truncated
    sources = list(sources_of(projects=Project.objects.filter(area__slug="stoke-on-trent")))
    assert sources
    for source in sources:
        assert f'<a href="{source.get_absolute_url()}">{source.title}</a>' in html


def test_briefing_has_no_charts_and_prints_without_the_site_chrome(client):
    html = html_of(client, URL)
    assert "data-chart" not in html and "plotly" not in html
    assert "css/briefing.css" in html


def test_the_area_page_links_to_its_briefing(client):
    assert f'<a href="{URL}">Print briefing</a>' in html_of(client, "/areas/stoke-on-trent/")


def test_an_area_without_projects_links_to_no_briefing_but_it_still_answers(client):
    assert "Print briefing" not in html_of(client, "/areas/doncaster/")
    assert "No source document about Doncaster" in html_of(client, "/areas/doncaster/briefing/")


def test_unknown_area_is_a_404(client):
    assert client.get("/areas/no-such-area/briefing/").status_code == 404


def test_every_area_has_a_briefing_in_the_same_number_of_queries(client):
    counts = {area.slug: queries_for(client, f"/areas/{area.slug}/briefing/") for area in Area.objects.all()}
    areas = Area.objects.filter(projects__isnull=False).values_list("slug", flat=True)
    with_projects = {counts[slug] for slug in areas}
    assert len(with_projects) == 1, counts
    assert max(counts.values()) == with_projects.pop()  # no projects: their tags are not read at all
