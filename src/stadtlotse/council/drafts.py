"""Paper drafts in the standard outline of a council paper, built from data.

``build_draft`` is pure: it turns plain facts (``DraftFacts``) into the eight sections
(I. reference to goals … VIII. attachments). ``docx_bytes`` and ``pdf_bytes`` render a draft as an
editable DOCX (python-docx) and as a PDF (WeasyPrint, from an HTML template).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


@dataclass(frozen=True)
class GoalFact:
    field: str
    title: str
    target_date: date | None = None


@dataclass(frozen=True)
class StepFact:
    public: bool
    on: date | None
    body: str
    role: str


@dataclass(frozen=True)
class FinanceYear:
    year: int
    costs: Decimal
    grants: Decimal
    own_share: Decimal
    savings: Decimal


@dataclass(frozen=True)
class DraftFacts:
    subject_kind: str  # "project" or "strategy"
    title: str
    lead_department: str
    facts_text: str
    deciding_body: str
    goals: list[GoalFact] = field(default_factory=list)
    steps: list[StepFact] = field(default_factory=list)
    finance: list[FinanceYear] | None = None  # None: not shown to this reader
    co_signers: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    version_label: str = ""


@dataclass
class Section:
    numeral: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None  # first row: the header

    @property
    def title(self) -> str:
        return f"{self.numeral}. {self.heading}"


@dataclass
class Draft:
    kind_label: str
    title: str
    lead_department: str
    day: date
    sections: list[Section]


def outline_headings() -> list[str]:
    """The eight headings of the standard outline, in the active language."""
    return [
        _("Reference to goals"), _("Consultation sequence"), _("Proposal"), _("Facts"),
        _("Financial impact"), _("Impact on integration"), _("Co-signatures / statement"), _("Attachments"),
    ]  # fmt: skip


def _money(value: Decimal) -> str:
    return formats.number_format(value.quantize(Decimal("1")), decimal_pos=0, use_l10n=True, force_grouping=True)


def _day(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "–"


def _finance_section(facts: DraftFacts) -> tuple[list[str], list[list[str]] | None]:
    if facts.finance is None:
        return [
            _("The financial plan is not available to your role; the finance department completes this part.")
        ], None
    if not facts.finance or not any(y.costs or y.grants or y.savings for y in facts.finance):
        return [_("No costs, grants or savings are recorded.")], None
    header = [_("Year"), _("Costs (EUR)"), _("Grants (EUR)"), _("Own share (EUR)"), _("Savings (EUR)")]
    rows = [[str(y.year), _money(y.costs), _money(y.grants), _money(y.own_share), _money(y.savings)]
            for y in facts.finance]  # fmt: skip
    total = FinanceYear(0, *(sum((getattr(y, n) for y in facts.finance), Decimal(0))
                             for n in ("costs", "grants", "own_share", "savings")))  # fmt: skip
    rows.append([_("Total"), _money(total.costs), _money(total.grants), _money(total.own_share), _money(total.savings)])
    text = _("Over the years shown the measure costs %(costs)s EUR, of which grants cover %(grants)s EUR; "
             "the own share is %(own)s EUR.") % {"costs": _money(total.costs), "grants": _money(total.grants),
                                                 "own": _money(total.own_share)}  # fmt: skip
    return [text], [header, *rows]


def build_draft(facts: DraftFacts, day: date) -> Draft:
    """The paper draft in the standard outline for a project or a strategy version."""
    headings = outline_headings()
    goals = [
        f"{g.field}: {g.title}" + (" (" + _("target date %(date)s") % {"date": _day(g.target_date)} + ")"
                                   if g.target_date else "")
        for g in facts.goals
    ] or [_("No goal of the strategy is linked yet.")]  # fmt: skip
    if facts.steps:
        steps_table = [[_("Public"), _("Date"), _("Body"), _("Role")]] + [
            ["Ö" if s.public else "N", _day(s.on), s.body, s.role] for s in facts.steps
        ]
        steps_text: list[str] = []
    else:
        steps_table, steps_text = None, [_("To be determined.")]
    if facts.subject_kind == "strategy":
        proposal = _("The %(body)s adopts %(title)s%(version)s as the municipality's strategy.") % {
            "body": facts.deciding_body, "title": f"„{facts.title}“",
            "version": f" ({facts.version_label})" if facts.version_label else ""}  # fmt: skip
        kind_label = _("Decision proposal on a strategy")
    else:
        proposal = _("The %(body)s approves the project %(title)s as described below and asks the administration "
                     "to carry it out.") % {"body": facts.deciding_body, "title": f"„{facts.title}“"}  # fmt: skip
        kind_label = _("Decision proposal on a project")
    finance_text, finance_table = _finance_section(facts)
    bodies = [
        (goals, None),
        (steps_text, steps_table),
        ([proposal], None),
        ([p for p in facts.facts_text.split("\n\n") if p.strip()]
         or [_("To be completed by the lead department.")], None),
        (finance_text, finance_table),
        ([_("To be completed by the lead department.")], None),
        ([_("To be co-signed by: %(list)s") % {"list": ", ".join(facts.co_signers)}] if facts.co_signers
         else [_("None.")], None),
        (facts.attachments or [_("None.")], None),
    ]  # fmt: skip
    sections = [Section(NUMERALS[i], headings[i], paragraphs, table) for i, (paragraphs, table) in enumerate(bodies)]
    return Draft(kind_label, facts.title, facts.lead_department, day, sections)


def docx_bytes(draft: Draft) -> bytes:
    """The draft as an editable Word document: one heading per section of the outline."""
    from docx import Document

    document = Document()
    document.core_properties.title = draft.title
    document.add_paragraph(draft.kind_label)
    document.add_heading(draft.title, level=0)
    document.add_paragraph(f"{_('Lead department')}: {draft.lead_department or '–'}")
    document.add_paragraph(f"{_('Date')}: {_day(draft.day)}")
    for section in draft.sections:
        document.add_heading(section.title, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        if section.table:
            table = document.add_table(rows=0, cols=len(section.table[0]))
            table.style = "Table Grid"
            for row in section.table:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(draft: Draft) -> bytes:
    """The draft as a PDF, rendered by WeasyPrint from ``council/draft_pdf.html``."""
    from weasyprint import HTML

    html = render_to_string("council/draft_pdf.html", {"draft": draft})
    return HTML(string=html).write_pdf()
