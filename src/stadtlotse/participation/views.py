"""Pages of participation: public phases, comments, ideas, registration, moderation log and
one's own data; internal pages for the office: phases, answers, statuses, moderation."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stadtlotse.core import access
from stadtlotse.core.views import apply_form, municipality_view
from stadtlotse.portfolio.models import Project
from stadtlotse.strategy import selectors as strategy_selectors
from stadtlotse.strategy.models import Section

from . import exports, guard, selectors, services, similarity
from .forms import (
    AnswerForm,
    AnswerTemplateForm,
    BlockForm,
    CommentForm,
    GroupAnswerForm,
    GroupForm,
    HideForm,
    IdeaForm,
    PhaseForm,
    ProjectFromIdeaForm,
    RegisterForm,
    ReplyForm,
    ReportForm,
    StatusForm,
    UptakeForm,
)
from .models import AnswerTemplate, Block, Category, Contribution, Group, Moderation, Status

HELD_MESSAGE = gettext_lazy("Thank you. Your comment will appear after the moderation has approved it.")
PUBLISHED_MESSAGE = gettext_lazy("Thank you. Your comment was published.")

# Helpers ---------------------------------------------------------------------------------------


def _too_many(request, exc: guard.RateLimited):
    response = render(request, "participation/rate_limited.html", {"message": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _guarded(request, form, action):
    """Spam checks, rate limits, then the service; errors land on the form. Returns the
    service's result, None on a form error, or a 429 response."""
    error = guard.spam_error(request.POST)
    if error:
        form.add_error(None, error)
        return None
    try:
        guard.check_posting(request)
    except guard.RateLimited as exc:
        return _too_many(request, exc)
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def _page(request, qs):
    page = Paginator(selectors.PagedById(qs), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return page, query


def _stamp(request):
    return request.POST.get(guard.STAMP_FIELD) or guard.new_stamp()


# Public pages ----------------------------------------------------------------------------------


@municipality_view()
def public_index(request, municipality):
    now = timezone.now()
    phases = list(selectors.phases_visible_to(request.user, municipality))
    groups = {"open": [], "upcoming": [], "closed": []}
    for phase in phases:
        groups[phase.state(now)].append(phase)
    ideas = selectors.attach_replies(list(selectors.ideas_visible_to(request.user, municipality)[:5]),
                                     request.user, municipality)  # fmt: skip
    context = {"groups": groups, "ideas": ideas, "profile": services.profile_of(request.user, municipality),
               "may_take_part": services.may_take_part(request.user, municipality)}  # fmt: skip
    return render(request, "participation/public_index.html", context)


@municipality_view()
def phase_detail(request, municipality, pk):
    phase = selectors.get_phase_for_user(request.user, municipality, pk)
    sections = list(Section.objects.filter(version=phase.version)) if phase.version_id else []
    sort, section = request.GET.get("sort", "newest"), request.GET.get("abschnitt", "")
    page, query = _page(request, selectors.comments_of_phase(request.user, phase, sort=sort, section=section))
    selectors.attach_replies(list(page.object_list), request.user, municipality)
    anonymous = not request.user.is_authenticated
    form = CommentForm(request.POST or None, sections=sections, anonymous=anonymous,
                       initial={"section": section if section.isdigit() else ""})  # fmt: skip
    if request.method == "POST":
        if anonymous and not phase.allow_anonymous:
            return redirect_to_login(request.get_full_path())
        by_pk = {str(s.pk): s for s in sections}
        result = None
        if form.is_valid():
            data = form.cleaned_data
            result = _guarded(request, form, lambda: services.post_comment(
                phase=phase, by=request.user, text=data["text"], section=by_pk.get(data.get("section") or ""),
                name=data.get("name", "")))  # fmt: skip
        if isinstance(result, HttpResponse):
            return result
        if result is not None:
            messages.success(request, HELD_MESSAGE if result.moderation == Moderation.HELD else PUBLISHED_MESSAGE)
            return redirect(reverse("participation:phase-detail", kwargs={"slug": municipality.slug, "pk": pk})
                            + f"#c{result.pk}")  # fmt: skip
    counts = selectors.section_counts(phase)
    uptakes = selectors.uptakes_of_sections([s.pk for s in sections], request.user, municipality)
    for s in sections:
        s.comment_count = counts.get(s.pk, 0)
        s.uptake_list = uptakes.get(s.pk, [])
    context = {
        "phase": phase, "state": phase.state(), "sections": sections, "page": page, "page_query": query,
        "sort": sort, "section_filter": section, "document_count": counts.get(None, 0), "form": form,
        "stamp": _stamp(request), "may_take_part": services.may_take_part(request.user, municipality),
        "blocked": services.is_blocked(request.user, municipality), "sorts": _sort_labels(),
    }  # fmt: skip
    return render(request, "participation/phase_detail.html", context)


def _sort_labels():
    return [("newest", _("newest first")), ("oldest", _("oldest first")), ("supported", _("most supported")),
            ("answered", _("answered first")), ("unanswered", _("unanswered first"))]  # fmt: skip


@municipality_view()
def contribution_detail(request, municipality, pk):
    contribution = selectors.get_contribution_for_user(request.user, municipality, pk)
    if contribution.parent_id:
        return redirect("participation:contribution-detail", slug=municipality.slug, pk=contribution.parent_id)
    context = {"c": contribution, "hidden": contribution.moderation == Moderation.HIDDEN,
               "reply_form": ReplyForm(), "report_form": ReportForm(), "stamp": guard.new_stamp(),
               "may_take_part": services.may_take_part(request.user, municipality),
               "is_moderator": selectors.is_moderator(request.user, municipality)}  # fmt: skip
    if not context["hidden"]:
        context.update(selectors.detail_of(contribution, request.user, municipality))
    return render(request, "participation/contribution_detail.html", context)


@require_POST
@municipality_view()
def contribution_reply(request, municipality, pk):
    contribution = selectors.get_contribution_for_user(request.user, municipality, pk)
    if not request.user.is_authenticated and not (contribution.phase_id and contribution.phase.allow_anonymous):
        return redirect_to_login(reverse("participation:contribution-detail", kwargs={"slug": municipality.slug,
                                                                                     "pk": pk}))  # fmt: skip
    form = ReplyForm(request.POST)
    result = None
    if form.is_valid():
        text = form.cleaned_data["text"]
        result = _guarded(request, form, lambda: services.reply(parent=contribution, by=request.user, text=text))
    if isinstance(result, HttpResponse):
        return result
    if result is None:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    elif result.moderation == Moderation.HELD:
        messages.success(request, HELD_MESSAGE)
    else:
        messages.success(request, _("Thank you. Your reply was published."))
    return redirect("participation:contribution-detail", slug=municipality.slug, pk=pk)


def _simple_action(request, municipality, pk, action, success, limit=None):
    contribution = selectors.get_contribution_for_user(request.user, municipality, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("participation:contribution-detail", kwargs={"slug": municipality.slug,
                                                                                     "pk": pk}))  # fmt: skip
    try:
        if limit:
            guard.hit(limit, f"user:{request.user.pk}")
        action(contribution)
        messages.success(request, success)
    except guard.RateLimited as exc:
        return _too_many(request, exc)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("participation:contribution-detail", kwargs={"slug": municipality.slug, "pk": pk})
    return redirect(back)


@require_POST
@municipality_view()
def contribution_support(request, municipality, pk):
    if request.POST.get("withdraw"):
        return _simple_action(request, municipality, pk,
                              lambda c: services.withdraw_support(contribution=c, by=request.user),
                              _("Your support was withdrawn."))  # fmt: skip
    return _simple_action(request, municipality, pk, lambda c: services.support(contribution=c, by=request.user),
                          _("Thank you for your support."), limit="support-user")  # fmt: skip


@require_POST
@municipality_view()
def contribution_report(request, municipality, pk):
    reason = request.POST.get("reason", "")
    return _simple_action(request, municipality, pk,
                          lambda c: services.report(contribution=c, by=request.user, reason=reason),
                          _("Thank you. The moderation will look at your report."), limit="report-user")  # fmt: skip


@municipality_view()
def idea_list(request, municipality):
    sort, category = request.GET.get("sort", "newest"), request.GET.get("kategorie", "")
    page, query = _page(request, selectors.ideas_visible_to(request.user, municipality, sort=sort, category=category))
    selectors.attach_replies(list(page.object_list), request.user, municipality)
    form = IdeaForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        result = _guarded(request, form, lambda: services.propose_idea(
            municipality=municipality, by=request.user, **form.cleaned_data)) if form.is_valid() else None  # fmt: skip
        if isinstance(result, HttpResponse):
            return result
        if result is not None:
            messages.success(request, _("Thank you. Your idea was published."))
            return redirect("participation:contribution-detail", slug=municipality.slug, pk=result.pk)
    context = {"page": page, "page_query": query, "sort": sort, "category": category, "form": form,
               "categories": Category.choices, "stamp": _stamp(request), "sorts": _sort_labels(),
               "may_take_part": services.may_take_part(request.user, municipality)}  # fmt: skip
    return render(request, "participation/idea_list.html", context)


@municipality_view()
def section_detail(request, municipality, pk):
    """A section of a strategy version with the suggestions it took up."""
    section = strategy_selectors.content_of_version_for_user(request.user, municipality, Section, pk)
    uptakes = selectors.uptakes_of_sections([section.pk], request.user, municipality).get(section.pk, [])
    return render(request, "participation/section_detail.html", {"section": section, "uptakes": uptakes})


@municipality_view()
def rules_page(request, municipality):
    return render(request, "participation/rules.html")


@municipality_view()
def moderation_log(request, municipality):
    page, query = _page(request, selectors.moderation_log(request.user, municipality))
    return render(request, "participation/moderation_log.html", {"page": page, "page_query": query})


@municipality_view()
def register(request, municipality):
    if request.user.is_authenticated:
        return redirect("participation:public-index", slug=municipality.slug)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = guard.spam_error(request.POST)
        if error:
            form.add_error(None, error)
        else:
            try:
                guard.hit("register-ip", guard.ip_of(request))
            except guard.RateLimited as exc:
                return _too_many(request, exc)
            data = form.cleaned_data
            user = apply_form(form, lambda **kw: services.register_citizen(
                municipality=municipality, username=data["username"], email=data["email"],
                password=data["password"], pseudonym=data["pseudonym"], accept_rules=data["accept_rules"]))  # fmt: skip
            if user:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome! Your account was created; you can take part now."))
                return redirect("participation:public-index", slug=municipality.slug)
    return render(request, "participation/register.html", {"form": form, "stamp": _stamp(request)})


@municipality_view()
def my_data(request, municipality):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    mine = Contribution.objects.filter(author=request.user, municipality=municipality).select_related("phase")
    context = {"profile": services.profile_of(request.user, municipality), "mine": mine}
    return render(request, "participation/my_data.html", context)


@municipality_view()
def my_data_export(request, municipality):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    data = services.export_data(user=request.user, municipality=municipality)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="beteiligung-{municipality.slug}.json"'
    return response


@require_POST
@municipality_view()
def my_data_delete(request, municipality):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("participation:my-data", kwargs={"slug": municipality.slug}))
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Please confirm that your data shall be removed."))
        return redirect("participation:my-data", slug=municipality.slug)
    count = services.forget_me(user=request.user, municipality=municipality)
    messages.success(request, _("Done: %(n)d contributions no longer carry your name or account.") % {"n": count})
    return redirect("participation:public-index", slug=municipality.slug)


