"""Addresses reversed once per process (core.paths) are the ones Django's reverse() gives."""

from django.template import engines
from django.urls import reverse, set_script_prefix

from core.paths import path_to, slug_path

NAMES = ["home", "project-list", "area-list", "compare", "api:api-docs", "licence"]


def test_path_to_is_reverse():
    for name in NAMES:
        assert path_to(name) == reverse(name)
        assert path_to(name) == reverse(name)  # the second time from what the process keeps


def test_slug_path_is_reverse():
    for name in ["project-detail", "area-detail", "theme-detail", "phase-detail"]:
        for slug in ["phonics", "the-slug", "ks2", "blackpool-2017_x", "the-slug-and-more"]:
            assert slug_path(name, slug) == reverse(name, args=[slug]), (name, slug)
    # Not a slug: reversed as it is, quoted.
    assert slug_path("source-detail", "a b") == reverse("source-detail", args=["a b"]) == "/sources/a%20b/"


def test_a_script_prefix_is_part_of_the_address():
    set_script_prefix("/evidence/")
    try:
        assert path_to("about") == "/evidence/about/" == reverse("about")
        assert slug_path("project-detail", "phonics") == "/evidence/projects/phonics/" == reverse(
            "project-detail", args=["phonics"])
    finally:
        set_script_prefix("/")
    assert path_to("about") == "/about/"


def test_the_path_tag_gives_what_the_url_tag_gives():
    engine = engines["django"]
    for name in NAMES:
        assert (engine.from_string("{% load paths %}{% path '" + name + "' %}").render()
                == engine.from_string("{% url '" + name + "' %}").render())
