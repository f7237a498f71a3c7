"""Pages the load renders and stores (web/stored.py) are exactly the pages a live render gives,
for every project, area, theme and phase; every load rebuilds them; a page stored by other code
is never served."""

import pytest
from django.core.management import call_command

from projects.models import Area, Phase, Project, Theme
from tests import factories
from tests.minimal import load_tree, project, write_tree
from web import fingerprint, stored
from web.models import PageKind, StoredPage

pytestmark = pytest.mark.django_db


def pages_of(client, urls: list[str]) -> dict[str, bytes]:
    responses = {url: client.get(url) for url in urls}
    assert all(response.status_code == 200 for response in responses.values())
    return {url: response.content for url, response in responses.items()}


def every_page_url(page_number: int | None = None) -> list[str]:
    suffix = f"?page={page_number}" if page_number else ""
    subjects = [*Project.objects.all(), *Area.objects.all(), *Theme.objects.all(), *Phase.objects.all()]
    return [subject.get_absolute_url() + suffix for subject in subjects]


def test_every_stored_page_equals_the_page_rendered_live(client):
    urls = every_page_url()
    # every project (its page and its card), area, theme and phase
    assert StoredPage.objects.count() == len(urls) + Project.objects.count() > 100
    served = pages_of(client, urls)
    StoredPage.objects.update(code="other code")  # none can be served now: each page renders live
    live = pages_of(client, urls)
    for url in urls:
        assert served[url] == live[url], url


def test_search_pages_with_stored_card_figures_equal_the_pages_rendered_live(client):
    """The card's head (compare tick, search excerpt) is per request; its figures part is stored."""
    urls = ["/projects/", "/projects/?page=2", "/projects/?q=phonics", "/projects/?q=school+to+school&phase=ks2",
            "/projects/?area=blackpool&compare=blackpool-ks3-literacy", "/projects/?theme=maths&ordering=-total_cost"]
    served = pages_of(client, urls)
    assert 'class="excerpt"' in served["/projects/?q=phonics"].decode()
    assert 'value="blackpool-ks3-literacy" id="compare-blackpool-ks3-literacy" checked' in served[urls[4]].decode()
    StoredPage.objects.filter(kind=PageKind.CARD).update(code="other code")
    live = pages_of(client, urls)
    for url in urls:
        assert served[url] == live[url], url


def test_the_second_page_of_a_collection_keeps_the_stored_summary(client):
    """Only the projects change with ?page=; the summary (spend, charts, outcomes) is the same."""
    response = client.get("/themes/literacy/?page=2")
    assert response.status_code == 200
    summary = StoredPage.objects.get(kind=PageKind.THEME, key="literacy").html
    assert summary in response.content.decode() and "Recorded spend" in summary


def test_a_page_stored_by_other_code_is_rendered_live(client):
    StoredPage.objects.filter(kind=PageKind.PROJECT, key="blackpool-ks3-literacy").update(
        html="<p>Rendered by an older version</p>", code="other code")
    page = client.get("/projects/blackpool-ks3-literacy/").content.decode()
    assert "older version" not in page and "<h1>Blackpool" in page


def test_with_debug_on_pages_are_rendered_live_so_template_edits_show(client, settings):
    StoredPage.objects.filter(kind=PageKind.AREA, key="blackpool").update(html="<p>Stale summary</p>")
    assert "Stale summary" in client.get("/areas/blackpool/").content.decode()  # served as stored
    settings.DEBUG = True
    assert "Stale summary" not in client.get("/areas/blackpool/").content.decode()


def test_the_fingerprint_changes_with_a_template(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("one")
    settings.BASE_DIR = tmp_path
    before = fingerprint.code_fingerprint()
    (tmp_path / "templates" / "page.html").write_text("two")
    assert fingerprint.code_fingerprint() != before


def test_every_load_rebuilds_the_pages(tmp_path, client):
    load_tree(write_tree(tmp_path))
    assert "<h1>Derby primary school improvement</h1>" in client.get("/projects/derby-primary/").content.decode()
    load_tree(write_tree(tmp_path / "changed", [project(title="Derby primary support, renamed")]))
    assert "<h1>Derby primary support, renamed</h1>" in client.get("/projects/derby-primary/").content.decode()
    assert set(StoredPage.objects.filter(kind=PageKind.PROJECT).values_list("key", flat=True)) == {"derby-primary"}


def test_a_load_of_unchanged_fixtures_still_rebuilds_the_pages():
    """Templates can change while the data stays the same: `make run` refreshes the pages."""
    StoredPage.objects.update(code="other code")
    call_command("load_evidence", "--if-changed")
    assert set(StoredPage.objects.values_list("code", flat=True)) == {stored.CODE}


def test_an_unknown_project_or_area_is_still_not_found(client):
    assert client.get("/projects/no-such-project/").status_code == 404
    assert client.get("/areas/no-such-area/").status_code == 404


def test_a_card_escapes_its_head_and_ticks_the_chosen_projects(client):
    # The head is built in Python (web.cards.card_html), not by a template that escapes for it.
    hostile = '<script>alert("x")</script> & "quotes"'
    made = factories.project(factories.area(name=f"Area {hostile}"), title=f"Project {hostile}",
                             summary=f"Summary {hostile}")
    factories.finish()
    for params in ({"area": made.area.slug, "compare": made.slug}, {"q": "Project", "area": made.area.slug}):
        html = client.get("/projects/", params).content.decode()
        card = html[html.index('<li class="card">'):]
        card = card[:card.index("</li>")]
        assert "<script>" not in card
        assert "Project &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;</a>" in card
        assert '<p class="meta">Area &lt;script&gt;' in card
        assert ('checked>' in card) == ("compare" in params)
        assert ("<p>Summary &lt;script&gt;" in card) == ("q" not in params)  # else a search excerpt
