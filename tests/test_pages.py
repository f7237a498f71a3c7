"""The browsing pages, through real HTTP with the real corpus."""

import re
from decimal import Decimal

import html5lib
import pytest
from django.core.cache import cache

from core.cache import forget_kept
from projects.models import Area, AreaKind, Phase, Project, Source, Theme
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db

MAIN_PAGES = ["/", "/projects/", "/projects/?q=phonics", "/areas/", "/themes/", "/phases/", "/sources/",
              "/projects/blackpool-ks3-literacy/", "/areas/stoke-on-trent/", "/themes/maths/", "/phases/ks2/",
              "/sources/000_1f1c3d470389f224/", "/areas/doncaster/", "/evidence-ratings/",
              "/evidence-ratings/gap-map/", "/data/", "/areas/stoke-on-trent/briefing/",
              "/projects/bradford-school-to-school-support/", "/about/", "/licence/", "/accessibility/",
              "/cookies/", "/left-out/"]


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.mark.parametrize("url", MAIN_PAGES)
def test_page_is_valid_html_with_a_title_one_h1_and_labelled_controls(client, url):
    html = html_of(client, url)
    html5lib.HTMLParser(strict=True).parse(html)  # raises on any parse error
    assert re.search(r"<title>[^<]+· OA Evidence</title>", html)
    assert len(re.findall(r"<h1[ >]", html)) == 1
    for control_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        assert f'for="{control_id}"' in html, f"{url}: #{control_id} has no label"
    assert "X-Data-Version" not in html


def test_home_shows_headline_counts(client):
    html = html_of(client, "/")
    assert f"<dd>{Project.objects.count()}</dd>" in html
    with_evidence = Area.objects.filter(kind=AreaKind.OPPORTUNITY_AREA, projects__isnull=False).distinct().count()
    assert 0 < with_evidence < 12
    assert f"<dd>{with_evidence} of 12</dd>" in html  # Opportunity Areas with curated evidence


def test_search_finds_the_phonics_project_and_not_others(client):
    html = html_of(client, "/projects/?q=phonics")
    assert "Derby KS1 Phonics project" in html
    assert "Oldham School-to-School Support" not in html
    assert "<mark>" in html


def test_search_with_no_match_shows_an_empty_state(client):
    html = html_of(client, "/projects/?q=zzzyzzyx")
    assert "No projects match “zzzyzzyx”" in html
    assert "0 projects" in html


def test_facet_narrows_results_and_counts(client):
    everything = html_of(client, "/projects/")
    derby = html_of(client, "/projects/?area=derby")
    derby_count = Project.objects.filter(area__slug="derby").count()
    assert f"{derby_count} projects" in derby
    assert f"{Project.objects.count()} projects" in everything
    assert "Stoke-on-Trent" not in re.sub(r'<aside.*?</aside>', "", derby, flags=re.S)


def test_bad_parameters_show_a_message_not_an_error_page(client):
    html = html_of(client, "/projects/?min_cost=abc&area=atlantis&page=99")
    assert "Some of the filters could not be used" in html
    assert "min_cost: Enter a number." in html
    assert "atlantis" in html
    assert "There is no page “99”" in html


def test_cost_filter_and_sorting(client):
    html = html_of(client, "/projects/?min_cost=1000000&ordering=-total_cost")
    titles = re.findall(r'<h3><a href="/projects/[^"]+/">([^<]+)</a></h3>', html)
    expected = list(Project.objects.with_figures().filter(total_cost__gte=1000000).order_by("-total_cost")
                    .values_list("title", flat=True))
    assert titles == expected and "Blackpool KS3 Literacy Project" in titles
    assert "Derby KS1 Phonics project" not in titles
    uncosted = Project.objects.with_figures().filter(total_cost__isnull=True).count()
    assert f'data-without-cost="{uncosted}"' in html
    assert f"{uncosted} otherwise matching projects are left out because they have no total cost" in html