# Internal pages -----------------------------------------------------------------------------------


@municipality_view(internal=True)
def index(request, municipality):
    can_manage = request.user.has_perm("participation.manage_phase", municipality)
    form = None
    if can_manage:
        versions = strategy_selectors.versions_visible_to(request.user, municipality)
        projects = access.visible(Project.objects.all(), request.user, municipality)
        form = PhaseForm(request.POST or None, versions=list(versions), projects=projects)
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "target"}
            phase = apply_form(form, lambda **kw: services.create_phase(
                municipality=municipality, by=request.user, **data, **form.target_fields()))  # fmt: skip
            if phase:
                messages.success(request, _("The consultation phase was created."))
                return redirect("participation:index", slug=municipality.slug)
    elif request.method == "POST":
        raise PermissionDenied
    moderator = selectors.is_moderator(request.user, municipality)
    context = {"phases": selectors.phases_visible_to(request.user, municipality), "form": form,
               "held": selectors.held_comments(municipality)[:50] if moderator else [],
               "reports": selectors.open_reports(municipality)[:50] if moderator else [],
               "unanswered": selectors.unanswered(municipality)[:50] if moderator else [],
               "blocks": Block.objects.filter(municipality=municipality).select_related("user") if moderator else [],
               "is_moderator": moderator}  # fmt: skip
    return render(request, "participation/index.html", context)


