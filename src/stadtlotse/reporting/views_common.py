"""What the web page and the PDF of a report share: the template context of one edition."""

from __future__ import annotations

from . import charts

TRACKS = {"achieved", "on_track", "at_risk", "off_track", "no_data"}


def report_context(report_obj, content: dict) -> dict:
    sections = content.get("sections", {})
    return {
        "report": report_obj, "content": content, "sections": sections, "summary": content.get("summary", {}),
        "changes": content.get("changes", {}), "charts": [(c, c.table()) for c in charts.charts_of(content)],
        "edition": content.get("edition", "public"),
    }  # fmt: skip
