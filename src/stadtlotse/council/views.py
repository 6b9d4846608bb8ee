"""Pages of the council app. Public pages show public matters only (read as an anonymous
visitor would); internal pages show what the reader may read; files, the CSV export and the
calendar feed follow the signed-in reader. Every read goes through ``council.selectors``."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stadtlotse.core import selectors as core_selectors
from stadtlotse.core.views import apply_form, municipality_view

from . import calendar, drafts, forms, selectors, services
from .models import ConsultationResult, ConsultationStep, Mandate, Meeting, Paper, PaperFile, PaperRelation

PUBLIC = AnonymousUser()
PAGE_SIZE = 50


def _can_change(request, municipality) -> bool:
    return request.user.has_perm("council.change_paper", municipality)


def _require_change(request, obj) -> None:
    if not request.user.has_perm("council.change_paper", obj):
        raise PermissionDenied(_("Your role does not allow this."))


def _search(request, user, municipality, public_only: bool):
    form = forms.SearchForm(request.GET or None)
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    papers = selectors.search_papers(user, municipality, q=params.get("q") or "", kind=params.get("kind") or "",
                                     year=params.get("year"), public_only=public_only)  # fmt: skip
    return form, list(papers[:PAGE_SIZE])


# Public pages -----------------------------------------------------------------------------


@municipality_view()
def public_index(request, municipality):
    today = timezone.localdate()
    papers = list(selectors.papers_visible_to(PUBLIC, municipality).select_related("lead_department")[:10])
    meetings = list(selectors.meetings_visible_to(PUBLIC, municipality).filter(start__date__gte=today)
                    .order_by("start")[:10])  # fmt: skip
    return render(request, "council/public_index.html", {"papers": papers, "meetings": meetings})


@municipality_view()
def public_paper_list(request, municipality):
    form, papers = _search(request, PUBLIC, municipality, public_only=True)
    return render(request, "council/paper_list.html", {"form": form, "papers": papers, "internal": False})


@municipality_view()
def public_paper_detail(request, municipality, pk):
    paper = selectors.get_paper_for_user(PUBLIC, municipality, pk)
    page = selectors.paper_page(PUBLIC, municipality, paper, timezone.localdate())
    return render(request, "council/paper_detail.html", {"page": page, "paper": paper, "internal": False})


@municipality_view()
def public_meeting_list(request, municipality):
    meetings = list(selectors.meetings_visible_to(PUBLIC, municipality).order_by("-start")[:PAGE_SIZE])
    return render(request, "council/meeting_list.html", {"meetings": meetings, "internal": False})


@municipality_view()
def public_meeting_detail(request, municipality, pk):
    meeting = selectors.get_meeting_for_user(PUBLIC, municipality, pk)
    items = selectors.agenda_of(PUBLIC, municipality, [meeting]).get(meeting.pk, [])
    return render(request, "council/meeting_detail.html", {"meeting": meeting, "items": items, "internal": False})


@municipality_view()
def paper_file(request, municipality, pk, file_pk):
    """A paper's file, for whoever may read the paper; always as a download."""
    stored = selectors.get_file_for_user(request.user, municipality, pk, file_pk)
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=stored.name, content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@municipality_view()
def paper_export(request, municipality):
    """CSV of the papers the reader may read (with the consultation steps the reader may see)."""
    reader = selectors.reader_of(request.user, municipality)
    papers = list(selectors.papers_visible_to(request.user, municipality, reader)
                  .select_related("originator_faction", "originator_department", "lead_department"))  # fmt: skip
    steps = selectors.steps_for(reader, papers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("reference number"), _("kind"), _("date"), _("title"), _("originator"),
                     _("lead department"), _("visibility"), _("consultation sequence")])  # fmt: skip
    for paper in papers:
        sequence = " | ".join(f"{'Ö' if s.public else 'N'} {s.on or ''} {s.body.name} ({s.get_role_display()})"
                              for s in steps.get(paper.pk, []))  # fmt: skip
        writer.writerow([_csv_cell(v) for v in (paper.reference, paper.get_kind_display(), paper.date.isoformat(),
                         paper.title, paper.originator_label, paper.lead_department or "",
                         paper.get_visibility_display(), sequence)])  # fmt: skip
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{municipality.slug}-vorlagen.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _csv_cell(value) -> str:
    """Text for a spreadsheet cell: a leading = + - @ would be read as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@municipality_view()
def feed(request, municipality):
    """iCalendar feed: meetings of readable bodies with their readable agenda, and mandate due dates."""
    today = timezone.localdate()
    meetings, agenda, mandates = selectors.feed_events(request.user, municipality, today - timedelta(days=366))
    body = calendar.render_feed(request, municipality, meetings, agenda, mandates)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{municipality.slug}-rat.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# Internal pages ---------------------------------------------------------------------------


@municipality_view(internal=True)
def index(request, municipality):
    today = timezone.localdate()
    reader = selectors.reader_of(request.user, municipality)
    context = {
        "mandates": selectors.open_mandates(request.user, municipality, today)[:20],
        "papers": list(selectors.papers_visible_to(request.user, municipality, reader)
                       .select_related("lead_department")[:10]),
        "meetings": list(selectors.meetings_visible_to(request.user, municipality, reader)
                         .filter(start__date__gte=today).order_by("start")[:10]),
        "can_change": _can_change(request, municipality),
    }  # fmt: skip
    return render(request, "council/index.html", context)


@municipality_view(internal=True)
def paper_list(request, municipality):
    form, papers = _search(request, request.user, municipality, public_only=False)
    context = {"form": form, "papers": papers, "internal": True, "can_change": _can_change(request, municipality)}
    return render(request, "council/paper_list.html", context)


@municipality_view(internal=True, perm="council.change_paper")
def paper_create(request, municipality):
    form = forms.PaperForm(request.POST or None, municipality=municipality, user=request.user)
    if request.method == "POST" and form.is_valid():
        paper = apply_form(form, services.create_paper, municipality=municipality, by=request.user)
        if paper:
            messages.success(request, _("The paper was saved."))
            return redirect("council:paper-detail", slug=municipality.slug, pk=paper.pk)
    return render(request, "council/paper_form.html", {"form": form})


@municipality_view(internal=True)
def paper_edit(request, municipality, pk):
    paper = selectors.get_paper_for_user(request.user, municipality, pk)
    _require_change(request, paper)
    form = forms.PaperForm(request.POST or None, instance=paper, municipality=municipality, user=request.user)
    if request.method == "POST" and form.is_valid():
        paper.refresh_from_db()
        if apply_form(form, services.update_paper, paper=paper, by=request.user):
            messages.success(request, _("The paper was saved."))
            return redirect("council:paper-detail", slug=municipality.slug, pk=paper.pk)
    return render(request, "council/paper_form.html", {"form": form, "paper": paper})


def _paper_forms(request, municipality, paper, data=None, files=None, which=None):
    papers = selectors.papers_visible_to(request.user, municipality).exclude(pk=paper.pk)
    bound = lambda name: data if which == name else None  # noqa: E731
    return {
        "relation_form": forms.RelationForm(bound("relation"), papers=papers, prefix="relation"),
        "file_form": forms.FileForm(bound("file"), files if which == "file" else None, prefix="file"),
        "step_form": forms.StepForm(bound("step"), municipality=municipality, prefix="step"),
        "mandate_form": forms.MandateForm(bound("mandate"), municipality=municipality, prefix="mandate"),
    }


@municipality_view(internal=True)
def paper_detail(request, municipality, pk):
    paper = selectors.get_paper_for_user(request.user, municipality, pk)
    can_change = request.user.has_perm("council.change_paper", paper)
    which = request.POST.get("action") if request.method == "POST" else None
    if which and not can_change:
        raise PermissionDenied(_("Your role does not allow this."))
    paper_forms = _paper_forms(request, municipality, paper, request.POST, request.FILES, which) if can_change else {}
    if which and _handle_paper_post(request, paper, which, paper_forms):
        return redirect("council:paper-detail", slug=municipality.slug, pk=paper.pk)
    page = selectors.paper_page(request.user, municipality, paper, timezone.localdate())
    context = {"page": page, "paper": paper, "internal": True, "can_change": can_change, **paper_forms,
               "result_choices": ConsultationResult.choices}  # fmt: skip
    return render(request, "council/paper_detail.html", context, status=400 if which else 200)


def _handle_paper_post(request, paper, which, paper_forms) -> bool:
    """Validate the posted form and call its service; True once saved."""
    handlers = {
        "relation": (services.relate_papers, {"source": paper}, _("The relation was saved.")),
        "step": (services.add_step, {"paper": paper}, _("The consultation step was saved.")),
        "mandate": (services.create_mandate, {"paper": paper}, _("The mandate was saved.")),
    }
    if which == "step_result":
        return _record_step_result(request, paper)
    form = paper_forms.get(f"{which}_form")
    if form is None:
        raise Http404
    if not form.is_valid():
        return False
    if which == "file":
        try:
            services.attach_file(paper=paper, upload=form.cleaned_data["upload"], by=request.user)
        except ValidationError as exc:
            form.add_error("upload", exc.message_dict.get("file", exc.messages))
            return False
        messages.success(request, _("The file was saved."))
        return True
    service, kwargs, message = handlers[which]
    if apply_form(form, service, by=request.user, **kwargs):
        messages.success(request, message)
        return True
    return False


def _record_step_result(request, paper) -> bool:
    """The result of one consultation step (e.g. 'recommended', 'decided'), from the inline form."""
    step_id = request.POST.get("step", "")
    step = ConsultationStep.objects.filter(pk=step_id if step_id.isdigit() else 0, paper=paper).first()
    if step is None:
        raise Http404
    try:
        services.update_step(step=step, by=request.user, result=request.POST.get("result", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, _("The result was saved."))
    return True


@require_POST
@municipality_view(internal=True)
def paper_remove(request, municipality, pk):
    """Remove a relation, file or consultation step of a paper."""
    paper = selectors.get_paper_for_user(request.user, municipality, pk)
    _require_change(request, paper)
    kinds = {"relation": (PaperRelation, services.remove_relation, "relation"),
             "file": (PaperFile, services.delete_file, "paper_file"),
             "step": (ConsultationStep, services.remove_step, "step")}  # fmt: skip
    entry = kinds.get(request.POST.get("kind", ""))
    if entry is None:
        raise Http404
    model, service, arg = entry
    lookup = {"source": paper} if model is PaperRelation else {"paper": paper}
    obj = model.objects.filter(pk=request.POST.get("id") if str(request.POST.get("id", "")).isdigit() else 0,
                               **lookup).first()  # fmt: skip
    if obj is None:
        raise Http404
    service(**{arg: obj}, by=request.user)
    messages.success(request, _("Removed."))
    return redirect("council:paper-detail", slug=municipality.slug, pk=paper.pk)


@municipality_view(internal=True)
def meeting_list(request, municipality):
    meetings = list(selectors.meetings_visible_to(request.user, municipality).order_by("-start")[:PAGE_SIZE])
    form = None
    if _can_change(request, municipality):
        form = forms.MeetingForm(request.POST or None, municipality=municipality)
        if request.method == "POST" and form.is_valid():
            meeting = apply_form(form, services.create_meeting, municipality=municipality, by=request.user)
            if meeting:
                messages.success(request, _("The meeting was saved."))
                return redirect("council:meeting-detail", slug=municipality.slug, pk=meeting.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Your role does not allow this."))
    return render(request, "council/meeting_list.html", {"meetings": meetings, "form": form, "internal": True})


@municipality_view(internal=True)
def meeting_detail(request, municipality, pk):
    meeting = selectors.get_meeting_for_user(request.user, municipality, pk)
    form = None
    if request.user.has_perm("council.change_paper", meeting):
        papers = selectors.papers_visible_to(request.user, municipality)
        form = forms.AgendaItemForm(request.POST or None, papers=papers)
        if request.method == "POST" and form.is_valid():
            if apply_form(form, services.add_agenda_item, meeting=meeting, by=request.user):
                messages.success(request, _("The agenda item was saved."))
                return redirect("council:meeting-detail", slug=municipality.slug, pk=meeting.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Your role does not allow this."))
    items = selectors.agenda_of(request.user, municipality, [meeting]).get(meeting.pk, [])
    context = {"meeting": meeting, "items": items, "form": form, "internal": True}
    return render(request, "council/meeting_detail.html", context)


@municipality_view(internal=True)
def mandate_list(request, municipality):
    today = timezone.localdate()
    context = {"mandates": selectors.open_mandates(request.user, municipality, today), "today": today}
    return render(request, "council/mandate_list.html", context)


@municipality_view(internal=True)
def mandate_detail(request, municipality, pk):
    mandate = selectors.get_mandate_for_user(request.user, municipality, pk)
    reader = selectors.reader_of(request.user, municipality)
    selectors.annotate_mandates(request.user, municipality, reader, [mandate], timezone.localdate())
    form = None
    if request.user.has_perm("council.change_paper", mandate):
        papers = selectors.papers_visible_to(request.user, municipality, reader).exclude(pk=mandate.paper_id)
        form = forms.FulfilForm(request.POST or None, papers=papers)
        if request.method == "POST" and form.is_valid():
            if apply_form(form, services.fulfil_mandate, mandate=mandate, by=request.user):
                messages.success(request, _("The mandate is fulfilled."))
                return redirect("council:mandate-detail", slug=municipality.slug, pk=mandate.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Your role does not allow this."))
    return render(request, "council/mandate_detail.html", {"mandate": mandate, "form": form})


HISTORY_KINDS = {"paper": Paper, "meeting": Meeting, "mandate": Mandate}


@municipality_view(internal=True, perm="core.view_audit")
def history(request, municipality, kind, pk):
    """The history of a paper, meeting or mandate, for whoever may read it now."""
    model = HISTORY_KINDS.get(kind)
    if model is None:
        raise Http404
    getter = {"paper": selectors.get_paper_for_user, "meeting": selectors.get_meeting_for_user,
              "mandate": selectors.get_mandate_for_user}[kind]  # fmt: skip
    obj = getter(request.user, municipality, pk)
    entries = core_selectors.audit_entries_for(request.user, municipality, model, obj.pk)
    if not entries:
        raise Http404
    return render(request, "core/history.html", {"entries": entries, "kind": kind, "title": str(obj)})


# Paper drafts -----------------------------------------------------------------------------


@municipality_view(internal=True, perm="council.draft_paper")
def draft_index(request, municipality):
    """The projects and strategy versions a paper draft can be generated for."""
    from stadtlotse.portfolio import selectors as portfolio
    from stadtlotse.strategy import selectors as strategy

    context = {
        "projects": list(portfolio.projects_visible_to(request.user, municipality).order_by("title")[:200]),
        "versions": list(
            strategy.versions_visible_to(request.user, municipality).order_by("strategy__title", "-number")
        ),
    }
    return render(request, "council/draft_index.html", context)


def _draft(request, municipality, subject, facts_for):
    form = forms.DraftForm(request.GET or None, municipality=municipality)
    if form.is_bound and form.is_valid():
        bodies = sorted(form.cleaned_data["bodies"], key=lambda b: request.GET.getlist("bodies").index(str(b.pk)))
        today = timezone.localdate()
        draft = drafts.build_draft(facts_for(request.user, municipality, subject, bodies, today), today)
        name = f"entwurf-{subject.pk}"
        if form.cleaned_data["format"] == "pdf":
            response = HttpResponse(drafts.pdf_bytes(draft), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        else:
            response = HttpResponse(drafts.docx_bytes(draft), content_type=_DOCX)
            response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "council/draft_form.html", {"form": form, "subject": subject},
                  status=400 if form.is_bound else 200)  # fmt: skip


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@municipality_view(internal=True, perm="council.draft_paper")
def draft_project(request, municipality, pk):
    from stadtlotse.portfolio import selectors as portfolio

    project = portfolio.get_project_for_user(request.user, municipality, pk)
    return _draft(request, municipality, project, selectors.draft_facts_for_project)


@municipality_view(internal=True, perm="council.draft_paper")
def draft_version(request, municipality, pk):
    from stadtlotse.strategy import selectors as strategy

    version = strategy.get_version_for_user(request.user, municipality, pk)
    return _draft(request, municipality, version, selectors.draft_facts_for_version)
