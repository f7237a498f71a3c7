"""What the compare page is asked to compare: the slugs in ?projects= or ?areas=, checked.

Kept apart from web/analysis.py (pandas) so that the pages that only link to the compare page
do not import pandas into every web worker.
"""

from __future__ import annotations

from collections import OrderedDict

MAX_SELECTION = 6


class SelectionError(ValueError):
    """A comparison that cannot be made: unknown slugs, too many, or the wrong mix."""


def parse_selection(raw: str) -> list[str]:
    """'a,b,,c' -> ['a', 'b', 'c'], in order, without duplicates."""
    return list(OrderedDict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))


def check_selection(slugs: list[str], found: dict, noun: str) -> None:
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise SelectionError(f"No {noun} with the slug {', '.join(repr(m) for m in missing)}.")
    if len(slugs) > MAX_SELECTION:
        raise SelectionError(f"Compare at most {MAX_SELECTION} {noun}s at once; {len(slugs)} were chosen.")
