"""HTML built in Python, for the parts of pages built hundreds of times a request (facet values, cards)."""

from html import escape as html_escape


def escape(text) -> str:
    """The text as Django's escape() gives it, without its lazy-string wrapper and SafeString:
    the same characters, in a third of the time."""
    return html_escape(str(text))