def test_project_page_shows_costs_outcomes_and_quotes(client):
    html = html_of(client, "/projects/blackpool-ks3-literacy/")
    assert "£865,000" in html and "£1,230,000" in html
    assert "Project Leadership – **£45,000**".replace("**", "") in html.replace("**", "")
    assert 'id="costs-chart"' in html  # the chart's data
    assert "plotly-basic.min.js" in html
    assert '/api/v1/projects/blackpool-ks3-literacy/' in html


def test_project_page_shows_a_sources_discrepancy(client):
    html = html_of(client, "/projects/bradford-school-to-school-support/")
    assert "The source does not add up" in html


def test_pages_without_charts_do_not_load_plotly(client):
    assert "plotly" not in html_of(client, "/sources/")


def test_area_without_curated_documents_says_so(client):
    html = html_of(client, "/areas/doncaster/")
    assert "No source document about Doncaster has been curated yet" in html


def test_unknown_project_is_a_404_page(client):
    html = html_of(client, "/projects/no-such-project/", status=404)
    assert "Page not found" in html


def test_source_page_lists_what_was_taken(client):
    html = html_of(client, "/sources/002_bed98b23739a14e3/")
    assert "bradford-school-to-school-support" in html
    assert "Table 2: Project funding" in html or "Project funding" in html


def test_query_count_of_the_project_list_does_not_grow_with_results(client):
    # The same filters (each validated with one query) over 1 result and over 20+ results.
    cache.clear()
    forget_kept()
    few = queries_for(client, "/projects/?area=oldham&phase=ks2")
    cache.clear()
    forget_kept()
    many = queries_for(client, "/projects/?area=stoke-on-trent&phase=ks2")
    assert Project.objects.filter(area__slug="stoke-on-trent", phases__slug="ks2").count() > 20
    # The version, the filters, every match's id, the cards with their tags, and the facet values'
    # projects (kept per process and data version; this test starts cold).
    assert few == many <= 8


def test_query_count_of_a_project_page_does_not_grow_with_rows(client):
    # Both have every kind of row (an empty relation skips its prefetch); one has far more rows.
    small = Project.objects.get(slug="blackpool-ks3-literacy")
    big = Project.objects.get(slug="bradford-school-to-school-support")
    assert big.outcomes.count() > 5 * small.outcomes.count()
    assert big.findings.count() > 3 * small.findings.count()
    # the project with its figures, evidence, headline and money (1), its prefetched rows and their
    # citations, and similar projects (3)
    assert queries_for(client, small.get_absolute_url()) == queries_for(client, big.get_absolute_url()) <= 27


@pytest.mark.parametrize("prefix, few, many", [
    ("/areas/", "blackpool", "stoke-on-trent"), ("/themes/", "writing", "maths"), ("/phases/", "early_years", "ks2"),
])
def test_query_count_of_collection_pages_is_constant(client, prefix, few, many):
    assert queries_for(client, f"{prefix}{few}/") == queries_for(client, f"{prefix}{many}/") <= 16


# The home page: the data version, headline counts (3), entry points (4) and the data set's coverage
# for its schema.org metadata (1).
@pytest.mark.parametrize("url, most", [("/", 9), ("/areas/", 8), ("/themes/", 8), ("/phases/", 8), ("/sources/", 8)])
def test_query_count_of_index_pages_is_small(client, url, most, django_assert_max_num_queries):
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def test_every_internal_link_on_the_main_pages_works(client):
    seen, failures = set(), []
    for page in MAIN_PAGES:
        for href in re.findall(r'href="(/[^"#]*)', html_of(client, page)):
            href = href.replace("&amp;", "&")
            if href in seen or href.startswith(("/static/", "/admin/")):
                continue
            seen.add(href)
            if client.get(href).status_code != 200:
                failures.append((page, href))
    assert len(seen) > 100
    assert failures == []


def test_every_area_theme_phase_and_source_page_works(client):
    urls = [obj.get_absolute_url() for model in (Area, Theme, Phase, Source) for obj in model.objects.all()]
    assert all(client.get(url).status_code == 200 for url in urls)


