"""Full-text search over projects, with word boundaries and ranking on both databases.

- PostgreSQL: a weighted tsvector (title A, summary B, everything else C) kept in
  Project.search_vector by every load, GIN-indexed, ranked with ts_rank.
- SQLite (the embedded default): an FTS5 table `project_search` (title, everything) with the
  Porter stemmer, rebuilt by every load, ranked with bm25 (title matches weigh more).
- Typo tolerance on both: when no project has the query's words, the search falls back to close
  matches over Project.search_names (title, themes, programmes, organisations), most similar first
  (fonics finds the phonics projects). PostgreSQL: pg_trgm word similarity, GIN trigram-indexed,
  its threshold set by the connection (pg_trgm.word_similarity_threshold, oa_evidence/settings.py).
  SQLite: difflib over the words of all search_names, cached per data version. Both then offer
  "did you mean" (suggest_query).

A query is parsed once into terms: words, "quoted phrases", -excluded words and `or`. Each word
or phrase also matches its synonyms from one curated list (S2SS, KS2, PP, CPD, NQT/ECT…). Only
word characters reach either database's query parser, so no input can break it.
"""

from __future__ import annotations

import difflib
import operator
import re
from dataclasses import dataclass
from functools import lru_cache, reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.cache import cached_for_this_data

SEARCH_CONFIG = "english"
MAX_QUERY_TOKENS = 24
MAX_QUERY_WORDS = 32  # over all terms: a long hyphenated or quoted run is cut short too
# A quoted phrase, or a word (a leading - excludes it); hyphenated words are one phrase.
TOKEN = re.compile(r'"[^"]*"|-?[\w’\']+(?:-[\w’\']+)*')
WORD = re.compile(r"\w+")
INFLECTION = re.compile(r"(?<=\w\w\w)(?:ies|es|s|ing|ed)$")

# Abbreviations and names the documents use, each with what it stands for (after
# ../shared/GLOSSARY.md). A term matches any of its group; typed as plain words, a run that spells
# one of these is searched as that phrase.
SYNONYM_GROUPS = [
    ["s2ss", "school to school support", "school to school"],
    ["ks1", "key stage 1"], ["ks2", "key stage 2"], ["ks3", "key stage 3"], ["ks4", "key stage 4"],
    ["ks5", "key stage 5", "post 16"],
    ["eyfs", "early years foundation stage", "early years"],
    ["send", "special educational needs"],
    ["senco", "sendco", "special educational needs co ordinator"],
    ["pp", "pupil premium", "disadvantaged"],
    ["cpd", "professional development"],
    ["nqt", "newly qualified teacher", "ect", "early career teacher"],
    ["sle", "specialist leader of education"], ["nle", "national leader of education"],
    ["nlg", "national leader of governance"],
    ["eal", "english as an additional language"],
    ["fsm", "free school meals"],
    ["maths", "mathematics"],
    ["mat", "multi academy trust"],
    ["oa", "opportunity area"],
    ["eef", "education endowment foundation"],
    ["ncetm", "national centre for excellence in the teaching of mathematics"],
    ["ssif", "strategic school improvement fund"], ["tlif", "teaching and learning innovation fund"],
    ["hias", "hampshire inspection and advisory service"],
    ["pru", "pupil referral unit"],
    ["gld", "good level of development"],
    ["rwm", "reading writing and maths"],
    ["2lp", "two levels of progress"],
    ["idaci", "income deprivation affecting children index"],
    ["ngrt", "new group reading test"], ["pte", "progress test in english"], ["sas", "standard age score"],
]
# Phrases with no abbreviation, searched as phrases when typed as plain words.
KNOWN_PHRASES = [
    "teaching school", "teaching school hub", "teaching school alliance", "research school", "maths hub",
    "local authority", "school improvement offer", "social mobility index", "partnership board",
    "system leaders", "match funding", "expected standard", "floor standard", "phonics screening check",
    "attainment 8", "progress 8", "standard pass",
]
SYNONYM_GROUPS += [[phrase] for phrase in KNOWN_PHRASES]
SYNONYMS = {term: group for group in SYNONYM_GROUPS for term in group}
LONGEST_SYNONYM = max(len(term.split()) for term in SYNONYMS)
# Words too common to narrow a search (PostgreSQL's english configuration drops them too).
STOPWORDS = set("a an and are as at be by for from has in is it its of on or that the to was were with".split())


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase
    excluded: bool = False
    or_with_previous: bool = False
    quoted: bool = False


