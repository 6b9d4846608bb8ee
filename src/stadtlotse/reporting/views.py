"""Pages of the reporting app: status reports (page and PDF), the public dashboard and the
internal cockpit, open data, calendar and news feeds, search and the comparison."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stadtlotse.core import access
from stadtlotse.core.services import user_for_token
from stadtlotse.core.views import apply_form, municipality_view

from . import charts, feeds, opendata, paper, report, search, selectors, services
from .forms import ComparisonForm, ReportForm
from .models import RenderStatus
from .sources import Period, available_sources, reader_for
from .views_common import report_context


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _dashboard_period() -> Period:
    today = timezone.localdate()
    return Period(today.replace(month=1, day=1), today)


# Public pages -----------------------------------------------------------------------------


@municipality_view()
def public_index(request, municipality):
    """Published reports and the public dashboard (live public figures of this year)."""
    from .sources import reader_at

    content = report.build_dashboard(reader_at(municipality, "public"), _dashboard_period())
    reports = selectors.report_list(request.user, municipality).filter(status="published")
    context = {"reports": reports, "content": content, "summary": content["summary"],
               "charts": [(c, c.table()) for c in charts.charts_of(content)]}  # fmt: skip
    return render(request, "reporting/public_index.html", context)


@municipality_view()
def report_detail(request, municipality, pk):
    obj = selectors.get_report_for_user(request.user, municipality, pk, published_only=True)
    context = report_context(obj, selectors.content_for(request.user, obj, public=True))
    context["files"] = selectors.files_of(obj)
    return render(request, "reporting/report_detail.html", context)


def _pdf_response(request, obj, edition: str):
    file = selectors.files_of(obj).get(edition)
    if file is None or file.status != RenderStatus.READY:
        status = file.status if file else RenderStatus.PENDING
        return render(request, "reporting/pdf_pending.html", {"report": obj, "status": status}, status=202)
    from .models import ReportFile

    data = ReportFile.objects.values_list("pdf", flat=True).get(pk=file.pk)
    response = HttpResponse(bytes(data), content_type="application/pdf")
    name = f"statusbericht-{obj.municipality.slug}-{obj.period_end:%Y-%m-%d}-{edition}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@municipality_view()
def report_pdf(request, municipality, pk):
    obj = selectors.get_report_for_user(request.user, municipality, pk, published_only=True)
    return _pdf_response(request, obj, "public")


# Open data --------------------------------------------------------------------------------


def _base(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


@municipality_view()
def catalogue(request, municipality):
    entries = [opendata.catalogue_entry(municipality, d, _base(request)) for d in opendata.datasets().values()]
    if request.GET.get("format") == "json":
        import json

        body = {"@context": "https://www.w3.org/ns/dcat", "@type": "dcat:Catalog", "title": municipality.name,
                "dataset": entries}  # fmt: skip
        return HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json")
    return render(request, "reporting/catalogue.html", {"entries": entries, "licence": opendata.LICENCE_NAME})


def _dataset(key: str):
    dataset = opendata.datasets().get(key)
    if dataset is None:
        raise Http404
    return dataset


@municipality_view()
def dataset_detail(request, municipality, key):
    entry = opendata.catalogue_entry(municipality, _dataset(key), _base(request))
    return render(request, "reporting/dataset.html", {"entry": entry})


@municipality_view()
def download(request, municipality, key, fmt):
    if fmt not in opendata.WRITERS:
        raise Http404
    dataset = _dataset(key)
    data = opendata.WRITERS[fmt](dataset, list(dataset.rows(municipality)))
    response = HttpResponse(data, content_type=opendata.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{municipality.slug}-{key}.{fmt}"'
    return response


# Feeds ------------------------------------------------------------------------------------

CALENDARS = {"alle": None, "meilensteine": "milestone", "beteiligung": "consultation", "sitzungen": "meeting",
             "auftraege": "mandate"}  # fmt: skip
NEWS = {"alle": None, "berichte": "report", "projekte": "project", "antworten": "answer"}


def _feed_reader(request, municipality, internal: bool):
    """The reader of a feed: the public for public feeds; for internal ones the owner of the
    personal token (``?token=``), who must work in this municipality."""
    if not internal:
        return reader_for(_anon(), municipality)
    key = request.GET.get("token", "")
    if not key:
        return _text(_("This feed needs your personal token: add ?token=… to the address."), 401)
    user = user_for_token(key[:200])
    if user is None:
        return _text(_("The token is unknown or revoked. Create a new one under your account."), 401)
    if not access.is_internal(user, municipality):
        raise Http404
    return reader_for(user, municipality)


def _anon():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _calendar(request, municipality, name, internal):
    if name not in CALENDARS:
        raise Http404
    reader = _feed_reader(request, municipality, internal)
    if isinstance(reader, HttpResponse):
        return reader
    wanted = CALENDARS[name]
    events = [e for s in available_sources() for e in s.events(reader) if wanted is None or e.category == wanted]
    body = feeds.icalendar(f"{municipality.name}: {name}", events, _base(request), timezone.now())
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def _news(request, municipality, name, internal):
    if name not in NEWS:
        raise Http404
    reader = _feed_reader(request, municipality, internal)
    if isinstance(reader, HttpResponse):
        return reader
    wanted = NEWS[name]
    items = [i for s in available_sources() for i in s.feed_items(reader) if wanted is None or i.category == wanted]
    items.sort(key=lambda i: i.updated, reverse=True)
    site = reverse("reporting:public-index", kwargs={"slug": municipality.slug})
    body = feeds.atom(f"{municipality.name}: {name}", request.path, site, items[:100], _base(request), timezone.now())
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@municipality_view()
def calendar_feed(request, municipality, name):
    return _calendar(request, municipality, name, internal=False)


@municipality_view()
def news_feed(request, municipality, name):
    return _news(request, municipality, name, internal=False)


@municipality_view()
def internal_calendar_feed(request, municipality, name):
    return _calendar(request, municipality, name, internal=True)


@municipality_view()
def internal_news_feed(request, municipality, name):
    return _news(request, municipality, name, internal=True)


@municipality_view()
def feed_list(request, municipality):
    context = {"calendars": list(CALENDARS), "news": list(NEWS), "internal": access.is_internal(request.user,
                                                                                               municipality)}
    return render(request, "reporting/feed_list.html", context)


# Search and comparison --------------------------------------------------------------------


@municipality_view()
def search_page(request, municipality):
    query = request.GET.get("q", "")
    hits, error = [], ""
    if "q" in request.GET:
        try:
            hits = search.search(reader_for(request.user, municipality), query)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    status = 400 if error else 200
    return render(request, "reporting/search.html", {"query": query[:300], "hits": hits[:100], "error": error,
                                                     "searched": "q" in request.GET}, status=status)  # fmt: skip


@municipality_view()
def comparison(request, municipality):
    context = {"rows": selectors.comparison_rows(), "opt_in": selectors.comparison_opt_in(municipality),
               "can_change": request.user.has_perm("reporting.change_comparison", municipality),
               "form": ComparisonForm(initial={"opt_in": selectors.comparison_opt_in(municipality)})}  # fmt: skip
    return render(request, "reporting/comparison.html", context)


@require_POST
@municipality_view(internal=True, perm="reporting.change_comparison")
def comparison_change(request, municipality):
    form = ComparisonForm(request.POST)
    if form.is_valid():
        services.set_comparison(municipality=municipality, opt_in=form.cleaned_data["opt_in"], by=request.user)
        messages.success(request, _("The setting was saved."))
    return redirect("reporting:comparison", slug=municipality.slug)


# Workspace --------------------------------------------------------------------------------


@municipality_view(internal=True)
def index(request, municipality):
    """The cockpit: what needs attention, the live charts of the reader's edition, the reports."""
    reader = reader_for(request.user, municipality)
    today = timezone.localdate()
    form = None
    if request.user.has_perm("reporting.add_report", municipality):
        default = report.default_period(today)
        form = ReportForm(request.POST or None, initial={
            "period_start": default.start, "period_end": default.end,
            "title": _("Status report %(start)s – %(end)s") % {"start": f"{default.start:%d.%m.%Y}",
                                                               "end": f"{default.end:%d.%m.%Y}"}})  # fmt: skip
        if request.method == "POST" and form.is_valid():
            created = apply_form(form, services.create_report, municipality=municipality, by=request.user)
            if created:
                messages.success(request, _("The draft report was created."))
                return redirect("reporting:manage", slug=municipality.slug, pk=created.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Your role does not allow this."))
    attention = [a for s in available_sources() for a in s.attention(reader, today)]
    latest = selectors.latest_published(municipality)
    if latest is None or (today - latest.period_end).days > 120:
        attention.insert(0, _overdue_report(municipality, latest))
    from .sources import reader_at

    content = report.build_dashboard(reader_at(municipality, reader.edition), _dashboard_period())
    context = {
        "attention": attention, "reports": selectors.report_list(request.user, municipality), "form": form,
        "charts": [(c, c.table()) for c in charts.charts_of(content)], "summary": content["summary"],
    }  # fmt: skip
    return render(request, "reporting/index.html", context)


ATTENTION_PAGE = 50


@municipality_view(internal=True)
def attention_list(request, municipality, kind):
    """Every entry of one kind of attention, 50 a page (the cockpit shows the first ten)."""
    reader = reader_for(request.user, municipality)
    page = request.GET.get("seite", "1")
    number = max(1, min(int(page), 10**6)) if page.isdigit() else 1
    for source in available_sources():
        found = source.attention_of(reader, timezone.localdate(), kind, ATTENTION_PAGE, (number - 1) * ATTENTION_PAGE)
        if found is not None:
            break
    else:
        raise Http404
    pages = max(1, -(-found.count // ATTENTION_PAGE))
    context = {"attention": found, "number": number, "pages": pages, "first": (number - 1) * ATTENTION_PAGE + 1}
    return render(request, "reporting/attention_list.html", context)


def _overdue_report(municipality, latest):
    from .sources import Attention

    text = _("No status report has been published yet.") if latest is None else _(
        "The last published status report ended on %(date)s.") % {"date": f"{latest.period_end:%d.%m.%Y}"}
    return Attention("report_due", _("Status report of the municipality due"),
                     [(text, "", reverse("reporting:index", kwargs={"slug": municipality.slug}))])


@municipality_view(internal=True)
def manage(request, municipality, pk):
    obj = selectors.get_report_for_user(request.user, municipality, pk)
    context = report_context(obj, selectors.content_for(request.user, obj))
    context.update({"files": selectors.files_of(obj), "internal": True, "paper_available": paper.available(),
                    "can_publish": request.user.has_perm("reporting.publish_report", municipality),
                    "can_edit": request.user.has_perm("reporting.add_report", municipality)})  # fmt: skip
    return render(request, "reporting/report_detail.html", context)


@require_POST
@municipality_view(internal=True)
def publish(request, municipality, pk):
    obj = selectors.get_report_for_user(request.user, municipality, pk)
    if not request.user.has_perm("reporting.publish_report", municipality):
        raise PermissionDenied(_("Your role does not allow this."))
    try:
        services.publish_report(report_obj=obj, by=request.user)
        messages.success(request, _("The report is published; its PDFs are being prepared."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("reporting:manage", slug=municipality.slug, pk=pk)


@require_POST
@municipality_view(internal=True)
def delete(request, municipality, pk):
    obj = selectors.get_report_for_user(request.user, municipality, pk)
    if not request.user.has_perm("reporting.add_report", municipality):
        raise PermissionDenied(_("Your role does not allow this."))
    try:
        services.delete_report(report_obj=obj, by=request.user)
        messages.success(request, _("The draft was deleted."))
    except ValidationError as exc:
        _error(request, exc)
        return redirect("reporting:manage", slug=municipality.slug, pk=pk)
    return redirect("reporting:index", slug=municipality.slug)


@municipality_view(internal=True)
def manage_pdf(request, municipality, pk):
    obj = selectors.get_report_for_user(request.user, municipality, pk, published_only=True)
    return _pdf_response(request, obj, reader_for(request.user, municipality).edition)


@municipality_view(internal=True)
def council_paper(request, municipality, pk):
    """The report as an information paper for the council (DOCX), in the reader's edition."""
    obj = selectors.get_report_for_user(request.user, municipality, pk, published_only=True)
    if not paper.available():
        raise Http404
    data = paper.council_paper_docx(obj, selectors.content_for(request.user, obj))
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=docx)
    response["Content-Disposition"] = f'attachment; filename="ratsvorlage-statusbericht-{obj.period_end:%Y-%m-%d}.docx"'
    return response