@municipality_view(internal=True, perm="participation.moderate_contribution")
def manage_contribution(request, municipality, pk):
    c = selectors.get_contribution_for_user(request.user, municipality, pk, moderator=True)
    forms = {
        "answer": AnswerForm(request.POST if "answer" in request.POST else None, prefix="answer"),
        "status": StatusForm(request.POST if "status" in request.POST else None, prefix="status",
                             municipality=municipality, initial={"status": c.status}),
        "hide": HideForm(request.POST if "hide" in request.POST else None, prefix="hide"),
        "uptake": UptakeForm(request.POST if "uptake" in request.POST else None, prefix="uptake",
                             municipality=municipality),
        "project": ProjectFromIdeaForm(request.POST if "project" in request.POST else None, prefix="project",
                                       initial={"title": c.title}),
        "block": BlockForm(request.POST if "block" in request.POST else None, prefix="block"),
    }  # fmt: skip
    actions = {
        "answer": lambda d: services.answer(contribution=c, by=request.user, text=d["text"]),
        "status": lambda d: services.change_status(contribution=c, by=request.user, **d),
        "hide": lambda d: services.hide(contribution=c, by=request.user, reason=d["reason"]),
        "uptake": lambda d: services.link_uptake(contribution=c, by=request.user, **d),
        "project": lambda d: services.idea_to_project(idea=c, by=request.user, **d),
        "block": lambda d: services.block_user(municipality=municipality, user=c.author, by=request.user,
                                               reason=d["reason"]) if c.author else _no_author(),
    }  # fmt: skip
    if request.method == "POST":
        for name, form in forms.items():
            if name in request.POST and form.is_valid():
                if apply_form(form, lambda _name=name, _form=form, **kw: actions[_name](_form.cleaned_data)):
                    messages.success(request, _("Saved."))
                    return redirect("participation:manage-contribution", slug=municipality.slug, pk=pk)
        for name in ("approve", "dismiss"):
            if name in request.POST:
                action = services.approve if name == "approve" else services.dismiss_reports
                try:
                    action(contribution=c, by=request.user)
                    messages.success(request, _("Saved."))
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                return redirect("participation:manage-contribution", slug=municipality.slug, pk=pk)
    context = {"c": c, "forms": forms, **selectors.detail_of(c, request.user, municipality),
               "reports": c.reports.all()}  # fmt: skip
    return render(request, "participation/manage_contribution.html", context)


