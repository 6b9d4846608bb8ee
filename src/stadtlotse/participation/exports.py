"""The weighing table (Abwägungstabelle) as XLSX, DOCX, PDF and CSV for the council."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import WeighingRow


def headers() -> list[str]:
    return [_("No."), _("Section"), _("Group"), _("Suggestion"), _("Supports"), _("Answer of the administration"),
            _("Status"), _("Reason")]  # fmt: skip


def _cells(row: WeighingRow) -> list:
    return [row.number, row.section or _("The whole document"), row.group, row.text, row.supports,
            "\n\n".join(row.answers), row.status, row.reason]  # fmt: skip


def as_csv(rows: list[WeighingRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers())
    for row in rows:
        writer.writerow(_cells(row))
    return ("\ufeff" + out.getvalue()).encode()  # with BOM, so that spreadsheet programs read UTF-8


def as_xlsx(rows: list[WeighingRow], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Weighing table")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(headers())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_cells(row))
    for column, width in zip("ABCDEFGH", (6, 24, 20, 60, 10, 60, 22, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_docx(rows: list[WeighingRow], title: str) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    document.add_heading(title, level=1)
    document.add_paragraph(_("As of %(date)s") % {"date": timezone.localdate().strftime("%d.%m.%Y")})
    table = document.add_table(rows=1, cols=len(headers()))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers(), strict=True):
        cell.text = text
    for row in rows:
        for cell, value in zip(table.add_row().cells, _cells(row), strict=True):
            cell.text = str(value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(rows: list[WeighingRow], title: str, municipality) -> bytes:
    from weasyprint import HTML

    html = render_to_string("participation/weighing_pdf.html", {"rows": rows, "title": title,
                                                                "headers": headers(), "municipality": municipality,
                                                                "today": timezone.localdate()})  # fmt: skip
    return HTML(string=html).write_pdf()
