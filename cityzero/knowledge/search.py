"""Full-text search over knowledge entries: one interface, two backends.

Text is made into index words here, in Python, for both databases: split into words, stemmed with
the Snowball stemmer of the entry's language, case-folded, stripped of diacritics. SQLite keeps the
words in an FTS5 table, PostgreSQL in a ``tsvector`` (``simple`` configuration) with a GIN index;
neither stems again, so both match exactly the same entries for the same data.

A query is stemmed in every supported language, because the searcher's language is not the
entry's: each word matches any of its stems; words are all required (AND); "quoted words" must
appear together, in one language. Ranking weighs title over summary over body (FTS5's BM25,
PostgreSQL's ts_rank) and puts an entry whose title is exactly the query first.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import Stemmer
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cityzero.knowledge.models import SearchDocument

STEMMED = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
    "nl": "dutch", "pt": "portuguese", "sv": "swedish", "da": "danish", "fi": "finnish",
    "el": "greek", "hu": "hungarian", "ro": "romanian", "lt": "lithuanian", "pl": "polish",
    "cs": "czech",
}  # fmt: skip
WORD = re.compile(r"[^\W_]+")
PHRASE = re.compile(r'"([^"]*)"')
MAX_QUERY_WORDS = 12


@cache
def _stemmer(language: str) -> Stemmer.Stemmer | None:
    algorithm = STEMMED.get(language)
    return Stemmer.Stemmer(algorithm) if algorithm else None


def _plain(word: str) -> str:
    if word.isascii():  # nothing to strip (most words): the same, much faster
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def index_words(text: str, language: str) -> list[str]:
    """The words an index keeps for ``text`` written in ``language``."""
    found = words(text)
    stemmer = _stemmer(language)
    stems = stemmer.stemWords(found) if stemmer else found
    return [_plain(stem) for stem in stems]


def index_text(text: str, language: str) -> str:
    return " ".join(index_words(text, language))


def title_key(title: str) -> str:
    """What an exact title match compares: the title's words, folded, without diacritics."""
    return " ".join(_plain(word) for word in words(title))


