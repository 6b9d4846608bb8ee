"""Background tasks of the reporting app: rendering the PDFs of a published report."""

from django_tasks import task


@task()
def render_report_pdf(report_id: int, edition: str) -> str:
    from .services import render_pdf

    return render_pdf(report_id=report_id, edition=edition).status
