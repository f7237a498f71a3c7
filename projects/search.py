"""Full-text search over projects.

On PostgreSQL: a weighted tsvector (title A, summary B, everything else C) kept in
Project.search_vector by the loader, GIN-indexed, queried with websearch syntax and ranked.
On SQLite: every word must occur somewhere in the project's search document; title matches
rank first.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SEARCH_CONFIG = "english"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# Websearch syntax kept on PostgreSQL: "quoted phrases", or, and -excluded words. Anything else
# (runs of operators, punctuation, control characters) is dropped, and long queries are cut, so no
# input can overflow the query parser.
WEBSEARCH_TOKEN = re.compile(r'"[^"\x00]*"|-?[\w’\']+')
MAX_QUERY_TOKENS = 24


def search_projects(qs: QuerySet, query: str) -> QuerySet:
    """Projects matching `query`, with a `rank`; a query with no words matches nothing."""
    query = query.strip()
    if not query:
        return qs
    words = query_words(query)
    if not words:
        return qs.none().annotate(rank=Value(0.0, output_field=FloatField()))
    if is_postgres():
        tokens = WEBSEARCH_TOKEN.findall(query)[:MAX_QUERY_TOKENS]
        search_query = SearchQuery(" ".join(tokens), search_type="websearch", config=SEARCH_CONFIG)
        return qs.filter(search_vector=search_query).annotate(
            rank=SearchRank(F("search_vector"), search_query)
        )
    for word in words:
        qs = qs.filter(search_document__icontains=word)
    in_title = Q()
    for word in words:
        in_title &= Q(title__icontains=word)
    return qs.annotate(
        rank=Case(When(in_title, then=Value(1.0)), default=Value(0.5), output_field=FloatField())
    )


def build_search_vector():
    """The expression the loader stores in Project.search_vector (PostgreSQL only)."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("search_document", weight="C", config=SEARCH_CONFIG)
    )


def query_words(query: str) -> list[str]:
    return [word for word in re.findall(r"[\w’'-]+", query) if word.strip("-’'")][:MAX_QUERY_TOKENS]


def highlight(text: str, query: str, width: int = 220) -> SafeString:
    """An excerpt of `text` around the first matching word, with matches in <mark>."""
    words = query_words(query)
    if not words or not text:
        return mark_safe(escape(text[:width]))
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    match = pattern.search(text)
    if match is None:
        return mark_safe(escape(text[:width]))
    start = max(0, match.start() - width // 3)
    excerpt = text[start : start + width]
    marked = pattern.sub(lambda m: f"\x00{m.group(0)}\x01", excerpt)
    html = escape(marked).replace("\x00", "<mark>").replace("\x01", "</mark>")
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(f"{prefix}{html}{suffix}")
