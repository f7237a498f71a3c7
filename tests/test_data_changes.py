"""The change log: each load records the projects it added, changed and removed against the
documents the load before stored, shown at /data/changes/ and as an Atom feed."""

import xml.etree.ElementTree as ET

import pytest

from core.models import DataVersion
from tests.minimal import load_tree, project, write_tree
from web.changes import changes_between

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def second_load(tmp_path):
    """Two loads: derby-primary and derby-second, then derby-primary renamed and derby-third."""
    load_tree(write_tree(tmp_path / "a", [project(), project(slug="derby-second", title="A second project")]))
    parsed, _ = load_tree(write_tree(tmp_path / "b", [project(title="Derby primary, renamed"),
                                                      project(slug="derby-third", title="A third project")]))
    return DataVersion.objects.get(content_hash=parsed.content_hash), tmp_path / "b"


def test_changes_between_names_added_removed_and_the_fields_that_changed():
    before = {"a": {"title": "A", "fields": {"title": "1", "summary": "2"}}, "b": {"title": "B", "fields": {}}}
    after = {"a": {"title": "A2", "fields": {"title": "9", "summary": "2"}}, "c": {"title": "C", "fields": {}}}
    assert changes_between(before, after) == [("added", "c", "C", []), ("removed", "b", "B", []),
                                              ("changed", "a", "A2", ["title"])]
    assert changes_between(after, after) == []


def test_a_load_records_the_projects_it_added_changed_and_removed(second_load):
    version, root = second_load
    changes = {change.slug: (change.kind, change.fields) for change in version.changes.all()}
    assert changes == {"derby-primary": ("changed", ["title"]), "derby-second": ("removed", []),
                       "derby-third": ("added", [])}
    load_tree(root)  # the same content again: its log stays as it was
    assert version.changes.count() == 3


def test_the_change_log_page_lists_each_versions_changes(client, second_load, django_assert_max_num_queries):
    version, _ = second_load
    with django_assert_max_num_queries(4):  # data version, the versions, their changes (+ session-free render)
        html = client.get("/data/changes/").content.decode()
    section = html.split(f'id="version-{version.short_hash}"')[1].split("</section>")[0]
    assert "1 added, 1 changed, 1 removed" in section
    assert '<a href="/projects/derby-third/">A third project</a>' in section
    assert "A second project <code>derby-second</code>" in section and "/projects/derby-second/" not in section
    assert "Derby primary, renamed</a>: <span class=\"muted\">title</span>" in section
    assert 'type="application/atom+xml"' in html


def test_the_change_log_is_an_atom_feed_with_an_entry_per_load(client, second_load):
    version, _ = second_load
    response = client.get("/data/changes/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == DataVersion.objects.count()
    newest = entries[0]
    assert newest.find(f"{ATOM}title").text == f"Data version {version.short_hash}: 1 added, 1 changed, 1 removed"
    assert newest.find(f"{ATOM}link").get("href").endswith(f"/data/changes/#version-{version.short_hash}")
    assert "Removed: A second project (derby-second)" in newest.find(f"{ATOM}summary").text


def test_the_downloads_page_links_the_change_log(client):
    html = client.get("/data/").content.decode()
    assert 'href="/data/changes/"' in html and 'href="/data/changes/feed/"' in html
