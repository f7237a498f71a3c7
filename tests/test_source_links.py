"""Source pages link to the original publication only where the document itself gives its address,
and say so plainly where it does not."""

import re

import pytest
import yaml
from django.utils.html import escape

from projects.models import Source
from tests.minimal import SOURCE, load_tree, write_tree
from web.loading import FixtureError
from web.loading.records import normalise_text

pytestmark = pytest.mark.django_db

BRADFORD = "002_bed98b23739a14e3"
NO_ADDRESS = "The document does not give a web address for the original publication."


def test_the_bradford_evaluation_links_to_the_address_it_gives_with_its_reference(client):
    html = client.get(f"/sources/{BRADFORD}/").content.decode()
    link = re.search(r'<a href="https://www.gov.uk/government/publications"[^>]*>([^<]*)</a>', html)
    assert link and link[1] == "www.gov.uk/government/publications"
    assert "target=" not in link[0]  # opens in the same tab, like every link on the site
    assert "(reference RR 1226)" in html
    assert "The document says: “This document is available for download at www.gov.uk/government/publications”" in html
    assert NO_ADDRESS not in html


def test_every_source_page_links_to_an_address_from_its_own_text_or_says_it_has_none(client):
    sources = Source.objects.all()
    assert {s.key for s in sources if s.url} == {BRADFORD}
    for source in sources:
        html = client.get(f"/sources/{source.key}/").content.decode()
        if source.url:
            assert f'<a href="{source.url}">' in html and NO_ADDRESS not in html
            assert source.url_label in normalise_text(source.text)
        else:
            assert NO_ADDRESS in html and 'class="original-publication">Original publication' not in html


def test_the_hampshire_report_gives_a_reference_but_no_address(client):
    html = client.get("/sources/003_744853fa9307d0f5/").content.decode()
    assert NO_ADDRESS + " Its reference: 4651." in html


def test_the_source_list_links_each_original_publication_the_documents_give(client):
    html = client.get("/sources/").content.decode()
    assert html.count('Original publication: <a href="https://www.gov.uk/government/publications">') == 1
    assert html.count("No web address given in the document") == Source.objects.filter(url="").count() == 4
    assert escape("School to School Support Project evaluation") in html


# --- the loader ---------------------------------------------------------------------------


def tree_with_source(tmp_path, **fields):
    root = write_tree(tmp_path)
    sources = yaml.safe_load((root / "sources.yaml").read_text())
    sources[0].update(fields)
    (root / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True))
    return root


# An address the guide gives (of the OAs' delivery plans): enough to exercise the checks.
GUIDE_URL = "https://www.gov.uk/government/publications/social-mobility-and-opportunity-areas"
GUIDE_QUOTE = "Delivery plans for the 12 OAs www.gov.uk/government/publications/social-mobility-and-opportunity-areas"


def test_the_loader_stores_an_address_the_document_gives(tmp_path):
    load_tree(tree_with_source(tmp_path, url=GUIDE_URL, url_quote=GUIDE_QUOTE))
    source = Source.objects.get(key=SOURCE)
    assert (source.url, source.url_quote) == (GUIDE_URL, GUIDE_QUOTE)


@pytest.mark.parametrize(("fields", "message"), [
    ({"url": "https://www.gov.uk/government/publications/oa-insight-guide"}, "field 'url_quote': is required"),
    ({"url": "https://www.example.org/guide", "url_quote": GUIDE_QUOTE},
     "field 'url': does not stand in url_quote: give only an address the document itself gives"),
    ({"url": GUIDE_URL[8:], "url_quote": GUIDE_QUOTE}, "field 'url': must be a web address starting http"),
    ({"url": GUIDE_URL, "url_quote": "Download it at " + GUIDE_URL[8:]},
     "field 'url_quote': does not occur in the document"),
    ({"url_quote": GUIDE_QUOTE}, "field 'url_quote': quotes an address, but url is empty"),
    ({"reference": "RR 1226"}, "field 'reference': 'RR 1226' does not occur in the document"),
])
def test_the_loader_rejects_an_address_the_document_does_not_give(tmp_path, fields, message):
    with pytest.raises(FixtureError) as error:
        load_tree(tree_with_source(tmp_path, **fields))
    assert f"sources.yaml: source '{SOURCE}': {message}" in str(error.value)
