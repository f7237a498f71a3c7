"""Parent themes: Literacy holds Phonics, Reading, Writing, English and Early language. Choosing a
parent (search filter, API, outcomes, theme page) takes in its sub-themes' projects, each once;
the loader checks every `parent:`."""

import csv
import re

import pytest
import yaml

from outcomes.models import OutcomeMeasure
from projects.models import Project, Theme
from tests.minimal import load_tree, write_tree
from web.export import build_package
from web.loading import FixtureError

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def tagged(*themes: str) -> set[str]:
    """Slugs of the projects tagged with any of these themes themselves."""
    return set(Project.objects.filter(themes__slug__in=themes).values_list("slug", flat=True))


@pytest.fixture
def literacy() -> dict:
    family = ["literacy", *Theme.objects.get(slug="literacy").children.values_list("slug", flat=True)]
    projects = tagged(*family)
    # The family overlaps (a project can be Reading and Writing), so a count that adds the
    # sub-themes' counts up would be too big; and phonics projects are not tagged Literacy.
    assert sum(len(tagged(slug)) for slug in family) > len(projects)
    assert tagged("phonics") and not tagged("phonics") & tagged("literacy")
    return {"family": family, "projects": projects}


def test_literacy_holds_the_language_themes_and_maths_stays_top_level():
    assert set(Theme.objects.get(slug="literacy").children.values_list("slug", flat=True)) == {
        "phonics", "reading", "writing", "english", "early-language"}
    assert Theme.objects.get(slug="maths").parent is None
    assert not Theme.objects.filter(parent__parent__isnull=False).exists()  # one level only


def test_the_search_page_filter_on_literacy_includes_phonics_projects_counted_once(client, literacy):
    html = client.get("/projects/", {"theme": "literacy", "page_size": 100}).content.decode()
    assert f"{len(literacy['projects'])} projects</h2>" in html
    assert re.search(r'data-facet-count="theme-literacy">(\d+)<', html).group(1) == str(len(literacy["projects"]))
    assert 'value="phonics" id="facet-theme-phonics" checked disabled' in html
    listed = set(re.findall(r'<h3><a href="/projects/([^/]+)/">', html))
    assert tagged("phonics") <= listed


def test_the_theme_facet_nests_sub_themes_under_their_parent_with_unique_counts(client, literacy):
    html = client.get("/projects/").content.decode()
    facet = html[html.index("<legend>Theme</legend>"):]
    facet = facet[:facet.index("</fieldset>")]
    order = re.findall(r'<div class="check( sub)?"><input type="checkbox" name="theme" value="([^"]+)"', facet)
    start = [value for _, value in order].index("literacy")
    children = sorted(slug for slug in literacy["family"] if slug != "literacy" and tagged(slug))
    assert order[start + 1:start + 1 + len(children)] == [(" sub", slug) for slug in children]
    assert ("", "maths") in order
    assert f'data-facet-count="theme-literacy">{len(literacy["projects"])}<' in facet
    assert f'data-facet-count="theme-phonics">{len(tagged("phonics"))}<' in facet
    assert "checked" not in facet


def test_the_api_filter_and_outcomes_on_literacy_include_phonics(client, literacy):
    body = client.get("/api/v1/projects/", {"theme": "literacy", "page_size": 100}, **JSON).json()
    assert body["count"] == len(literacy["projects"])
    assert {row["slug"] for row in body["results"]} == literacy["projects"]
    outcomes = client.get("/api/v1/outcomes/", {"theme": "literacy"}, **JSON).json()
    assert outcomes["count"] == OutcomeMeasure.objects.filter(project__slug__in=literacy["projects"]).count()
    assert OutcomeMeasure.objects.filter(project__slug__in=tagged("phonics")).exists()
    assert client.get("/api/v1/projects/", {"theme": "no-such-theme"}, **JSON).status_code == 400


def test_the_theme_endpoint_gives_parent_and_children(client, literacy):
    theme = client.get("/api/v1/themes/literacy/", **JSON).json()
    assert theme["parent"] is None
    assert sorted(theme["children"]) == sorted(literacy["family"][1:])
    assert theme["project_count"] == len(literacy["projects"])
    phonics = client.get("/api/v1/themes/phonics/", **JSON).json()
    assert (phonics["parent"], phonics["children"], phonics["project_count"]) == ("literacy", [],
                                                                                 len(tagged("phonics")))


def test_the_theme_page_lists_its_family_and_links_to_sub_themes(client, literacy):
    html = client.get("/themes/literacy/").content.decode()
    assert f'<h2 id="projects-heading">Projects ({len(literacy["projects"])})</h2>' in html
    assert '<a href="/themes/phonics/">Phonics</a>' in html
    phonics = client.get("/themes/phonics/").content.decode()
    assert 'Part of <a href="/themes/literacy/">Literacy</a>' in phonics
    assert f'Projects ({len(tagged("phonics"))})' in phonics


def test_the_theme_list_nests_sub_themes_under_their_parent(client, literacy):
    html = client.get("/themes/").content.decode()
    literacy_item = html[html.index('<a href="/themes/literacy/">'):]
    literacy_item = literacy_item[:literacy_item.index("</ul>")]
    assert f"{len(literacy['projects'])} projects" in literacy_item
    assert '<a href="/themes/phonics/">Phonics</a>' in literacy_item
    assert '<a href="/themes/maths/">' not in literacy_item


def test_the_open_data_themes_table_has_the_parent(tmp_path):
    with open(build_package(tmp_path) / "themes.csv", newline="") as file:
        parents = {row["slug"]: row["parent"] for row in csv.DictReader(file)}
    assert parents["phonics"] == "literacy" and parents["literacy"] == "" and parents["maths"] == ""


@pytest.mark.parametrize(("parent", "message"), [
    ("atlantis", "unknown theme 'atlantis'"),
    ("phonics", "'phonics' is itself a sub-theme of 'literacy'; only one level is allowed"),
    ("reading", "a theme cannot be its own parent"),
])
def test_a_bad_theme_parent_aborts_the_load_naming_file_record_and_field(tmp_path, parent, message):
    root = write_tree(tmp_path)
    themes = yaml.safe_load((root / "themes.yaml").read_text())
    for theme in themes:
        if theme["slug"] == "reading":
            theme["parent"] = parent
    (root / "themes.yaml").write_text(yaml.safe_dump(themes))
    before = set(Theme.objects.values_list("slug", "parent__slug"))
    with pytest.raises(FixtureError) as raised:
        load_tree(root)
    assert f"themes.yaml: theme 'reading': field 'parent': {message}" in str(raised.value)
    assert set(Theme.objects.values_list("slug", "parent__slug")) == before