def parse_query(query: str) -> list[Term]:
    """Words, phrases, -excluded words and `or`, as terms of plain word characters. A run of
    words that is a known phrase (school to school support) becomes one phrase; other words too
    common to narrow a search are dropped."""
    terms, pending_or, room = [], False, MAX_QUERY_WORDS
    for token in TOKEN.findall(query.replace("\x00", " "))[:MAX_QUERY_TOKENS]:
        if token.lower() == "or" and terms:
            pending_or = True
            continue
        excluded = token.startswith("-")
        words = tuple(word.lower() for word in WORD.findall(token))[:room]
        room -= len(words)
        if words:
            terms.append(Term(words, excluded, pending_or, quoted=token.startswith('"')))
            pending_or = False
    return [term for term in _known_phrases(terms) if len(term.words) > 1 or term.words[0] not in STOPWORDS]


def _known_phrases(terms: list[Term]) -> list[Term]:
    """Merge runs of plain words (or hyphenated words) that spell a known phrase into one term."""
    merged, index = [], 0
    while index < len(terms):
        for length in range(min(LONGEST_SYNONYM, len(terms) - index), 1, -1):
            run = terms[index:index + length]
            if all(not t.excluded and not t.quoted for t in run) and not any(t.or_with_previous for t in run[1:]):
                phrase = " ".join(word for t in run for word in t.words)
                if phrase in SYNONYMS:
                    merged.append(Term(tuple(phrase.split()), False, run[0].or_with_previous))
                    index += length
                    break
        else:
            merged.append(terms[index])
            index += 1
    return merged


def query_words(query: str) -> list[str]:
    """The words of a query, for highlighting and suggestions."""
    return [word for term in parse_query(query) if not term.excluded for word in term.words]


def _alternatives(term: Term) -> list[tuple[str, ...]]:
    """The term and its synonyms, each as a tuple of words."""
    phrase = " ".join(term.words)
    group = SYNONYMS.get(phrase, [phrase])
    return list(dict.fromkeys(tuple(WORD.findall(alternative)) for alternative in [phrase, *group]))


def _boolean(terms: list[Term], word, phrase, either, both, negate) -> str:
    """Terms combined with the database's own operators (`either` binds tighter than `both`)."""
    clauses: list[str] = []
    for term in terms:
        options = [word(words[0]) if len(words) == 1 else phrase(words) for words in _alternatives(term)]
        clause = options[0] if len(options) == 1 else either(options)
        if term.excluded:
            clause = negate(clause)
        if term.or_with_previous and clauses:
            clauses[-1] = either([clauses[-1], clause])
        else:
            clauses.append(clause)
    return both(clauses)


def postgres_tsquery(terms: list[Term]) -> str:
    return _boolean(terms, word=lambda w: w, phrase=lambda ws: "(" + " <-> ".join(ws) + ")",
                    either=lambda xs: "(" + " | ".join(xs) + ")", both=lambda xs: " & ".join(xs),
                    negate=lambda x: f"!{x}")


def fts5_query(terms: list[Term]) -> str:
    positive = [term for term in terms if not term.excluded]
    query = _boolean(positive, word=lambda w: f'"{w}"', phrase=lambda ws: '"' + " ".join(ws) + '"',
                     either=lambda xs: "(" + " OR ".join(xs) + ")", both=lambda xs: " AND ".join(xs),
                     negate=lambda x: x)
    excluded = [term for term in terms if term.excluded]
    if excluded and query:
        query += " NOT " + " NOT ".join('"' + " ".join(term.words) + '"' for term in excluded)
    return query


def search_projects(qs: QuerySet, query: str, *, close_matches: bool | None = None) -> tuple[QuerySet, bool]:
    """Projects matching `query`, with a `rank`, and whether they are only close matches of
    misspelt words. `close_matches`: False searches for the words, True for close matches of them;
    None decides, with one query more: close matches when no project has the words. A query with
    no words matches nothing."""
    if not query.strip():
        return qs, False
    terms = parse_query(query)
    exact = Value(False, output_field=BooleanField())
    if not any(not term.excluded for term in terms):
        return qs.none().annotate(rank=Value(0.0, output_field=FloatField()), close_match=exact), False
    found, rank = _word_matches(qs, terms)
    if close_matches is None:
        close_matches = not found.exists()
    if close_matches:
        return _close_matches(qs, terms), True
    return found.annotate(rank=rank, close_match=exact), False


