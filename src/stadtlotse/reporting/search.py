"""Search across strategies, projects, comments (and papers and services, where their apps are
there): PostgreSQL full-text search with the German configuration; on SQLite an FTS5 table.

Only rows the reader may see are ever searched: every source hands over a queryset already
narrowed by its app's visibility rules. On SQLite those candidates (pre-filtered by the words)
are put into a temporary FTS5 table for ranking and snippets, so nothing a reader may not see
is indexed for them, and the index is never stale. The query is reduced to plain words: FTS
syntax, quotes and operators in the input are not interpreted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from .sources import Reader, SearchScope, available_sources

MAX_LENGTH = 200
MAX_TERMS = 8
PER_SCOPE = 20
CANDIDATES = 400
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Hit:
    kind: str
    label: str
    title: str
    snippet: str  # HTML: escaped text with <mark> around matches
    url: str
    rank: float


def terms_of(query: str) -> list[str]:
    """The words of a query, or a ValidationError for an empty, too long or word-less one."""
    query = (query or "").strip()
    if not query:
        raise ValidationError(_("Please enter what you are looking for."))
    if len(query) > MAX_LENGTH:
        raise ValidationError(_("Please search with at most %(n)s characters.") % {"n": MAX_LENGTH})
    words = [w for w in WORD.findall(query) if w.strip("_")]
    if not words:
        raise ValidationError(_("Please search with words or numbers; signs alone are not searched."))
    return [w.lower() for w in words[:MAX_TERMS]]


def search(reader: Reader, query: str) -> list[Hit]:
    """Hits from every source the reader may see, best first (a ValidationError for bad input)."""
    terms = terms_of(query)
    scopes = [scope for source in available_sources() for scope in source.search_scopes(reader)]
    run = _postgres if connection.vendor == "postgresql" else _sqlite
    hits: list[Hit] = []
    for scope in scopes:
        hits += run(scope, terms)
    hits.sort(key=lambda h: -h.rank)
    return hits


def _text(row: dict, scope: SearchScope) -> str:
    return " ".join(str(row.get(f) or "") for f in scope.body)


def _postgres(scope: SearchScope, terms: list[str]) -> list[Hit]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    vector = SearchVector(scope.title, weight="A", config="german") + SearchVector(*scope.body, weight="B",
                                                                                  config="german")  # fmt: skip
    # Plain words joined by AND; ``plain`` never raises on user input.
    query = SearchQuery(" ".join(terms), config="german", search_type="plain")
    from django.db.models import CharField, Value
    from django.db.models.functions import Concat

    body = Concat(*[v for f in scope.body for v in (f, Value(" "))], output_field=CharField())
    rows = (
        scope.queryset.annotate(_v=vector).filter(_v=query)
        .annotate(_rank=SearchRank(vector, query),
                  _snip=SearchHeadline(body, query, config="german", start_sel="\x02", stop_sel="\x03",
                                       max_words=30, min_words=10))  # fmt: skip
        .order_by("-_rank").values("pk", scope.title, "_rank", "_snip", *scope.fields)[:PER_SCOPE]
    )
    return [Hit(scope.kind, scope.label, row[scope.title] or scope.label, _marks(row["_snip"]), scope.url(row),
                float(row["_rank"])) for row in rows]  # fmt: skip


def _marks(text: str) -> str:
    return escape(text or "").replace("\x02", "<mark>").replace("\x03", "</mark>")


def _sqlite(scope: SearchScope, terms: list[str]) -> list[Hit]:
    prefilter = Q()
    for term in terms:
        one = Q(**{f"{scope.title}__icontains": term})
        for name in scope.body:
            one |= Q(**{f"{name}__icontains": term})
        prefilter &= one
    rows = list(scope.queryset.filter(prefilter).values("pk", scope.title, *scope.body, *scope.fields)[:CANDIDATES])
    if not rows:
        return []
    by_pk = {row["pk"]: row for row in rows}
    match = " AND ".join('"' + t.replace('"', "") + '"*' for t in terms)
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.reporting_search_tmp USING fts5("
                       "pk UNINDEXED, title, body, tokenize='unicode61 remove_diacritics 2')")  # fmt: skip
        cursor.execute("DELETE FROM reporting_search_tmp")
        cursor.executemany(
            "INSERT INTO reporting_search_tmp (pk, title, body) VALUES (%s, %s, %s)",
            [(row["pk"], row[scope.title] or "", _text(row, scope)) for row in rows],
        )
        cursor.execute(
            "SELECT pk, bm25(reporting_search_tmp, 0, 10.0, 1.0), "
            "snippet(reporting_search_tmp, 2, char(2), char(3), '…', 24) "
            "FROM reporting_search_tmp WHERE reporting_search_tmp MATCH %s ORDER BY 2 LIMIT %s",
            [match, PER_SCOPE],
        )
        found = cursor.fetchall()
        cursor.execute("DELETE FROM reporting_search_tmp")
    hits = []
    for pk, rank, snippet in found:
        row = by_pk[int(pk)]
        hits.append(Hit(scope.kind, scope.label, row[scope.title] or scope.label, _marks(snippet), scope.url(row),
                        -float(rank)))  # fmt: skip
    return hits
