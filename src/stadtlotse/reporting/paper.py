"""The council paper (information paper) of a published report as DOCX, in the council app's
standard outline — offered only when the council app and its drafts are there."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _


def available() -> bool:
    try:
        from stadtlotse.council import drafts  # noqa: F401
    except Exception:
        return False
    return True


def council_paper_docx(report_obj, content: dict) -> bytes:
    """An information paper on the report: goals' progress, facts (summary, changes), financial
    impact (internal editions), the report as attachment."""
    from stadtlotse.council import drafts

    with translation.override("de"):
        s, sections = content.get("summary", {}), content.get("sections", {})
        headings = drafts.outline_headings()
        goals = [f"{f['title']}: {f['percent'] or '–'} %" for st in sections.get("strategy", {}).get("strategies", [])
                 for f in st["fields"]] or [_("None.")]  # fmt: skip
        facts = [
            _("Projects: %(n)s, of them in progress: %(p)s, completed in the period: %(c)s, red traffic lights: %(r)s.")
            % {"n": s.get("projects", 0), "p": s.get("in_progress", 0), "c": s.get("completed_in_period", 0),
               "r": s.get("red", 0)},
            _("Milestones reached: %(a)s, missed: %(b)s.") % {"a": s.get("milestones_reached", 0),
                                                             "b": s.get("milestones_missed", 0)},
        ]  # fmt: skip
        if report_obj.introduction:
            facts.insert(0, report_obj.introduction)
        finance = sections.get("finance")
        table = None
        if finance:
            table = [[_("Year"), _("Costs"), _("Grants"), _("Own share")]] + [
                [str(y["year"]), y["cost"], y["grants"], y["own_share"]] for y in finance["years"]]
        bodies = [
            (goals, None), ([_("For information.")], None),
            ([_("The council takes note of the status report %(title)s.") % {"title": f"„{report_obj.title}“"}], None),
            (facts, None), ([_("See the table.")] if table else [_("None.")], table), ([_("None.")], None),
            ([_("None.")], None), ([_("The status report (PDF).")], None),
        ]  # fmt: skip
        parts = [drafts.Section(drafts.NUMERALS[i], headings[i], p, t) for i, (p, t) in enumerate(bodies)]
        draft = drafts.Draft(_("Information paper"), report_obj.title, "", report_obj.period_end, parts)
        return drafts.docx_bytes(draft)