def _no_author():
    raise ValidationError(_("This contribution has no account to block."))


@require_POST
@municipality_view(internal=True, perm="participation.block_user")
def unblock(request, municipality, pk):
    block = access.get_in_municipality_or_404(Block.objects.select_related("municipality"), municipality, pk=pk)
    services.unblock_user(block=block, by=request.user)
    messages.success(request, _("The block was lifted."))
    return redirect("participation:index", slug=municipality.slug)


EXPORTS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


@municipality_view(internal=True, perm="participation.answer_contribution")
def weighing(request, municipality, pk):
    """The weighing table of a phase: figures, groups (suggested by similarity), answers once
    per group, and the export for the council."""
    phase = selectors.get_phase_for_user(request.user, municipality, pk)
    fmt = request.GET.get("format")
    if fmt in EXPORTS:
        return _export(phase, selectors.weighing_rows(phase), fmt, municipality)
    done = _weighing_post(request, municipality, phase) if request.method == "POST" else None
    if isinstance(done, HttpResponse):
        return done
    forms, groups = done or {}, list(Group.objects.filter(phase=phase))
    page = selectors.weighing_page(phase, request.GET.get("page"))
    rows = page.object_list
    by_pk = {row.pk: row for row in rows}
    # similar suggestions among the page's ungrouped rows: all pairs of a city's phase would take minutes
    suggested = [[by_pk[k] for k in keys] for keys in similarity.suggest_groups(
        [similarity.Text(row.pk, row.text) for row in rows if row.group_id is None])]  # fmt: skip
    context = {
        "phase": phase, "rows": rows, "page": page, "page_query": "", "groups": groups, "suggested": suggested,
        "figures": selectors.phase_figures(phase),
        "group_form": forms.get("group") or GroupForm(prefix="group"),
        "answer_form": forms.get("answer") or GroupAnswerForm(prefix="answer", templates=_templates(municipality)),
        "template_form": forms.get("template") or AnswerTemplateForm(prefix="template"),
        "status_labels": dict(Status.choices),
    }  # fmt: skip
    return render(request, "participation/weighing.html", context)