def test_spend_figure_on_area_page_is_the_sum_of_its_projects_costs(client):
    html = html_of(client, "/areas/derby/")
    costs = Project.objects.with_figures().filter(area__slug="derby", parent__isnull=True,
                                                  total_cost__isnull=False).values_list("total_cost", flat=True)
    assert sum(costs) == Decimal("345859")  # the programme's stated total; its sub-projects have no cost of their own
    assert f'data-spend-total="{sum(costs)}"' in html and "<strong>£345,859</strong> recorded" in html


def test_every_page_links_to_the_public_pages_and_the_api(client):
    html = html_of(client, "/projects/")
    for href in ("/about/", "/licence/", "/accessibility/", "/cookies/", "/left-out/", "/data/", "/api/v1/docs/",
                 "/evidence-ratings/", "/evidence-ratings/gap-map/"):
        assert f'href="{href}"' in html


def test_what_we_left_out_is_the_curators_file_as_a_page(client):
    html = html_of(client, "/left-out/")
    assert "Derived cost figures: what was left out and why" in html and "<table>" in html
    assert len(re.findall(r"<h1[ >]", html)) == 1


def test_a_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_counts_of_one_are_singular(client):
    html = html_of(client, "/compare/?projects=blackpool-ks3-literacy")
    assert "Comparing 1 project<" in html and "Comparing 1 projects" not in html
    from web.templatetags.evidence import measure

    assert measure(1, "schools") == "1 school" and measure(2, "schools") == "2 schools"


def test_a_citation_links_to_the_quote_on_its_source_page(client):
    html = html_of(client, "/projects/derby-ks1-phonics/")
    link = re.search(r'href="(/sources/[^"#]+#cite-(\d+))"', html)
    assert link
    source_page = html_of(client, link.group(1).split("#")[0])
    assert f'id="cite-{link.group(2)}"' in source_page


def test_money_in_prose_reads_in_millions_with_two_decimals_below_that_exact():
    from web.templatetags.evidence import gbp_prose

    assert gbp_prose("1104144.37") == "£1.10m"  # was £1.1m in headlines and £1,104,144.37 in sentences
    assert gbp_prose("8054813.37") == "£8.05m" and gbp_prose("1230000") == "£1.23m"
    assert gbp_prose("12345678") == "£12.35m" and gbp_prose("1000000") == "£1.00m"
    assert gbp_prose("999999.99") == "£999,999.99" and gbp_prose("250000") == "£250,000"
    assert gbp_prose(None) == "—"


def test_prose_uses_short_money_and_tables_downloads_and_the_api_keep_it_exact(client):
    exact = "£1,104,144.37"  # Oldham's recorded spend, from its cost lines
    project = html_of(client, "/projects/oldham-school-to-school-support/")
    assert "<dd>£1.10m" in project  # the key figure
    assert "<dt>What it cost</dt><dd>£1.10m" in project  # the plain-words summary
    assert f'<td class="num">{exact}</td>' in project  # the derived figures' table
    area = html_of(client, "/areas/oldham/")
    assert "<strong>£1.10m</strong> recorded" in area and 'data-spend-total="1104144.37"' in area
    card = html_of(client, "/projects/?area=oldham")
    assert "<dt>Total cost</dt><dd>£1.10m</dd>" in card and exact not in card
    api = client.get("/api/v1/projects/", {"area": "oldham"}, HTTP_ACCEPT="application/json").json()
    assert {row["total_cost"] for row in api["results"] if row["slug"] == "oldham-school-to-school-support"} == {
        1104144.37}
    csv = client.get("/api/v1/projects/", {"area": "oldham", "format": "csv"}).content.decode()
    assert "1104144.37" in csv and "1.10m" not in csv
    assert "£7.01m" in html_of(client, "/")


def test_compare_rows_name_subjects_and_phases_in_words(client):
    html = html_of(client, "/compare/?projects=derby-ks2-maths,hastings-maths-project")
    assert "Maths, Key Stage 2" in html and "(ks2)" not in html
