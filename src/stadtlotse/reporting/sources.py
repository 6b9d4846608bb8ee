"""Where reporting gets its data: one small provider per source app.

Each provider reads its app through that app's own selectors (or, where the app has none for
what reporting needs, through its models and the access funnel in ``core/access.py``) and gives
  - ``section(reader, period)``: its part of the status report, as JSON-safe data,
  - ``attention(reader, today)``: what needs attention in the cockpit,
  - ``events(reader)``: calendar entries, ``feed_items(reader)``: news entries,
  - ``search_scopes(reader)``: what the search looks through,
  - ``datasets()``: its public collections for the open-data catalogue.

A ``Reader`` is a user and the visibility levels they read in one municipality. For the frozen
editions of a report there is no real user: ``reader_at(municipality, edition)`` gives a
stand-in that the access funnel treats as holding exactly one role (an internal reader for the
internal edition, an editor for the confidential one), so every provider narrows by the same
rules as the source app's own pages.

Apps that are not there (or fail to import) are left out: ``available_sources()`` guards them.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from stadtlotse.core import access
from stadtlotse.core.models import Municipality, Role, Visibility

log = logging.getLogger(__name__)

EDITIONS = [Visibility.PUBLIC.value, Visibility.INTERNAL.value, Visibility.CONFIDENTIAL.value]


class _StandIn:
    """A reader without an account who holds exactly one role in one municipality."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_anonymous = False
    pk = None

    def __init__(self, municipality_id: int, role: str):
        setattr(self, access._CACHE_ATTR, {municipality_id: frozenset({role})})

    def has_perm(self, perm, obj=None) -> bool:  # a stand-in reads; it may change nothing
        return False

    def __str__(self) -> str:
        return "report"


@dataclass
class Reader:
    user: Any
    municipality: Municipality
    levels: tuple[str, ...]

    @property
    def edition(self) -> str:
        """The highest visibility level the reader reads: public, internal or confidential."""
        return self.levels[-1]

    @property
    def internal(self) -> bool:
        return Visibility.INTERNAL.value in self.levels


def reader_for(user, municipality: Municipality) -> Reader:
    return Reader(user, municipality, tuple(access.visibility_levels(user, municipality)))


def reader_at(municipality: Municipality, edition: str) -> Reader:
    """A stand-in reader of exactly one edition (for building frozen reports)."""
    if edition == Visibility.PUBLIC:
        return reader_for(AnonymousUser(), municipality)
    role = Role.READER if edition == Visibility.INTERNAL else Role.EDITOR
    return reader_for(_StandIn(municipality.pk, role), municipality)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


ATTENTION_LIMIT = 10  # entries of one kind of attention in the cockpit; the rest on its own page


@dataclass
class Attention:
    """One thing in the cockpit that needs someone to act: its first entries, how many there
    are in all (``total``; None: ``items`` are all) and where the full list is (``url``)."""

    kind: str
    label: str
    items: list[tuple[str, str, str]]  # (text, detail, url)
    total: int | None = None
    url: str = ""

    @property
    def count(self) -> int:
        return len(self.items) if self.total is None else self.total

    @property
    def more(self) -> int:
        return self.count - len(self.items)


@dataclass
class Event:
    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None = None
    description: str = ""
    url: str = ""
    category: str = ""


@dataclass
class FeedItem:
    uid: str
    title: str
    summary: str
    url: str
    updated: datetime
    category: str = ""


@dataclass
class SearchScope:
    """A visible queryset to search: ``title`` and ``body`` are field names; ``url`` builds the
    address of one row (a dict of ``fields``)."""

    kind: str
    label: str
    queryset: Any
    title: str
    body: list[str]
    fields: list[str]
    url: Callable[[dict], str]


@dataclass
class Column:
    name: str
    label: str
    type: str = "string"  # string, integer, decimal, date, datetime, boolean


@dataclass
class Dataset:
    """A public collection: its description for the catalogue and its rows."""

    key: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[Municipality], Iterable[dict]]
    modified: Callable[[Municipality], datetime | date | None] = field(default=lambda m: None)
    keywords: tuple[str, ...] = ()


def num(value: Decimal | int | float | None) -> str | None:
    """A number as JSON-safe text (Decimals stay exact)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    return str(value)


class Source:
    """The provider interface; every method has an empty default."""

    key = ""
    label = _("source")
    app = ""  # the app that must be importable

    def section(self, reader: Reader, period: Period) -> dict | None:
        return None

    def figures(self, reader: Reader, period: Period) -> dict | None:
        """What the live dashboard needs of the section (its summary figures and charts); by
        default the section itself. A source whose section lists many rows gives just counts."""
        return self.section(reader, period)

    def attention(self, reader: Reader, today: date) -> list[Attention]:
        """The cockpit's entries, each kind with at most ``ATTENTION_LIMIT`` items and its total."""
        return []

    def attention_of(self, reader: Reader, today: date, kind: str, limit: int, offset: int = 0) -> Attention | None:
        """One kind of attention with ``limit`` entries from ``offset`` on, for its full list (None:
        not this source's kind)."""
        return None

    def events(self, reader: Reader) -> list[Event]:
        return []

    def feed_items(self, reader: Reader) -> list[FeedItem]:
        return []

    def search_scopes(self, reader: Reader) -> list[SearchScope]:
        return []

    def datasets(self) -> list[Dataset]:
        return []


# Providers live in modules named after their app; the list gives the order in reports.
PROVIDERS = [
    ("stadtlotse.reporting.providers.strategy", "StrategySource"),
    ("stadtlotse.reporting.providers.portfolio", "PortfolioSource"),
    ("stadtlotse.reporting.providers.finance", "FinanceSource"),
    ("stadtlotse.reporting.providers.participation", "ParticipationSource"),
    ("stadtlotse.reporting.providers.governance", "GovernanceSource"),
    ("stadtlotse.reporting.providers.council", "CouncilSource"),
    ("stadtlotse.reporting.providers.schools", "SchoolsSource"),
    ("stadtlotse.reporting.providers.onlineservices", "OnlineServicesSource"),
    ("stadtlotse.reporting.providers.reports", "ReportSource"),
]

_cache: list[Source] | None = None


def available_sources() -> list[Source]:
    """The providers whose app can be imported (an app that is being built may not be)."""
    global _cache
    if _cache is None:
        found = []
        for module_name, class_name in PROVIDERS:
            try:
                found.append(getattr(importlib.import_module(module_name), class_name)())
            except Exception:  # an optional app that is absent or half-built must not break reporting
                log.warning("reporting: source %s is not available", module_name, exc_info=True)
        _cache = found
    return _cache
