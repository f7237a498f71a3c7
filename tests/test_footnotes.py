"""Footnote marks in quotes: stored verbatim ("skills17"), shown as marks ("skills[17]"), while
words that end in digits ("KS2", "Post16", "C2C") stay as they are."""

import shutil

import pytest
import yaml
from django.conf import settings

from projects.models import Citation
from tests.minimal import cite, load_tree, project, write_tree
from web.loading import FixtureError
from web.templatetags.evidence import footnotes

pytestmark = pytest.mark.django_db

MARK = '<sup class="footnote-mark"><span class="visually-hidden"> footnote </span>[{}]</sup>'
STOKE = "004_6f773edfda24e1ba"


def test_a_project_page_shows_glued_footnote_numbers_as_marks(client):
    html = client.get("/projects/stoke-closing-the-word-gap/").content.decode()
    assert "increase in confidence and skills" + MARK.format(17) in html
    assert "during the Summer term 2021" + MARK.format(18) in html
    assert "skills17" not in html and "202118" not in html


def test_the_source_page_marks_curated_footnotes_and_leaves_words_with_digits_alone(client):
    html = client.get(f"/sources/{STOKE}/").content.decode()
    assert "Led by The Potteries Training School Alliance" + MARK.format(29) + " in partnership with Purple Cow" \
        + MARK.format(30) + ", this 2020 project" in html
    assert "and the Stoke-on-Trent Research School." + MARK.format(32) in html
    assert "An independent evaluation conducted by Trueman Change (2021)" + MARK.format(60) + " found that:" in html
    # Not footnotes: a key stage, a term for post-16, a teaching school alliance's name, years.
    assert "working with C2C Teaching School Alliance" in html
    assert "the earlier OA project ‘Post16 RONI Index’" in html
    assert "KS1: 11%; KS2; 33%; KS3: 37%; KS4: 11%; L KS5: 7.5%." in html
    assert "questions in one week (KS2 maths project)" in html


def test_superscript_footnote_digits_are_marks_without_curation(client):
    html = client.get("/projects/hastings-maths-project/").content.decode()
    assert "delivering a Maths Mastery Approach," + MARK.format(12) + " who feel supported" in html
    assert "¹²" not in html


def test_the_stored_quote_stays_verbatim():
    citation = Citation.objects.get(quote__endswith="confidence and skills17")
    assert citation.footnote_marks == ["17"]


def test_quotes_are_escaped_around_their_marks():
    shown = footnotes('<script>alert("x")</script> & skills17 <sup>4</sup>', ["17"])
    assert shown == ('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; skills' + MARK.format(17)
                     + " " + MARK.format(4))
    assert footnotes("KS2 and Y3", []) == "KS2 and Y3"


# --- the loader ---------------------------------------------------------------------------


def with_stoke_source(root):
    """The test tree with the Stoke-on-Trent final report beside the insight guide."""
    real = settings.FIXTURES_DIR
    shutil.copy(real / "sources" / f"{STOKE}.txt", root / "sources" / f"{STOKE}.txt")
    sources = [s for s in yaml.safe_load((real / "sources.yaml").read_text()) if s["key"] in {STOKE,
                                                                                              "000_1f1c3d470389f224"}]
    (root / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True))
    return root


def stoke_cite(quote: str, marks) -> list[dict]:
    return [{"source": STOKE, "locator": "Priority 1", "quote": quote, "footnote_marks": marks}]


WORD_GAP = ("113 practitioners accessed training during Spring term 2022 and 100% reported increase in confidence "
            "and skills17")


def test_the_loader_stores_curated_footnote_marks(tmp_path):
    data = project()
    data["findings"][0]["cite"] = stoke_cite(WORD_GAP, ["17"])
    load_tree(with_stoke_source(write_tree(tmp_path, [data])))
    assert Citation.objects.get(quote=WORD_GAP).footnote_marks == ["17"]


@pytest.mark.parametrize(("quote", "marks", "message"), [
    (WORD_GAP, ["99"], "'99' must stand once in the quote right after the word or punctuation it marks, with no "
                      "space between; found 0 times"),
    (WORD_GAP, ["113"], "found 0 times"),  # the start of the quote: nothing before it
    (WORD_GAP, ["x1"], "'x1' is not a footnote number"),
    (WORD_GAP, "17", "must be a list of footnote numbers"),
])
def test_the_loader_rejects_a_footnote_mark_that_does_not_stand_glued_once(tmp_path, quote, marks, message):
    data = project()
    data["findings"][0]["cite"] = stoke_cite(quote, marks)
    with pytest.raises(FixtureError) as error:
        load_tree(with_stoke_source(write_tree(tmp_path, [data])))
    assert "findings[0] > cite[0]: field 'footnote_marks'" in str(error.value)
    assert message in str(error.value)


def test_the_loader_rejects_a_mark_that_stands_twice(tmp_path):
    data = project()
    data["findings"][0]["cite"] = [{**cite("Phonics 38,121 17,980 24,980")[0], "footnote_marks": ["980"]}]
    with pytest.raises(FixtureError) as error:
        load_tree(write_tree(tmp_path, [data]))
    assert "'980' must stand once in the quote" in str(error.value) and "found 2 times" in str(error.value)


def test_the_same_quote_cited_twice_needs_the_same_marks(tmp_path):
    data = project()
    data["findings"][0]["cite"] = stoke_cite(WORD_GAP, ["17"])
    data["evidence"]["cite"] = [{k: v for k, v in stoke_cite(WORD_GAP, [])[0].items() if k != "footnote_marks"}]
    with pytest.raises(FixtureError) as error:
        load_tree(with_stoke_source(write_tree(tmp_path, [data])))
    assert "the same quote is cited elsewhere with footnote_marks ['17']" in str(error.value)
