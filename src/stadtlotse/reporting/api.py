"""API of this part, mounted under /api/v1/: status reports (the reader's edition), creating and
publishing them, the open-data catalogue and the search. Writes call the same services."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema

from stadtlotse.core import access

from . import opendata, search, selectors, services
from .sources import reader_for

router = Router(tags=["reporting"])


class ReportOut(Schema):
    id: int
    title: str
    period_start: date
    period_end: date
    status: str
    published_at: datetime | None


class ReportDetailOut(ReportOut):
    edition: str
    content: dict


class ReportIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    period_start: date
    period_end: date
    introduction: str = ""


class HitOut(Schema):
    kind: str
    label: str
    title: str
    snippet: str
    url: str


def _m(slug: str):
    return access.get_municipality_or_404(slug)


@router.get("/{slug}/reports", response=list[ReportOut], summary="Status reports (drafts only for internal roles)")
def list_reports(request, slug: str):
    return list(selectors.report_list(request.auth, _m(slug)))


@router.post("/{slug}/reports", response={201: ReportOut}, summary="Create a draft status report")
def create_report(request, slug: str, payload: ReportIn):
    return 201, services.create_report(municipality=_m(slug), by=request.auth, **payload.dict())


@router.get("/{slug}/reports/{pk}", response=ReportDetailOut, summary="One report in the edition you may read")
def get_report(request, slug: str, pk: int):
    obj = selectors.get_report_for_user(request.auth, _m(slug), pk)
    content = selectors.content_for(request.auth, obj)
    return {**{f: getattr(obj, f) for f in ReportOut.model_fields}, "edition": content["edition"], "content": content}


@router.post("/{slug}/reports/{pk}/publish", response=ReportOut, summary="Publish and freeze a report")
def publish_report(request, slug: str, pk: int):
    obj = selectors.get_report_for_user(request.auth, _m(slug), pk)
    return services.publish_report(report_obj=obj, by=request.auth)


@router.get("/{slug}/open-data", response=list[dict], summary="The open-data catalogue (DCAT-AP style)")
def catalogue(request, slug: str):
    municipality = _m(slug)
    base = f"{request.scheme}://{request.get_host()}"
    return [opendata.catalogue_entry(municipality, d, base) for d in opendata.datasets().values()]


@router.get("/{slug}/search", response=list[HitOut], summary="Search what you may read")
def search_all(request, slug: str, q: str = ""):
    municipality = _m(slug)
    try:
        hits = search.search(reader_for(request.auth, municipality), q)
    except ValidationError:
        raise
    return hits[:100]
