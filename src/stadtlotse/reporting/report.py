"""The content of a status report: gathered from every available source for one edition, and
compared with the previous published report. ``changes`` is pure (dicts in, dicts out)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from .sources import EDITIONS, Period, Reader, available_sources, reader_at

SCHEMA = 1


def build_content(reader: Reader, period: Period, previous: dict | None = None) -> dict:
    """Every source's section for the reader's edition, the summary figures and the changes
    since ``previous`` (the same edition of the last published report)."""
    sections = {}
    for source in available_sources():
        section = source.section(reader, period)
        if section:
            sections[source.key] = section
    content = {
        "schema": SCHEMA, "edition": reader.edition, "period": [period.start.isoformat(), period.end.isoformat()],
        "built": timezone.now().isoformat(timespec="seconds"), "sections": sections,
    }  # fmt: skip
    content["summary"] = summary(content)
    content["changes"] = changes(previous, content)
    return content


def build_dashboard(reader: Reader, period: Period) -> dict:
    """The live dashboard: the summary figures and every source's ``figures`` for the charts,
    without the long lists of a report (and without changes)."""
    sections = {}
    for source in available_sources():
        figures = source.figures(reader, period)
        if figures:
            sections[source.key] = figures
    content = {"schema": SCHEMA, "edition": reader.edition, "period": [period.start.isoformat(),
               period.end.isoformat()], "sections": sections}  # fmt: skip
    content["summary"] = summary(content)
    return content


def build_editions(municipality, period: Period, previous: dict | None) -> dict[str, dict]:
    """The three editions of a report (public, internal, confidential)."""
    from django.conf import settings
    from django.utils import translation

    previous = previous or {}
    with translation.override(settings.LANGUAGE_CODE):  # frozen labels in the site's first language
        return {e: build_content(reader_at(municipality, e), period, previous.get(e)) for e in EDITIONS}


def has_data(content: dict) -> bool:
    """Whether a report would show anything: projects, strategies or participation."""
    s = content["sections"]
    return bool(s.get("portfolio", {}).get("projects") or s.get("strategy") or s.get("participation", {}).get("phases"))


def summary(content: dict) -> dict:
    """The headline figures of a report's content."""
    s = content["sections"]
    portfolio = s.get("portfolio", {})
    participation = s.get("participation", {})
    governance = s.get("governance", {})
    projects = portfolio.get("projects", [])
    totals = portfolio.get("totals") or {  # the dashboard's figures count; a report's section lists
        "projects": len(projects), "in_progress": sum(1 for p in projects if p["status"] == "in_progress"),
        "red": sum(1 for p in projects if p["light"] == "red"), "reached": len(portfolio.get("reached", [])),
        "missed": len(portfolio.get("missed", [])),
    }  # fmt: skip
    return {
        "projects": totals["projects"],
        "in_progress": totals["in_progress"],
        "completed_in_period": portfolio.get("completed_in_period", 0),
        "completed_total": portfolio.get("completed_total", 0),
        "red": totals["red"],
        "milestones_reached": totals["reached"],
        "milestones_missed": totals["missed"],
        "contributions": participation.get("contributions", 0),
        "answered_percent": participation.get("answered_percent"),
        "pilot_coverage_percent": governance.get("pilot_coverage_percent"),
    }  # fmt: skip


def changes(previous: dict | None, current: dict) -> dict:
    """New projects, status changes and changed traffic lights since the previous report."""
    now = {p["id"]: p for p in current["sections"].get("portfolio", {}).get("projects", [])}
    if not previous:
        return {"first": True, "new": [], "status": [], "lights": []}
    before = {p["id"]: p for p in previous.get("sections", {}).get("portfolio", {}).get("projects", [])}
    new = [now[i]["title"] for i in now if i not in before]
    status = [{"title": now[i]["title"], "from": before[i]["status_label"], "to": now[i]["status_label"]}
              for i in now if i in before and before[i]["status"] != now[i]["status"]]  # fmt: skip
    lights = [{"title": now[i]["title"], "from": before[i]["light"], "to": now[i]["light"]}
              for i in now if i in before and before[i]["light"] != now[i]["light"] and now[i]["light"]]  # fmt: skip
    return {"first": False, "new": sorted(new), "status": status, "lights": lights}


def default_period(today: date) -> Period:
    """The quarter before the one ``today`` lies in."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = quarter_start.replace(day=1).toordinal() - 1
    end_day = date.fromordinal(end)
    return Period(date(end_day.year, 3 * ((end_day.month - 1) // 3) + 1, 1), end_day)
