"""Number formats, defined once: money, measures in their unit, signed changes; and quotes with
their footnote marks shown as marks."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from costs.figures import CostBand
from outcomes.evidence import rating_label
from outcomes.figures import CHANGE_WORDS, reported_change_text
from outcomes.figures import reported_change as signed_reported_change
from projects.footnotes import footnote_marks

register = template.Library()

UNIT_SUFFIX = {
    "percent": "%",
    "percentage_points": " pp",
    "sas_points": " SAS points",
    "attainment8_points": " Attainment 8 points",
    "progress8": "",
    "count": "",
    "schools": " schools",
    "pupils": " pupils",
    "ofsted_grade": "",
    "days": " days",
    "other": "",
}
CHANGE_SUFFIX = {"percent": " pp", "percentage_points": " pp"}


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _plain(number: Decimal) -> str:
    """A number as written: thousands separators, no trailing zeros."""
    number = number.normalize()
    if number == number.to_integral():
        return f"{number:,.0f}"
    return f"{number:,f}"


@register.filter
def gbp(value, places: int = 0) -> str:
    """£1,234 (or £1,234.56 with places=2); amounts with pence keep them."""
    number = _decimal(value)
    if number is None:
        return "—"
    if number != number.to_integral() or int(places) == 2:
        return f"£{number:,.2f}"
    return f"£{number:,.0f}"


@register.filter
def gbp_prose(value) -> str:
    """Money in running text (summaries, headlines, cards): a million or more in millions with two
    decimals (£1.10m, £8.05m), anything less exact (£250,000, £60,490.38). Tables, downloads and
    the API keep the exact figure (`gbp`)."""
    number = _decimal(value)
    if number is None:
        return "—"
    if abs(number) >= 1_000_000:
        millions = (number / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"£{millions:,}m"
    return gbp(value)


@register.filter
def measure(value, unit: str = "") -> str:
    number = _decimal(value)
    if number is None:
        return "—"
    suffix = UNIT_SUFFIX.get(unit, "")
    if number == 1 and suffix.endswith("s"):  # 1 school, 1 pupil, 1 day
        suffix = suffix[:-1]
    return f"{_plain(number)}{suffix}"


def _sign(number: Decimal) -> str:
    return "+" if number > 0 else ("−" if number < 0 else "±")


@register.filter
def change(value, unit: str = "") -> str:
    """A derived change, follow-up − baseline, in the measure's unit: the difference of two
    percentages is in points (+5 pp), +0.3 otherwise. A change the document reports on its own
    has a unit of its own: see `signed_change`."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{_sign(number)}{_plain(abs(number))}{CHANGE_SUFFIX.get(unit, UNIT_SUFFIX.get(unit, ''))}"


@register.filter
def signed_change(measure, which: str = "") -> str:
    """A reported change, signed, in its own unit: +18% (a percent change as stated, never turned into
    points), +3 percentage points, −8.5 points."""
    number = signed_reported_change(measure=measure, comparator=which == "comparator")
    if number is None:
        return "—"
    words = CHANGE_WORDS.get(measure.reported_change_unit, "")
    if abs(number) == 1 and words.endswith("s"):
        words = words[:-1]
    return f"{_sign(number)}{_plain(abs(number))}{words}"


@register.filter
def reported_change(measure, which: str = "") -> str:
    """A reported change in words: "increased by 18%", "decreased by 8.5 points"."""
    return reported_change_text(measure=measure, comparator=which == "comparator") or "—"


@register.filter
def lookup(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.filter
def cost_band(slug: str) -> str:
    """'low' -> '££ Low' (the EEF Toolkit's symbols and names)."""
    return CostBand(slug).label if slug in CostBand.values else "—"


@register.filter(name="rating_label")
def rating_label_filter(rating) -> str:
    return rating_label(rating)


@register.filter
def rating_dots(rating: int) -> list[bool]:
    """Five dots, the first `rating` of them filled."""
    return [index < int(rating or 0) for index in range(5)]


@register.filter
def footnotes(quote: str, marks=None) -> SafeString:
    """The quote, HTML-escaped, with each footnote mark ("skills17", "Approach,¹²") shown as a
    superscript [17] that screen readers announce as a footnote. `marks`: the citation's curated
    footnote_marks."""
    parts, done = [], 0
    for start, end, number in footnote_marks(quote, marks or ()):
        parts += [escape(quote[done:start]), format_html(
            '<sup class="footnote-mark"><span class="visually-hidden"> footnote </span>[{}]</sup>', number)]
        done = end
    parts.append(escape(quote[done:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above
