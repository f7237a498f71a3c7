"""Addresses reversed once per process. Django's reverse() takes about 40 µs on the benchmark
machine, and a search page asked for 40 of them: 20 in its header and footer, one per card."""

import re
from functools import lru_cache

from django.urls import get_script_prefix, reverse

SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what Django's slug converter matches: nothing to quote
PLACEHOLDER = "the-slug"


def path_to(name: str) -> str:
    """reverse(name), for an address with no arguments."""
    return _reversed(name, get_script_prefix())


def slug_path(name: str, slug: str) -> str:
    """reverse(name, args=[slug]), for an address whose one argument is a slug."""
    if not SLUG.fullmatch(slug):
        return reverse(name, args=[slug])
    return _reversed(name, get_script_prefix(), PLACEHOLDER).replace(PLACEHOLDER, slug, 1)


@lru_cache(maxsize=256)
def _reversed(name: str, script_prefix: str, *args: str) -> str:  # the prefix reverse() adds is in the key
    return reverse(name, args=args)
