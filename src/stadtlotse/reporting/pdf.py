"""The PDF of a report edition: the same content and charts as the web page, laid out for
print by WeasyPrint with a table of contents, page numbers and a tagged PDF/UA-1 structure."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from . import charts  # noqa: F401
from .views_common import report_context

PDF_VARIANT = "pdf/ua-1"  # tagged, accessible PDF (WeasyPrint ≥ 63)


def html_of(report_obj, edition: str) -> str:
    content = report_obj.content[edition]
    with translation.override("de"):
        context = report_context(report_obj, content)
        context["pdf"] = True
        return render_to_string("reporting/report_pdf.html", context)


def render(report_obj, edition: str) -> bytes:
    from weasyprint import HTML

    html = html_of(report_obj, edition)
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


