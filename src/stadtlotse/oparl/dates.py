"""Dates as OParl writes them, and the lenient reading of the dates real servers send.

Pure functions, no ORM. OParl 1.1 writes date-times as ``yyyy-mm-ddThh:mm:ss±hh:mm`` and dates
as ``yyyy-mm-dd``. Real servers also send dates without a time zone, with a ``Z``, with
fractions of seconds, with offsets such as ``+0100`` or ``+01::00``, German dates
(``04.01.2013``), placeholders (``0000-00-00``, ``N/A``, ``""``) and other types. The readers
return ``None`` for what is not a date and say whether they had to guess (``Lenient``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

_DATETIME = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\s*\d{1,2}(?::{0,2}\d{2})?)?\s*$",
    re.IGNORECASE,
)
_GERMAN = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*Uhr)?)?\s*$")


@dataclass(frozen=True)
class Lenient:
    """A value read leniently: ``value`` is None when nothing usable was found; ``guessed``
    says that the input did not follow the specification (no zone, odd format)."""

    value: object
    guessed: bool = False


def format_datetime(value: datetime, zone: tzinfo) -> str:
    """``2013-01-04T07:54:13+01:00``: seconds, no fractions, the offset with a colon."""
    local = value.astimezone(zone).replace(microsecond=0)
    return local.isoformat()


def format_date(value: date) -> str:
    return value.isoformat()


def _offset(text: str) -> timezone | None:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text.startswith("-") else 1
    digits = re.sub(r"[^0-9]", "", text)
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(parts: tuple, zone_text: str | None, default_zone: tzinfo) -> Lenient:
    year, month, day, hour, minute, second = (int(p) if p else 0 for p in parts)
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return Lenient(None, True)
    zone = _offset(zone_text) if zone_text else None
    if zone_text and zone is None:
        return Lenient(None, True)
    guessed = zone is None or bool(zone_text and not re.fullmatch(r"Z|[+-]\d{2}:\d{2}", zone_text.upper()))
    return Lenient(moment.replace(tzinfo=zone or default_zone), guessed)


def read_datetime(value: object, default_zone: tzinfo) -> Lenient:
    """An aware datetime from what a server sent; a missing zone is taken as ``default_zone``."""
    if not isinstance(value, str):
        return Lenient(None, value is not None)
    text = value.strip()
    if not text or text.upper() in {"N/A", "NULL", "NONE", "-"}:
        return Lenient(None, bool(text))
    match = _DATETIME.match(text)
    if match:
        lenient = _build(match.groups()[:6], match.group(7), default_zone)
        plain = match.group(4) is not None and match.group(7) is not None and not lenient.guessed
        return Lenient(lenient.value, lenient.value is None or not plain)
    match = _GERMAN.match(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
        lenient = _build((year, month, day, hour, minute, second), None, default_zone)
        return Lenient(lenient.value, True)
    return Lenient(None, True)


def read_date(value: object, default_zone: tzinfo) -> Lenient:
    """A date from ``yyyy-mm-dd`` (or, leniently, a date-time or a German date)."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        try:
            return Lenient(date.fromisoformat(value.strip()))
        except ValueError:
            return Lenient(None, True)
    lenient = read_datetime(value, default_zone)
    if lenient.value is None:
        return lenient
    return Lenient(lenient.value.astimezone(default_zone).date(), True)
