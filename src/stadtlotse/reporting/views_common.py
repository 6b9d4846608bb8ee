"""What the web page and the PDF of a report share: the template context of one edition."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import charts

LIGHT_LABELS = {"green": _("green"), "yellow": _("yellow"), "red": _("red")}  # as _light_text.html
TRACK_LABELS = {"achieved": _("achieved"), "on_track": _("on track"), "at_risk": _("at risk"),
                "off_track": _("off track"), "no_data": _("no data")}  # as _track.html
TRACKS = {"achieved", "on_track", "at_risk", "off_track", "no_data"}


def report_context(report_obj, content: dict) -> dict:
    sections = content.get("sections", {})
    return {
        "report": report_obj, "content": content, "sections": sections, "summary": content.get("summary", {}),
        "changes": content.get("changes", {}), "charts": [(c, c.table()) for c in charts.charts_of(content)],
        "edition": content.get("edition", "public"),
        "light_labels": LIGHT_LABELS, "track_labels": TRACK_LABELS,  # an include per row costs more than the row
    }  # fmt: skip
