"""Pages of the portfolio: lists, project pages, ranking and matrix, roadmap, sequencing,
criteria, templates and decisions. Public pages show public projects; the workspace the rest."""

from __future__ import annotations

from decimal import InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtlotse.core import access
from stadtlotse.core.forms import option_tags
from stadtlotse.core.models import Department
from stadtlotse.core.numbers import finite_decimal
from stadtlotse.core.views import apply_form, municipality_view

from . import charts, selectors, services
from .forms import (
    DecisionForm,
    DependencyForm,
    MilestoneForm,
    ProjectForm,
    StatusReportForm,
    TemplateStartForm,
)
from .models import (
    TRANSITIONS,
    Criterion,
    Dependency,
    Milestone,
    MilestoneStatus,
    PrioritySettings,
    ProjectGoal,
    ProjectStatus,
    ProjectTemplate,
    Scheme,
)


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# Lists ------------------------------------------------------------------------------------

PER_PAGE = 50


def _list(request, municipality, internal: bool):
    get = request.GET
    try:
        min_score = finite_decimal(get["min_score"], limit=1000) if get.get("min_score") else None
    except InvalidOperation:
        min_score = None
    today = timezone.localdate()
    projects, ranked = selectors.filtered_projects(
        request.user, municipality, status=get.get("status", ""),
        department=get.get("department", "") if get.get("department", "").isdigit() else "",
        field=get.get("field", ""), query=get.get("q", "")[:200], quick_wins=get.get("quick_wins") == "1",
        min_score=min_score, sort=get.get("sort", "title"),
    )  # fmt: skip
    page = Paginator(projects, PER_PAGE).get_page(get.get("page"))
    rows = selectors.portfolio_rows_of(list(page.object_list), ranked, today)
    others = get.copy()
    others.pop("page", None)
    from stadtlotse.strategy.models import FieldOfAction

    levels = access.visibility_levels(request.user, municipality)
    missing, missing_count = (
        selectors.missing_reports(request.user, municipality, selectors.current_period(today)) if internal else ([], 0)
    )
    context = {
        "rows": rows, "page": page, "total": page.paginator.count, "page_query": others.urlencode(),
        "internal": internal, "statuses": ProjectStatus.choices,
        "departments": Department.objects.filter(municipality=municipality),
        "fields": FieldOfAction.objects.filter(municipality=municipality, version__status="adopted",
                                               version__visibility__in=levels),
        "filters": get, "can_add": internal and request.user.has_perm("portfolio.add_project", municipality),
        "missing": missing, "missing_more": missing_count - len(missing),
        "period": selectors.current_period(today), "today": today,
    }  # fmt: skip
    return render(request, "portfolio/project_list.html", context)


@municipality_view()
def public_list(request, municipality):
    return _list(request, municipality, internal=False)


@municipality_view(internal=True)
def project_list(request, municipality):
    return _list(request, municipality, internal=True)


# Project pages ----------------------------------------------------------------------------


@municipality_view()
def project_detail(request, municipality, pk):
    project = selectors.get_project_for_user(request.user, municipality, pk)
    page = selectors.project_page(request.user, municipality, project)
    context = {"page": page, "project": project, "today": timezone.localdate(),
               "can_edit": request.user.has_perm("portfolio.change_project", project)}  # fmt: skip
    return render(request, "portfolio/project_detail.html", context)


@municipality_view(internal=True)
def project_create(request, municipality):
    if not request.user.has_perm("portfolio.add_project", municipality):
        raise PermissionDenied(_("Your role does not allow this."))
    form = ProjectForm(request.POST if "create" in request.POST else None, municipality=municipality)
    template_form = TemplateStartForm(request.POST if "from_template" in request.POST else None, prefix="t")
    project = None
    if "create" in request.POST and form.is_valid():
        project = apply_form(form, services.create_project, municipality=municipality, by=request.user)
    elif "from_template" in request.POST and template_form.is_valid():
        data = template_form.cleaned_data
        project = services.create_from_template(template=data["template"], municipality=municipality,
                                                by=request.user, planned_start=data["planned_start"])  # fmt: skip
    if project:
        messages.success(request, _("The project was created."))
        return redirect("portfolio:manage", slug=municipality.slug, pk=project.pk)
    return render(request, "portfolio/project_create.html", {"form": form, "template_form": template_form})


