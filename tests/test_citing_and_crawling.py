"""What crawlers and reference managers read: robots.txt, sitemap.xml, schema.org metadata,
per-project BibTeX and RIS, and CITATION.cff."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
import yaml
from django.db.models import Max, Min
from django.db.models.functions import Coalesce

from core.versioning import current_data_version
from projects.models import Area, AreaKind, Phase, Project, Source, Theme
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_endless_combinations(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert {"Disallow: /projects/?", "Disallow: /compare/", "Disallow: /admin/"} <= set(lines)
    assert "Disallow: /" not in lines  # the pages themselves stay crawlable


def test_sitemap_lists_every_public_page_once_and_each_answers(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = [element.text for element in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert len(locations) == len(set(locations))
    paths = {location.removeprefix("http://testserver") for location in locations}
    expected = {item.get_absolute_url() for model in (Project, Area, Theme, Phase, Source)
                for item in model.objects.all()}
    assert expected <= paths
    assert {"/", "/projects/", "/data/", "/explore/", "/about/"} <= paths
    for path in sorted(paths)[::7]:  # a sample of every kind answers
        assert client.get(path).status_code == 200, path


def test_sitemap_dates_every_page_by_the_load(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    dates = {element.text for element in root.iter(f"{SITEMAP}lastmod")}
    assert dates == {current_data_version()["loaded_at"].date().isoformat()}


def _json_ld(client, url):
    html = client.get(url).content.decode()
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


@pytest.mark.parametrize("url", ["/", "/data/"])
def test_dataset_metadata_gives_coverage_keywords_and_publisher(client, url):
    metadata = _json_ld(client, url)
    years = Project.objects.aggregate(first=Min("start_year"), last=Max(Coalesce("end_year", "start_year")))
    assert metadata["temporalCoverage"] == f"{years['first']}/{years['last']}"
    places = {place["name"] for place in metadata["spatialCoverage"]["containsPlace"]}
    assert metadata["spatialCoverage"]["name"] == "England"
    areas_with_projects = Area.objects.exclude(kind=AreaKind.UNSPECIFIED).filter(projects__isnull=False)
    assert places == set(areas_with_projects.values_list("name", flat=True))
    assert "Bradford" in places and "Area not named" not in places
    assert metadata["publisher"]["@type"] == "Organization" and metadata["publisher"]["name"] == "OA Evidence"
    assert {"Opportunity Areas", "Literacy", "Maths"} <= set(metadata["keywords"])
    assert "Phonics" not in metadata["keywords"]  # sub-themes are named by their family


def _project():
    return Project.objects.select_related("area").get(slug="blackpool-ks3-literacy")


def test_project_bibtex_names_the_record_its_version_and_its_documents(client):
    project = _project()
    response = client.get(f"/projects/{project.slug}/cite.bib")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/x-bibtex")
    assert response["Content-Disposition"] == f'attachment; filename="{project.slug}.bib"'
    body = response.content.decode()
    version = current_data_version()["hash"]
    assert body.startswith(f"@misc{{oaevidence_{project.slug.replace('-', '_')}_{version},")
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", body, re.M))
    assert fields["version"] == version and fields["author"] == "{OA Evidence}"
    assert fields["url"] == f"http://testserver/projects/{project.slug}/"
    assert project.title in fields["title"] and project.area.name in fields["title"]
    assert "Opportunity Areas Insight Guide: School Improvement" in fields["note"]
    assert body.count("{") == body.count("}")


def test_project_ris_is_a_data_record_with_the_same_facts(client):
    project = _project()
    body = client.get(f"/projects/{project.slug}/cite.ris").content.decode()
    lines = body.split("\r\n")
    assert lines[0] == "TY  - DATA" and lines[-2] == "ER  - " and lines[-1] == ""
    tags = dict(line.split("  - ", 1) for line in lines[:-1] if not line.startswith(("N1", "ER")))
    assert tags["UR"] == f"http://testserver/projects/{project.slug}/"
    assert tags["ET"] == current_data_version()["hash"] and project.title in tags["TI"]


def test_project_page_links_its_citations(client):
    html = client.get(f"/projects/{_project().slug}/").content.decode()
    assert 'href="/projects/blackpool-ks3-literacy/cite.bib"' in html
    assert 'href="/projects/blackpool-ks3-literacy/cite.ris"' in html


@pytest.mark.parametrize("path", ["/projects/blackpool-ks3-literacy/cite.pdf", "/projects/no-such-project/cite.bib"])
def test_unknown_citation_styles_and_projects_are_404s(client, path):
    assert client.get(path).status_code == 404


def test_citation_cff_is_valid_and_names_every_source_document():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset" and cff["license"] == "CC-BY-4.0"
    assert cff["title"] == "OA Evidence: England's Opportunity Areas school-improvement projects"
    titles = set(Source.objects.values_list("title", flat=True))
    assert {reference["title"] for reference in cff["references"]} == titles
