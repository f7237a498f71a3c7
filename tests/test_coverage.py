"""Saying honestly what is covered: every area with what has been curated for it, spend counted once
and labelled, the same totals on home, area, theme, phase, compare and explore pages."""

import csv
import io
import re
from decimal import Decimal

import pytest

from projects.models import Area, AreaFigure, AreaKind, Project
from web.spend import spend_by, spend_total
from web.templatetags.evidence import gbp_prose

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def csv_of(client, url) -> list[dict]:
    return list(csv.DictReader(io.StringIO(client.get(url).content.decode())))


def test_home_lists_all_twelve_areas_with_what_has_been_curated(client):
    html = html_of(client, "/")
    programme = Area.objects.filter(kind=AreaKind.OPPORTUNITY_AREA)
    assert programme.count() == 12
    for area in programme:
        item = re.search(rf'<li data-area="{area.slug}">(.*?)</li>', html, flags=re.S).group(1)
        if area.projects.exists():
            costed = Project.objects.with_figures().filter(area=area, total_cost__isnull=False).count()
            assert f"{area.projects.count()} project" in item and f"{costed} costed" in item
        else:
            assert "No evidence curated yet" in item


def test_opportunity_areas_come_first_and_hampshire_is_marked_outside_the_programme(client):
    html = html_of(client, "/")
    order = re.findall(r'<li data-area="([^"]+)">', html)
    assert order.index("hampshire") > max(order.index(a.slug) for a in Area.objects.filter(
        kind=AreaKind.OPPORTUNITY_AREA))
    assert "Hampshire (outside the OA programme)" in html
    assert "Hampshire (outside the OA programme)" in html_of(client, "/projects/?area=hampshire")
    assert "was not an Opportunity Area" in html_of(client, "/areas/hampshire/")


def test_area_page_gives_total_spend_and_the_share_of_projects_with_a_cost(client):
    stoke = Project.objects.filter(area__slug="stoke-on-trent")
    spend = spend_total(projects=stoke)
    html = html_of(client, "/areas/stoke-on-trent/")
    assert f'data-spend-total="{spend.total}"' in html
    costed = Project.objects.with_figures().filter(area__slug="stoke-on-trent", total_cost__isnull=False).count()
    assert f"{costed} of {stoke.count()} projects have a cost" in html
    assert spend.costed == costed and spend.uncosted == stoke.count() - costed


def test_a_sub_projects_cost_is_counted_once_inside_its_parent():
    stoke = Project.objects.filter(area__slug="stoke-on-trent")
    partnerships = Project.objects.with_figures().get(slug="stoke-curriculum-excellence-partnerships")
    children = Project.objects.with_figures().filter(parent=partnerships)
    assert sum(child.total_cost for child in children if child.total_cost) == partnerships.total_cost
    assert spend_total(projects=stoke).total == partnerships.total_cost  # the only costed top-level project


def test_area_totals_add_up_to_the_home_page_total(client):
    everything = Project.objects.all()
    by_area = spend_by(projects=everything, dimension="area")
    assert sum(row["total"] for row in by_area) == spend_total(projects=everything).total
    html = html_of(client, "/")
    assert f"<dd>{gbp_prose(spend_total(projects=everything).total)}<small" in html  # £7.01m


def test_theme_and_phase_totals_say_they_overlap(client):
    html = html_of(client, "/areas/stoke-on-trent/")
    assert "counted under each theme" in html
    assert "Recorded spend by theme (a project counted under each of its themes" in html_of(client, "/explore/")
    everything = Project.objects.all()
    by_theme = sum(row["total"] for row in spend_by(projects=everything, dimension="theme"))
    assert by_theme > spend_total(projects=everything).total  # themes overlap, and the page says so


def test_the_same_spend_on_area_page_compare_and_explore(client):
    for slug in ("blackpool", "bradford", "stoke-on-trent"):
        total = spend_total(projects=Project.objects.filter(area__slug=slug)).total
        explore = csv_of(client, f"/explore/data/spend_by_area.csv?area={slug}")
        assert Decimal(explore[0]["spend"]) == total
        assert f'data-spend-total="{total}"' in html_of(client, f"/areas/{slug}/")
    compare = html_of(client, "/compare/?areas=blackpool,stoke-on-trent")
    assert "£1,230,000" in compare  # Blackpool: the project's whole cost
    assert "£865,000" in compare  # Blackpool's OA funding, from the stated total (was £0)
    assert "known for 1 of 1 costed project" in compare


def test_cost_sorts_say_how_many_projects_have_no_cost(client):
    html = html_of(client, "/projects/?ordering=total_cost")
    uncosted = Project.objects.with_figures().filter(total_cost__isnull=True).count()
    assert f"{uncosted} projects have no total cost and are listed last" in html
    assert "data-without-cost" not in html_of(client, "/projects/?ordering=title")


def test_programme_level_figures_appear_on_their_area_page_with_citations(client):
    figures = AreaFigure.objects.filter(area__slug="stoke-on-trent")
    assert figures.exists() and all(figure.citations.exists() for figure in figures)
    html = html_of(client, "/areas/stoke-on-trent/")
    assert "The programme in figures" in html
    assert "about 38,297" in html  # "(approx)" in the document
    assert "The programme in figures" not in html_of(client, "/areas/derby/")


def test_api_says_how_many_projects_a_cost_filter_leaves_out(client):
    response = client.get("/api/v1/projects/?min_cost=1000", HTTP_ACCEPT="application/json")
    uncosted = Project.objects.with_figures().filter(total_cost__isnull=True).count()
    assert response["X-Projects-Without-Cost"] == str(uncosted)
    assert response.json()["count"] + uncosted == Project.objects.count()
    assert "X-Projects-Without-Cost" not in client.get("/api/v1/projects/", HTTP_ACCEPT="application/json")