# --- queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A parsed query: each term is a set of alternatives; an alternative is a tuple of words
    (one word, or a phrase in one language)."""

    text: str
    terms: tuple[frozenset[tuple[str, ...]], ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def key(self) -> str:
        return title_key(self.text)

    def stems(self) -> frozenset[str]:
        return frozenset(word for term in self.terms for phrase in term for word in phrase)


def _variants(phrase: list[str]) -> frozenset[tuple[str, ...]]:
    found = {tuple(_plain(w) for w in phrase)}
    for language in STEMMED:
        stemmer = _stemmer(language)
        if stemmer:
            found.add(tuple(_plain(stem) for stem in stemmer.stemWords(phrase)))
    return frozenset(found)


def parse(text: str) -> Query:
    text = text.strip()[:500]
    phrases = [words(p) for p in PHRASE.findall(text)]
    loose = words(PHRASE.sub(" ", text))
    terms = [_variants(p) for p in phrases if p] + [_variants([w]) for w in loose]
    return Query(text, tuple(dict.fromkeys(terms))[:MAX_QUERY_WORDS])


# --- the two backends ---------------------------------------------------------------------------


class _SQLite:
    """FTS5 over ``knowledge_searchdocument`` as external content, kept in step by triggers."""

    create = [
        "CREATE VIRTUAL TABLE knowledge_fts USING fts5(title, summary, body, "
        "content = 'knowledge_searchdocument', content_rowid = 'entry_id', "
        "tokenize = 'unicode61 remove_diacritics 0')",
        "CREATE TRIGGER knowledge_fts_insert AFTER INSERT ON knowledge_searchdocument BEGIN "
        "INSERT INTO knowledge_fts (rowid, title, summary, body) "
        "VALUES (new.entry_id, new.title, new.summary, new.body); END",
        "CREATE TRIGGER knowledge_fts_delete AFTER DELETE ON knowledge_searchdocument BEGIN "
        "INSERT INTO knowledge_fts (knowledge_fts, rowid, title, summary, body) "
        "VALUES ('delete', old.entry_id, old.title, old.summary, old.body); END",
        "CREATE TRIGGER knowledge_fts_update AFTER UPDATE ON knowledge_searchdocument BEGIN "
        "INSERT INTO knowledge_fts (knowledge_fts, rowid, title, summary, body) "
        "VALUES ('delete', old.entry_id, old.title, old.summary, old.body); "
        "INSERT INTO knowledge_fts (rowid, title, summary, body) "
        "VALUES (new.entry_id, new.title, new.summary, new.body); END",
        # Rows that exist already (none in a new database) join the index.
        "INSERT INTO knowledge_fts (knowledge_fts) VALUES ('rebuild')",
    ]
    drop = [
        "DROP TRIGGER IF EXISTS knowledge_fts_insert",
        "DROP TRIGGER IF EXISTS knowledge_fts_delete",
        "DROP TRIGGER IF EXISTS knowledge_fts_update",
        "DROP TABLE IF EXISTS knowledge_fts",
    ]

    @staticmethod
    def expression(query: Query) -> str:
        def alternative(phrase: tuple[str, ...]) -> str:
            return '"' + " ".join(phrase) + '"'

        return " AND ".join(
            "(" + " OR ".join(alternative(p) for p in sorted(term)) + ")" for term in query.terms
        )

    def matches(self, query: Query) -> tuple[str, list]:
        # Columns weighted title 10, summary 4, body 1; bm25 is lower for better matches.
        sql = (
            "SELECT rowid, -bm25(knowledge_fts, 10.0, 4.0, 1.0) FROM knowledge_fts "
            "WHERE knowledge_fts MATCH %s"
        )
        return sql, [self.expression(query)]


class _PostgreSQL:
    """A generated, weighted ``tsvector`` column of ``knowledge_searchdocument``, GIN-indexed."""

    create = [
        "ALTER TABLE knowledge_searchdocument ADD COLUMN document tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', title), 'A') || "
        "setweight(to_tsvector('simple', summary), 'B') || "
        "setweight(to_tsvector('simple', body), 'C')) STORED",
        "CREATE INDEX knowledge_search_document ON knowledge_searchdocument USING GIN (document)",
    ]
    drop = [
        "DROP INDEX IF EXISTS knowledge_search_document",
        "ALTER TABLE knowledge_searchdocument DROP COLUMN IF EXISTS document",
    ]

    @staticmethod
    def expression(query: Query) -> str:
        return " & ".join(
            "(" + " | ".join(" <-> ".join(p) for p in sorted(term)) + ")" for term in query.terms
        )

    def matches(self, query: Query) -> tuple[str, list]:
        # ts_rank's weights are {D, C, B, A}: body C 0.1, summary B 0.4, title A 1 (as FTS5's).
        sql = (
            "SELECT entry_id, ts_rank('{0, 0.1, 0.4, 1.0}', document, q) "
            "FROM knowledge_searchdocument, to_tsquery('simple', %s) q WHERE document @@ q"
        )
        return sql, [self.expression(query)]


def backend(vendor: str | None = None) -> _SQLite | _PostgreSQL:
    vendor = vendor or connection.vendor
    if vendor == "postgresql":
        return _PostgreSQL()
    if vendor == "sqlite":
        return _SQLite()
    raise NotImplementedError(f"No knowledge search for the {vendor} database.")


def document_for(entry) -> SearchDocument:
    return SearchDocument(
        entry_id=entry.pk,
        title=index_text(entry.title, entry.language),
        summary=index_text(entry.summary, entry.language),
        body=index_text(entry.body, entry.language),
    )


def index(entries) -> None:
    """(Re)index these entries; call within the transaction that saved them."""
    documents = [document_for(entry) for entry in entries]
    SearchDocument.objects.bulk_create(
        documents, update_conflicts=True, unique_fields=["entry"],
        update_fields=["title", "summary", "body"], batch_size=500,
    )  # fmt: skip


def ranked(query: Query) -> dict[int, float]:
    """Every matching entry's rank (higher is better), whatever its status."""
    if not query:
        return {}
    sql, params = backend().matches(query)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


# --- snippets -----------------------------------------------------------------------------------

SNIPPET_WORDS = 30
_TOKEN = re.compile(r"([^\W_]+)")


def highlight(text: str, query: Query, language: str, *, window: int = SNIPPET_WORDS) -> SafeString:
    """Up to ``window`` words of ``text`` around the first match, matched words in <mark>.

    The whole text, escaped and marked, when it is short; its start when nothing matches.
    """
    parts = _TOKEN.split(text)  # words at odd positions
    stems = query.stems()
    stemmer = _stemmer(language)
    marked = []
    first = None
    for i, part in enumerate(parts):
        if i % 2 and stems:
            stem = stemmer.stemWord(part.casefold()) if stemmer else part.casefold()
            hit = _plain(stem) in stems or _plain(part.casefold()) in stems
            if hit:
                first = i if first is None else first
                marked.append(f"<mark>{escape(part)}</mark>")
                continue
        marked.append(escape(part))
    word_positions = list(range(1, len(parts), 2))
    if len(word_positions) <= window:
        return mark_safe("".join(marked))
    centre = word_positions.index(first) if first is not None else 0
    start = max(0, centre - window // 3)
    lo = word_positions[start] if start else 0
    hi_index = min(len(word_positions), start + window) - 1
    hi = word_positions[hi_index] + 1
    prefix = "… " if lo else ""
    suffix = " …" if hi < len(parts) else ""
    return mark_safe(prefix + "".join(marked[lo:hi]) + suffix)
