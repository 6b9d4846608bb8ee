"""The iCalendar feed (RFC 5545) of meetings and mandate due dates, written by hand: a few
properties, escaped and folded as the standard asks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _


def escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks."""
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))  # fmt: skip


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuation lines start with a space)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render_feed(request, municipality, meetings, agenda, mandates) -> str:
    """The feed's text for the meetings (with their agenda items as description) and mandates given."""
    host = request.get_host().split(":")[0] or "stadtlotse"
    stamp = _utc(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Stadtlotse//Rat//DE", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{escape(_('Council') + ' ' + municipality.name)}"]  # fmt: skip
    for meeting in meetings:
        end = meeting.end or meeting.start + timedelta(hours=2)
        items = "\n".join(f"{i.number} {i.title}" for i in agenda.get(meeting.pk, []))
        url = request.build_absolute_uri(reverse("council:public-meeting-detail",
                                                 kwargs={"slug": municipality.slug, "pk": meeting.pk}))  # fmt: skip
        lines += ["BEGIN:VEVENT", f"UID:meeting-{meeting.pk}@{host}", f"DTSTAMP:{stamp}",
                  f"DTSTART:{_utc(meeting.start)}", f"DTEND:{_utc(end)}",
                  f"SUMMARY:{escape(str(meeting.body) + (' – ' + meeting.title if meeting.title else ''))}",
                  f"LOCATION:{escape(meeting.location)}", f"DESCRIPTION:{escape(items)}", f"URL:{url}",
                  "END:VEVENT"]  # fmt: skip
    for mandate in mandates:
        day: date = mandate.due_date
        summary = _("Due: %(title)s (%(ref)s)") % {"title": mandate.title, "ref": mandate.paper.reference}
        lines += ["BEGIN:VEVENT", f"UID:mandate-{mandate.pk}@{host}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{escape(summary)}", "END:VEVENT"]  # fmt: skip
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