def words_found(qs: QuerySet, query: str) -> bool:
    """Whether any of these projects has the words of `query` (not only close matches of them)."""
    terms = parse_query(query)
    return any(not term.excluded for term in terms) and _word_matches(qs, terms)[0].exists()


def _word_matches(qs: QuerySet, terms: list[Term]):
    """The projects with the words, unranked, and the expression that ranks them."""
    if connection.vendor == "postgresql":
        search_query = SearchQuery(postgres_tsquery(terms), search_type="raw", config=SEARCH_CONFIG)
        found = qs.filter(search_vector=search_query)
        if any(_has_stopword(words) for term in terms for words in _alternatives(term) if len(words) > 1):
            found = found.filter(_postgres_exact_phrases(terms))
        return found, SearchRank(F("search_vector"), search_query)
    match = fts5_query(terms)
    table = qs.model._meta.db_table
    found = qs.filter(pk__in=RawSQL("SELECT rowid FROM project_search WHERE project_search MATCH %s", [match]))
    rank = RawSQL(f"SELECT -bm25(project_search, 10.0, 1.0) FROM project_search "  # noqa: S608 - our table name
                  f'WHERE project_search MATCH %s AND rowid = "{table}"."id"', [match], output_field=FloatField())
    return found, rank


def _has_stopword(words: tuple[str, ...]) -> bool:
    return any(word in STOPWORDS for word in words)


def _postgres_exact_phrases(terms: list[Term]) -> Q:
    """The query again, with each phrase that has a stopword also matched, in order, in the text.
    The english configuration drops stopwords, so in the vector "school to school" is only
    "school, any one word, school" and "schools and school" would match (PostgreSQL)."""
    def lexemes(tsquery: str) -> Q:
        return Q(search_vector=SearchQuery(tsquery, search_type="raw", config=SEARCH_CONFIG))

    def phrase(words: tuple[str, ...]) -> Q:
        found = lexemes("(" + " <-> ".join(words) + ")")
        if not _has_stopword(words):
            return found
        # The stopwords exact, other words in any form (schools, school); any punctuation between.
        pattern = r"\m" + r"\W+".join(re.escape(w) if w in STOPWORDS else re.escape(INFLECTION.sub("", w)) + r"\w*"
                                      for w in words) + r"\M"
        return found & Q(search_document__iregex=pattern)

    return _boolean(terms, word=lexemes, phrase=phrase, either=lambda xs: reduce(operator.or_, xs),
                    both=lambda xs: reduce(operator.and_, xs), negate=operator.invert)


def _close_matches(qs: QuerySet, terms: list[Term]) -> QuerySet:
    """Projects whose search_names have a word close to each word of the query (or of one of its
    synonyms), ranked by closeness, a close word in the title counting again; excluded words still
    exclude. PostgreSQL: pg_trgm word similarity, indexed. SQLite: difflib over the words of all
    search_names (once per data version), the close words then matched whole."""
    positive = [term for term in terms if not term.excluded]
    words = [word for term in positive for words in _alternatives(term) for word in words if word not in STOPWORDS]
    if connection.vendor == "postgresql":
        def close(word: str) -> Q:
            return Q(search_names__trigram_word_similar=word)  # indexed: search_names %> word

        similarity = _sum([TrigramWordSimilarity(word, field) for term in positive
                           for word in term.words for field in ("search_names", "title")])
    else:
        corrections = {word: close_words(word, names_vocabulary(qs.model)) for word in words}

        def close(word: str) -> Q:
            found = [Q(search_names__iregex=_whole_word(near)) for near, _ in corrections.get(word, [])]
            return reduce(operator.or_, found) if found else Q(pk__in=[])

        similarity = _sum([
            Case(When(**{f"{field}__iregex": _whole_word(near)}, then=Value(closeness)), default=Value(0.0),
                 output_field=FloatField())
            for term in positive for word in term.words for near, closeness in corrections.get(word, [])
            for field in ("search_names", "title")])

    def phrase(ws: tuple[str, ...]) -> Q:
        return reduce(operator.and_, map(close, [w for w in ws if w not in STOPWORDS] or ws))

    matching = _boolean(positive, word=close, phrase=phrase, either=lambda xs: reduce(operator.or_, xs),
                        both=lambda xs: reduce(operator.and_, xs), negate=lambda x: x)
    found = qs.filter(matching)
    excluded = [Term(term.words) for term in terms if term.excluded]
    if excluded and connection.vendor == "postgresql":
        found = found.exclude(search_vector=SearchQuery(
            " | ".join(postgres_tsquery([term]) for term in excluded), search_type="raw", config=SEARCH_CONFIG))
    elif excluded:
        found = found.exclude(pk__in=RawSQL("SELECT rowid FROM project_search WHERE project_search MATCH %s",
                                            [" OR ".join(fts5_query([term]) for term in excluded)]))
    return found.annotate(rank=similarity, close_match=Value(True, output_field=BooleanField()))


