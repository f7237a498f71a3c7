"""The search page's facets: a fieldset of checkboxes per facet, each value with its count.

Built here rather than in a template loop: a page has up to 12 facets of 20 values, and looping
over them in the template language was a third of the page's rendering time. Every text put into
the HTML is escaped.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.html import escape

register = template.Library()

INCLUDED = '<span class="visually-hidden"> (included: its broader theme is ticked)</span>'


def _value(name: str, item: dict) -> str:
    dom_id, value = escape(item["dom_id"]), escape(item["value"])
    sub = " sub" if item.get("parent") else ""
    checked = " checked" if item.get("checked") else ""
    disabled, included = (" disabled", INCLUDED) if item.get("disabled") else ("", "")
    return (f'<div class="check{sub}"><input type="checkbox" name="{name}" value="{value}" id="{dom_id}"'
            f'{checked}{disabled}>\n    <label class="inline-label" for="{dom_id}">{escape(item["label"])}{included}'
            f' <span class="count" data-facet-count="{name}-{value}">{int(item["count"])}</span></label></div>')


@register.simple_tag
def facet(name: str, title: str, items: list[dict], hint: str = "") -> SafeString | str:
    """A facet's fieldset (nothing when it has no values). `items` as web.pages._ticked gives them."""
    if not items:
        return ""
    name = escape(name)
    hint_html = f'\n  <p class="hint" id="facet-{name}-hint">{escape(hint)}</p>' if hint else ""
    values = "\n  ".join(_value(name, item) for item in items)
    return mark_safe(f'<fieldset class="facet">\n  <legend>{escape(title)}</legend>{hint_html}\n  {values}\n'  # escaped
                     "</fieldset>")
