"""Footnote marks inside verbatim quotes, so pages can show "skills[17]" instead of "skills17".

The stored quote stays as the document's text has it. Superscript digits (¹²) and <sup>1</sup>
are always footnote marks. Plain digits are marks only where the curators name them on the
citation (`footnote_marks:`): in text extracted from a PDF, "skills17", "2021)60" and
"Summer term 202118" end in footnote marks, but "KS2", "Post16" and "Y3" do not, and no rule
on the characters alone tells them apart."""

from __future__ import annotations

import re
from collections.abc import Iterable

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_AS_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
_SUPERSCRIPT = re.compile(rf"[{SUPERSCRIPT_DIGITS}]+|<sup>\s*(\d+)\s*</sup>")


def glued(quote: str, mark: str) -> list[re.Match]:
    """Where the digits `mark` stand glued to the text before them (no space) and not followed
    by another digit, as a footnote mark extracted from a PDF does."""
    return list(re.finditer(rf"(?<=\S){re.escape(mark)}(?!\d)", quote))


def footnote_marks(quote: str, marks: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """(start, end, number) of each footnote mark in the quote, in order: every superscript, and
    each curated mark where it stands glued to the text before it."""
    spans = [(m.start(), m.end(), m.group(1) or m.group().translate(_AS_DIGITS)) for m in _SUPERSCRIPT.finditer(quote)]
    superscripts = list(spans)
    for mark in marks:
        for m in glued(quote, mark):
            if not any(start < m.end() and m.start() < end for start, end, _ in superscripts):
                spans.append((m.start(), m.end(), mark))
    return sorted(spans)
