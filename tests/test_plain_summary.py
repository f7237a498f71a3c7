"""A project's plain summary (the API's `headline.plain_summary` and the "In short" list on its
page) says each thing once: where the curated statement already opens with the direction ("Not
measured: the report counts …"), the direction is not put in front of it a second time."""

import html
import re

import pytest

from outcomes.evidence import Direction
from outcomes.models import Headline
from projects.models import Project

pytestmark = pytest.mark.django_db

IN_SHORT_RE = re.compile(r'<dl class="plain-summary">(.*?)</dl>', re.DOTALL)
ANSWER_RE = re.compile(r"<dd>(.*?)</dd>", re.DOTALL)


def _opening(sentence: str, words: int = 2) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", sentence.lower())[:words])


def repeated_openings(text: str) -> list[str]:
    """Each sentence of `text` that opens with the same two words as the sentence before it."""
    sentences = [s for s in re.split(r"(?<=[.;:!?])\s+", text) if s]
    return [f"{before} | {after}" for before, after in zip(sentences, sentences[1:], strict=False)
            if len(_opening(before)) == 2 and _opening(before) == _opening(after)]


def test_repeated_openings_finds_the_doubled_direction():
    assert repeated_openings("Not measured. Not measured: the report counts 99 practitioners.") != []
    assert repeated_openings("Not measured. No outcome is reported: the case study describes it.") == []


@pytest.fixture(scope="module")
def slugs(django_db_blocker):
    with django_db_blocker.unblock():
        return list(Project.objects.order_by("slug").values_list("slug", flat=True))


def test_no_plain_summary_in_the_api_says_a_thing_twice(client, slugs):
    doubled = {}
    for slug in slugs:
        headline = client.get(f"/api/v1/projects/{slug}/").json()["headline"]
        for label, text in (headline["plain_summary"] if headline else {}).items():
            if "Not measured. Not measured" in text or repeated_openings(text):
                doubled[f"{slug} {label}"] = text
    assert doubled == {}


def test_no_in_short_answer_on_a_project_page_says_a_thing_twice(client, slugs):
    doubled, answers = {}, 0
    for slug in slugs:
        in_short = IN_SHORT_RE.search(client.get(f"/projects/{slug}/").content.decode())
        for text in ANSWER_RE.findall(in_short.group(1)):
            text, answers = html.unescape(re.sub(r"<[^>]+>", "", text)).strip(), answers + 1
            if "Not measured. Not measured" in text or repeated_openings(text):
                doubled[slug] = text
    assert answers >= 3 * len(slugs) and doubled == {}


BADGE_RE = re.compile(r'<span class="direction direction-[\w-]+">([^<]+)</span>\s*([^<]{0,40})')


def badges_followed_by_their_own_words(page: str) -> list[str]:
    """Each direction badge ("Not measured") whose statement opens by saying it again."""
    return [f"{label} | {after}" for label, after in BADGE_RE.findall(html.unescape(page))
            if after.lower().startswith(label.strip().lower())]


def test_badges_followed_by_their_own_words_finds_the_repeat():
    assert badges_followed_by_their_own_words(
        '<span class="direction direction-not_measured">Not measured</span> Not measured: the report') != []
    assert badges_followed_by_their_own_words(
        '<span class="direction direction-not_measured">Not measured</span> The report counts 99') == []


def test_no_direction_badge_is_followed_by_a_statement_that_repeats_it(client, slugs):
    """At a glance on each project page, the cards of every area page and the area briefings."""
    areas = client.get("/api/v1/areas/").json()
    area_slugs = [area["slug"] for area in (areas["results"] if isinstance(areas, dict) else areas)]
    pages = [f"/projects/{slug}/" for slug in slugs]
    pages += [url for slug in area_slugs for url in (f"/areas/{slug}/", f"/areas/{slug}/briefing/")]
    repeated, badges = {}, 0
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        badges += len(BADGE_RE.findall(page))
        if found := badges_followed_by_their_own_words(page):
            repeated[url] = found
    assert badges > len(slugs) and repeated == {}


def test_the_statement_after_its_label_drops_only_a_whole_repeated_label():
    assert Headline(direction=Direction.NOT_MEASURED, statement="Not measured: the report counts 99."
                    ).statement_after_label == "The report counts 99."
    assert Headline(direction=Direction.NOT_MEASURED, statement="Not measuredly odd."
                    ).statement_after_label == "Not measuredly odd."
    assert Headline(direction=Direction.NOT_MEASURED, statement="No outcome is reported."
                    ).statement_after_label == "No outcome is reported."
