"""iCalendar (RFC 5545) and Atom (RFC 4287) output: pure functions over events and feed items."""

from __future__ import annotations

from datetime import UTC, date, datetime
from xml.sax.saxutils import escape

from .sources import Event, FeedItem


def _ical_text(value: str) -> str:
    return (value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace(
        "\n", "\\n"
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        size = 75 if not parts else 74
        chunk = data[start:start + size]
        while True:  # never cut a UTF-8 sequence
            try:
                text = chunk.decode()
                break
            except UnicodeDecodeError:
                chunk = chunk[:-1]
        parts.append(text)
        start += len(chunk)
    return "\r\n ".join(parts)


def _ical_when(name: str, value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f"{name}:{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def icalendar(name: str, events: list[Event], base_url: str, now: datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Stadtlotse//Reporting//DE", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ical_text(name)}"]  # fmt: skip
    stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{stamp}", _ical_when("DTSTART", e.start)]
        if e.end is not None:
            lines.append(_ical_when("DTEND", e.end))
        elif not isinstance(e.start, datetime):
            lines.append(_ical_when("DTEND", date.fromordinal(e.start.toordinal() + 1)))
        lines.append(f"SUMMARY:{_ical_text(e.summary)}")
        if e.description:
            lines.append(f"DESCRIPTION:{_ical_text(e.description)}")
        if e.url:
            lines.append(f"URL:{base_url}{e.url}")
        if e.category:
            lines.append(f"CATEGORIES:{_ical_text(e.category)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def atom(title: str, feed_url: str, site_url: str, items: list[FeedItem], base_url: str, now: datetime) -> str:
    updated = max((i.updated for i in items), default=now)
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">',
           f"<title>{escape(title)}</title>", f"<id>{escape(base_url + feed_url)}</id>",
           f'<link rel="self" href="{escape(base_url + feed_url)}"/>', f'<link href="{escape(base_url + site_url)}"/>',
           f"<updated>{updated.astimezone(UTC).isoformat()}</updated>", "<author><name>Stadtlotse</name></author>"]
    for i in items:
        out += ["<entry>", f"<title>{escape(i.title)}</title>",
                f"<id>{escape(base_url + feed_url)}#{escape(i.uid)}</id>", f'<link href="{escape(base_url + i.url)}"/>',
                f"<updated>{i.updated.astimezone(UTC).isoformat()}</updated>",
                f'<category term="{escape(i.category)}"/>', f"<summary>{escape(i.summary)}</summary>", "</entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"