@municipality_view(internal=True)
def project_edit(request, municipality, pk):
    project = selectors.get_project_for_user(request.user, municipality, pk)
    if not request.user.has_perm("portfolio.change_project", project):
        raise PermissionDenied(_("Your role does not allow this."))
    form = ProjectForm(request.POST or None, instance=project, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        project.refresh_from_db()
        if apply_form(form, services.update_project, project=project, by=request.user):
            messages.success(request, _("The project was saved."))
            return redirect("portfolio:manage", slug=municipality.slug, pk=pk)
    return render(request, "portfolio/project_edit.html", {"form": form, "project": project})


@municipality_view(internal=True)
def project_manage(request, municipality, pk):
    """The project in the workspace: status, milestones, dependencies, reports, goals,
    assessment and decisions, each with its own form on this page."""
    project = selectors.get_project_for_user(request.user, municipality, pk)
    forms = _ProjectForms(request, municipality, project)
    if request.method == "POST":
        if not request.user.has_perm("portfolio.report_project", project):
            raise PermissionDenied(_("Your role does not allow this."))
        if forms.handle():
            return redirect(reverse("portfolio:manage", kwargs={"slug": municipality.slug, "pk": pk}) + forms.anchor)
    services.ensure_default_criteria(municipality)
    page = selectors.project_page(request.user, municipality, project)
    criteria = list(Criterion.objects.filter(municipality=municipality))
    can_edit = request.user.has_perm("portfolio.change_project", project)
    context = {
        "project": project, "page": page, "today": timezone.localdate(), **forms.context(),
        "transitions": [(s, ProjectStatus(s).label) for s in ProjectStatus.values if s in TRANSITIONS[project.status]],
        "criteria": criteria, "can_edit": can_edit,
        "can_assess": request.user.has_perm("portfolio.assess_project", project),
        "can_view_finance": request.user.has_perm("finance.view_finance", municipality),
        "can_publish": request.user.has_perm("portfolio.publish_template", project),
        "goal_options": _goal_options(request.user, municipality) if can_edit else "",
    }  # fmt: skip
    return render(request, "portfolio/project_manage.html", context)


def _goal_choices(user, municipality):
    from stadtlotse.strategy.models import Goal

    levels = access.visibility_levels(user, municipality)
    return Goal.objects.filter(
        municipality=municipality, version__status__in=["adopted", "consultation", "draft"],
        version__visibility__in=levels,
    ).select_related("version__strategy").order_by("version__strategy__title", "-version__number", "order")  # fmt: skip


def _goal_options(user, municipality):
    """The options of the goal select, written at once from plain rows (hundreds of goals)."""
    rows = _goal_choices(user, municipality).values_list("pk", "version__strategy__title", "version__number", "title")
    return option_tags((pk, f"{strategy} v{number}: {title}") for pk, strategy, number, title in rows)


class _ProjectForms:
    """The forms of the project workspace page and what each POST does."""

    def __init__(self, request, municipality, project):
        self.request, self.municipality, self.project = request, municipality, project
        post = request.POST
        self.anchor = ""
        others = selectors.projects_visible_to(request.user, municipality).exclude(pk=project.pk).order_by("title")
        self.milestone = MilestoneForm(post if "add_milestone" in post else None, prefix="m")
        self.dependency = DependencyForm(post if "add_dependency" in post else None, prefix="d", projects=others)
        self.report = StatusReportForm(post if "add_report" in post else None, prefix="r",
                                       initial={"period": selectors.current_period(timezone.localdate())})  # fmt: skip
        self.decision = DecisionForm(post if "add_decision" in post else None, prefix="n")

    def context(self):
        return {"milestone_form": self.milestone, "dependency_form": self.dependency, "report_form": self.report,
                "decision_form": self.decision}  # fmt: skip

    def handle(self) -> bool:
        post, by, project = self.request.POST, self.request.user, self.project
        for name, handler in [
            ("status", self._status), ("add_milestone", self._milestone), ("milestone_done", self._milestone_done),
            ("add_dependency", self._dependency), ("remove_dependency", self._remove_dependency),
            ("add_report", self._report), ("assess", self._assess), ("link_goal", self._link_goal),
            ("unlink_goal", self._unlink_goal), ("add_decision", self._decision), ("publish_template", self._template),
        ]:  # fmt: skip
            if name in post:
                self.anchor = "#" + name.replace("_", "-")
                try:
                    return handler(post, by, project)
                except ValidationError as exc:
                    _error(self.request, exc)
                    return name not in {"add_milestone", "add_dependency", "add_report", "add_decision"}
        return False

    def _ok(self, text):
        messages.success(self.request, text)
        return True

    def _status(self, post, by, project):
        services.change_status(project=project, by=by, status=post["status"])
        return self._ok(_("The status was changed."))

    def _milestone(self, post, by, project):
        if not self.milestone.is_valid():
            return False
        services.add_milestone(project=project, by=by, **self.milestone.cleaned_data)
        return self._ok(_("The milestone was saved."))

    def _milestone_done(self, post, by, project):
        milestone = Milestone.objects.filter(project=project, pk=post.get("milestone_done")).first()
        if milestone is None:
            raise Http404
        services.update_milestone(milestone=milestone, by=by, status=MilestoneStatus.DONE, confirm_after_end=True)
        return self._ok(_("The milestone was marked as done."))

    def _dependency(self, post, by, project):
        if not self.dependency.is_valid():
            return False
        data = self.dependency.cleaned_data
        services.add_dependency(foundation=data["foundation"], dependent=project, by=by, note=data["note"])
        return self._ok(_("The dependency was saved."))

    def _remove_dependency(self, post, by, project):
        dependency = Dependency.objects.filter(dependent=project, pk=post.get("remove_dependency")).first()
        if dependency is None:
            raise Http404
        services.remove_dependency(dependency=dependency, by=by)
        return self._ok(_("The dependency was removed."))

    def _report(self, post, by, project):
        if not self.report.is_valid():
            return False
        services.add_status_report(project=project, by=by, **self.report.cleaned_data)
        return self._ok(_("The status report was saved."))

    def _assess(self, post, by, project):
        scores = {
            int(key.removeprefix("score_")): (value, post.get("note_" + key.removeprefix("score_"), ""))
            for key, value in post.items() if key.startswith("score_") and key.removeprefix("score_").isdigit()
        }  # fmt: skip
        services.assess_project(project=project, by=by, scores=scores)
        return self._ok(_("The assessment was saved."))

    def _link_goal(self, post, by, project):
        goal = _goal_choices(by, self.municipality).filter(pk=post.get("goal") or 0).first()
        if goal is None:
            raise ValidationError(_("Choose a goal."))
        services.link_goal(project=project, goal=goal, by=by)
        return self._ok(_("The project now serves this goal."))

    def _unlink_goal(self, post, by, project):
        link = ProjectGoal.objects.filter(project=project, goal_uid=post.get("unlink_goal")).first()
        if link is None:
            raise Http404
        services.unlink_goal(link=link, by=by)
        return self._ok(_("The link to the goal was removed."))

    def _decision(self, post, by, project):
        if not self.decision.is_valid():
            return False
        services.create_decision(project=project, by=by, **self.decision.cleaned_data)
        return self._ok(_("The decision was created; now score the options."))

    def _template(self, post, by, project):
        services.publish_template(project=project, by=by, milestones="\n".join(
            m.title for m in Milestone.objects.filter(project=project)))  # fmt: skip
        return self._ok(_("The project was shared as a template with all municipalities."))


# Decisions --------------------------------------------------------------------------------


@municipality_view()
def decision_list(request, municipality):
    decisions = selectors.decisions_visible_to(request.user, municipality).exclude(chosen=None)
    return render(request, "portfolio/decision_list.html", {"decisions": decisions})


@municipality_view()
def decision_detail(request, municipality, pk):
    decision = access.get_visible_or_404(
        selectors.decisions_visible_to(request.user, municipality).prefetch_related("options__scores", "criteria"),
        request.user, municipality, pk=pk,
    )  # fmt: skip
    can_edit = request.user.has_perm("portfolio.change_decision", decision)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Your role does not allow this."))
        _decision_post(request, decision)
        return redirect("portfolio:decision", slug=municipality.slug, pk=pk)
    return render(request, "portfolio/decision_detail.html", {**charts.decision_table(decision), "can_edit": can_edit})


def _decision_post(request, decision) -> None:
    try:
        if "scores" in request.POST:
            scores = {}
            for key, value in request.POST.items():
                if key.startswith("s_"):
                    option_id, criterion_id = key[2:].split("_")
                    scores[(int(option_id), int(criterion_id))] = value
            services.set_decision_scores(decision=decision, by=request.user, scores=scores)
            messages.success(request, _("The scores were saved."))
        elif "decide" in request.POST:
            chosen = decision.options.filter(pk=request.POST.get("chosen") or 0).first()
            if chosen is None:
                raise ValidationError(_("Choose an option."))
            services.decide(decision=decision, by=request.user, chosen=chosen,
                            reasoning=request.POST.get("reasoning", ""),
                            visibility=request.POST.get("visibility") or None)  # fmt: skip
            messages.success(request, _("The decision was recorded."))
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


# Ranking, matrix, roadmap, sequencing ----------------------------------------------------------


def _ranking(request, municipality, internal):
    scheme = request.GET.get("scheme")
    scheme = scheme if scheme in Scheme.values else None
    with_npv = internal and request.user.has_perm("finance.view_finance", municipality)
    result = selectors.rank_projects(selectors.open_project_rows(request.user, municipality), municipality, scheme,
                                     with_npv=with_npv)  # fmt: skip
    page = Paginator(result.rows, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    others = request.GET.copy()
    others.pop("page", None)
    context = {"result": result, "internal": internal, "rows": rows, "page": page, "page_query": others.urlencode(),
               "matrix": charts.matrix(result, rows, page.start_index()), "schemes": Scheme.choices}  # fmt: skip
    return render(request, "portfolio/ranking.html", context)


@municipality_view()
def public_ranking(request, municipality):
    return _ranking(request, municipality, False)


@municipality_view(internal=True)
def ranking(request, municipality):
    services.ensure_default_criteria(municipality)
    return _ranking(request, municipality, True)


@municipality_view()
def roadmap(request, municipality):
    rows, page = selectors.roadmap(request.user, municipality, request.GET.get("page"))
    context = {"chart": charts.roadmap(rows, timezone.localdate()), "page": page, "page_query": ""}
    return render(request, "portfolio/roadmap.html", context)


@municipality_view(internal=True)
def sequencing(request, municipality):
    try:
        result = selectors.sequencing(request.user, municipality)
    except ValueError:
        result = None
    return render(request, "portfolio/sequencing.html", {"result": result})


@municipality_view(internal=True, perm="portfolio.manage_criteria")
def criteria(request, municipality):
    services.ensure_default_criteria(municipality)
    settings = PrioritySettings.objects.get(municipality=municipality)
    items = list(Criterion.objects.filter(municipality=municipality))
    if request.method == "POST":
        try:
            _save_criteria(request, municipality, items)
            messages.success(request, _("The criteria were saved."))
            return redirect("portfolio:criteria", slug=municipality.slug)
        except ValidationError as exc:
            _error(request, exc)
    return render(request, "portfolio/criteria.html", {"items": items, "settings": settings,
                                                       "schemes": Scheme.choices})  # fmt: skip


def _save_criteria(request, municipality, items) -> None:
    from django.db import transaction

    post = request.POST
    with transaction.atomic():
        for criterion in items:
            try:
                weight = finite_decimal(post.get(f"weight_{criterion.pk}", ""), places=3, limit=9999)
            except InvalidOperation:
                raise ValidationError(_("%(name)s: the weight must be a number.") % {"name": criterion.name}) from None
            if weight < 0:
                raise ValidationError(_("%(name)s: the weight must not be negative.") % {"name": criterion.name})
            if weight != criterion.weight:
                services.update_criterion(criterion=criterion, by=request.user, weight=weight)
        numbers = {}
        for key in ("quick_win_min_impact", "quick_win_max_effort", "quick_win_max_months"):
            try:
                numbers[key] = finite_decimal(post.get(key, ""), places=0 if key == "quick_win_max_months" else 2,
                                              limit=1000)  # fmt: skip
            except InvalidOperation:
                raise ValidationError(_("The quick-win thresholds must be numbers.")) from None
        numbers["quick_win_max_months"] = int(numbers["quick_win_max_months"])
        scheme = post.get("scheme") if post.get("scheme") in Scheme.values else Scheme.DEFAULT
        services.update_priority_settings(municipality=municipality, by=request.user, scheme=scheme, **numbers)


@municipality_view(internal=True)
def templates(request, municipality):
    items = ProjectTemplate.objects.select_related("published_by")
    return render(request, "portfolio/templates.html", {"items": items, "form": TemplateStartForm(prefix="t")})