def _sum(expressions: list):
    """The expressions added up, as a balanced tree: a long query would nest too deep for Python
    as a chain."""
    if not expressions:
        return Value(0.0, output_field=FloatField())
    if len(expressions) == 1:
        return expressions[0]
    middle = len(expressions) // 2
    return _sum(expressions[:middle]) + _sum(expressions[middle:])


CLOSE_CUTOFF = 0.75  # difflib's ratio: fonics → phonics is 0.77


def close_words(word: str, vocabulary: set[str]) -> list[tuple[str, float]]:
    """Up to three words of `vocabulary` close to `word`, with how close (0 to 1), closest first."""
    return [(near, difflib.SequenceMatcher(None, word, near).ratio())
            for near in difflib.get_close_matches(word, vocabulary, n=3, cutoff=CLOSE_CUTOFF)]


def _whole_word(word: str) -> str:
    return r"\b" + re.escape(word) + r"\b"  # SQLite's REGEXP is Python's re


def names_vocabulary(model) -> set[str]:
    """Every word of the projects' titles, themes, programmes and organisations, lower-cased, for
    close matches on SQLite (one query, then cached until the data version changes)."""
    return cached_for_this_data("search-names-vocabulary", lambda: {
        word.lower() for names in model.objects.values_list("search_names", flat=True)
        for word in WORD.findall(names or "")})


def build_search_vector():
    """The expression every load stores in Project.search_vector (PostgreSQL only)."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("search_document", weight="C", config=SEARCH_CONFIG)
    )


def rebuild_search_index(projects: QuerySet) -> None:
    """After a load: PostgreSQL's stored vectors, or SQLite's FTS5 table, from the projects."""
    if connection.vendor == "postgresql":
        projects.update(search_vector=build_search_vector())
        return
    table = projects.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM project_search")
        cursor.execute(f'INSERT INTO project_search (rowid, title, body) SELECT id, title, search_document '  # noqa: S608
                       f'FROM "{table}"')


def highlight(text: str, query: str, width: int = 220) -> SafeString:
    """An excerpt of `text` around the first matching word, with whole-word matches in <mark>."""
    pattern = _highlighted(query)
    if pattern is None or not text:
        return mark_safe(escape(text[:width]))
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


@lru_cache(maxsize=256)  # a page highlights 20 excerpts of one query
def _highlighted(query: str) -> re.Pattern | None:
    """The words of a query as one pattern, each matching at a word's start (None: no words)."""
    words = [word for word in query_words(query) if len(word) > 1] or query_words(query)
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\w*", re.IGNORECASE)


def suggest_query(query: str, vocabulary: set[str]) -> str:
    """The query with each word the corpus does not know replaced by the closest word it does
    (fonics → phonics), or "" when there is nothing to suggest."""
    changed, words = False, []
    for word in query.split():
        plain = word.lower().strip("\"'-")
        if len(plain) < 4 or plain in vocabulary or not plain.isalpha():
            words.append(word)
            continue
        match = difflib.get_close_matches(plain, vocabulary, n=1, cutoff=0.75)
        words.append(match[0] if match else word)
        changed = changed or bool(match)
    return " ".join(words) if changed else ""


def vocabulary_of(texts) -> set[str]:
    """Every word of four letters or more in the given texts, lower-cased."""
    return {word.lower() for text in texts for word in re.findall(r"[^\W\d_]{4,}", text or "")}