def _templates(municipality):
    return list(AnswerTemplate.objects.filter(municipality=municipality))


def _export(phase, rows, fmt, municipality):
    content_type, extension = EXPORTS[fmt]
    title = _("Weighing table: %(phase)s") % {"phase": phase.title}
    content = {"xlsx": lambda: exports.as_xlsx(rows, title), "docx": lambda: exports.as_docx(rows, title),
               "pdf": lambda: exports.as_pdf(rows, title, municipality),
               "csv": lambda: exports.as_csv(rows)}[fmt]()  # fmt: skip
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="abwaegungstabelle-{phase.pk}.{extension}"'
    return response


def _weighing_post(request, municipality, phase):
    """Create a group from chosen rows, answer a group, or add an answer template."""
    url = reverse("participation:weighing", kwargs={"slug": municipality.slug, "pk": phase.pk})
    members = list(Contribution.objects.filter(phase=phase, pk__in=[
        int(v) for v in request.POST.getlist("member") if v.isdigit()]))  # fmt: skip
    if "group" in request.POST:
        form = GroupForm(request.POST, prefix="group")
        if form.is_valid():
            if not members:
                form.add_error(None, _("Choose at least one suggestion for the group."))
            elif apply_form(form, lambda **kw: services.create_group(phase=phase, by=request.user, members=members,
                                                                     **kw)):  # fmt: skip
                messages.success(request, _("The group was created."))
                return redirect(url)
        return {"group": form}
    if "answer" in request.POST:
        form = GroupAnswerForm(request.POST, prefix="answer", templates=_templates(municipality))
        group = Group.objects.filter(phase=phase, pk=request.POST.get("group_id") or 0).first()
        if group is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            count = apply_form(form, lambda **kw: services.answer_group(
                group=group, by=request.user, text=data["text"], status=data["status"],
                reason=data["reason"]))  # fmt: skip
            if count is not None:
                messages.success(request, _("%(n)d suggestions were answered.") % {"n": count})
                return redirect(url)
        return {"answer": form}
    if "template" in request.POST:
        form = AnswerTemplateForm(request.POST, prefix="template")
        if form.is_valid() and apply_form(form, lambda **kw: services.create_answer_template(
                municipality=municipality, by=request.user, **kw)):  # fmt: skip
            messages.success(request, _("The template was saved."))
            return redirect(url)
        return {"template": form}
    return None
