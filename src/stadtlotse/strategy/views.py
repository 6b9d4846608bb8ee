"""Pages of the strategy app: the public strategy and its versions, and the internal editing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stadtlotse.core.views import apply_form, municipality_view

from . import compare, selectors, services
from .forms import (
    AdoptForm,
    FieldOfActionForm,
    GoalForm,
    IndicatorForm,
    MeasurementForm,
    ReviewForm,
    SectionForm,
    StrategyForm,
    VersionForm,
)
from .models import FieldOfAction, Goal, Indicator, Measurement, Section

# Public pages -----------------------------------------------------------------------------


@municipality_view()
def strategy_list(request, municipality):
    versions = list(selectors.versions_visible_to(request.user, municipality))
    by_strategy: dict = {}
    for version in versions:
        by_strategy.setdefault(version.strategy, []).append(version)
    rows = [
        (strategy, selectors.current_version(vs))
        for strategy, vs in sorted(by_strategy.items(), key=lambda i: i[0].title)
    ]
    return render(request, "strategy/strategy_list.html", {"rows": rows})


GOALS_AT_ONCE = 60  # a strategy with more goals shows one field of action at a time
LISTED = 20  # the conformity lists name this many and count the rest


def _conformity(user, municipality, overview, shown) -> dict:
    """The visible projects serving each shown goal; name the goals without a
    project and the projects without a goal of this strategy, up to LISTED each (four queries).
    The overview's rows are shared between requests, so the projects go beside them."""
    from stadtlotse.portfolio import selectors as portfolio

    shown_goals = [g for row in shown for g in row.goals]
    by_goal = portfolio.projects_for_goals(user, municipality, [g.goal.uid for g in shown_goals])
    served = portfolio.goals_with_projects(user, municipality, [g.goal.uid for g in overview.goals])
    without = [g for g in overview.goals if g.goal.uid not in served]
    projects, project_count = portfolio.projects_without_goal(
        user, municipality, overview.version.strategy_id, limit=LISTED
    )
    return {
        "goal_projects": dict(by_goal),
        "goals_without_project": without[:LISTED], "goals_without_project_more": len(without[LISTED:]),
        "projects_without_goal": projects, "projects_without_goal_more": project_count - len(projects),
    }  # fmt: skip


def _version_page(request, municipality, strategy_pk, version=None):
    versions = [
        v for v in selectors.versions_visible_to(request.user, municipality) if v.strategy_id == int(strategy_pk)
    ]
    if not versions:
        raise Http404
    version = version or selectors.current_version(versions)
    overview = selectors.version_overview(version, timezone.localdate())
    chosen = None
    if len(overview.goals) > GOALS_AT_ONCE and overview.fields:
        wanted = request.GET.get("feld", "")
        chosen = next((row for row in overview.fields if row.field.uid.hex == wanted), overview.fields[0])
    shown = [chosen] if chosen else overview.fields
    overdue = overview.overdue_goals
    context = {
        **_conformity(request.user, municipality, overview, shown), "strategy": version.strategy,
        "version": version, "versions": versions, "overview": overview, "shown": shown, "chosen": chosen,
        "overdue": overdue[:LISTED], "overdue_more": len(overdue[LISTED:]),
        "can_edit": request.user.has_perm("strategy.change_strategy", version.strategy),
    }  # fmt: skip
    return render(request, "strategy/version_detail.html", context)


@municipality_view()
def strategy_detail(request, municipality, pk):
    return _version_page(request, municipality, pk)


@municipality_view()
def version_detail(request, municipality, pk, vpk):
    version = selectors.get_version_for_user(request.user, municipality, vpk)
    if version.strategy_id != pk:
        raise Http404
    return _version_page(request, municipality, pk, version)


@municipality_view()
def version_compare(request, municipality, pk):
    versions = [v for v in selectors.versions_visible_to(request.user, municipality) if v.strategy_id == pk]
    if not versions:
        raise Http404
    by_pk = {str(v.pk): v for v in versions}
    ordered = sorted(versions, key=lambda v: v.number)
    right = by_pk.get(request.GET.get("b")) or ordered[-1]
    left = by_pk.get(request.GET.get("a")) or _default_left(ordered, right)
    diffs = compare.compare(selectors.snapshot(left), selectors.snapshot(right))
    kinds = {"fields": _("fields of action"), "goals": _("goals"), "indicators": _("indicators"),
             "sections": _("sections")}  # fmt: skip
    summary = [(kinds.get(kind, kind), counts) for kind, counts in compare.summary(diffs).items()
               if counts["added"] or counts["removed"] or counts["changed"]]  # fmt: skip
    context = {
        "strategy": right.strategy, "versions": ordered, "left": left, "right": right,
        "diffs": [d for d in diffs if d.change != compare.Change.UNCHANGED], "summary": summary,
        "labels": COMPARE_LABELS,
    }  # fmt: skip
    return render(request, "strategy/version_compare.html", context)


# The keys of ``selectors.snapshot`` as the comparison names them.
COMPARE_LABELS = {
    "title": gettext_lazy("Title"), "description": gettext_lazy("Description"), "statement": gettext_lazy("Goal"),
    "owner": gettext_lazy("Owner department"), "responsible": gettext_lazy("Responsible person"),
    "target_date": gettext_lazy("Target date"), "status": gettext_lazy("Status"),
    "field": gettext_lazy("Field of action"), "goal": gettext_lazy("Goal"), "name": gettext_lazy("Name"),
    "unit": gettext_lazy("Unit"), "baseline": gettext_lazy("Baseline"), "target": gettext_lazy("Target"),
    "direction": gettext_lazy("Direction"), "heading": gettext_lazy("Heading"), "body": gettext_lazy("Text"),
}  # fmt: skip


def _default_left(ordered, right):
    """Compare the newest version with the adopted one, else with its predecessor."""
    adopted = [v for v in ordered if v.status == "adopted" and v.pk != right.pk]
    older = [v for v in ordered if v.number < right.number]
    return (adopted or older or [right])[-1]


# Internal pages ---------------------------------------------------------------------------


@municipality_view(internal=True)
def manage_list(request, municipality):
    form = None
    if request.user.has_perm("strategy.add_strategy", municipality):
        form = StrategyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            strategy = apply_form(form, services.create_strategy, municipality=municipality, by=request.user)
            if strategy:
                messages.success(request, _("The strategy was created with a first draft."))
                return redirect("strategy:manage", slug=municipality.slug, pk=strategy.pk)
    elif request.method == "POST":
        raise PermissionDenied
    versions = list(selectors.versions_visible_to(request.user, municipality))
    by_strategy: dict = {}
    for version in versions:
        by_strategy.setdefault(version.strategy, []).append(version)
    return render(
        request,
        "strategy/manage_list.html",
        {"by_strategy": sorted(by_strategy.items(), key=lambda i: i[0].title), "form": form},
    )


@municipality_view(internal=True)
def manage(request, municipality, pk):
    strategy = selectors.get_strategy_for_user(request.user, municipality, pk)
    versions = list(selectors.versions_visible_to(request.user, municipality).filter(strategy=strategy))
    context = {"strategy": strategy, "versions": versions, "adopt_form": AdoptForm(), "version_form": VersionForm(),
               "can_edit": request.user.has_perm("strategy.change_strategy", strategy),
               "can_publish": request.user.has_perm("strategy.publish_strategy", strategy)}  # fmt: skip
    return render(request, "strategy/manage.html", context)


def _run(request, action, *, success: str, **kwargs):
    """Call a lifecycle service; report its ValidationError as a message."""
    try:
        result = action(by=request.user, **kwargs)
        messages.success(request, success)
        return result
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None


@require_POST
@municipality_view(internal=True)
def version_create(request, municipality, pk):
    strategy = selectors.get_strategy_for_user(request.user, municipality, pk)
    form = VersionForm(request.POST)
    label = form.cleaned_data["label"] if form.is_valid() else ""
    version = _run(request, services.create_version, strategy=strategy, label=label,
                   success=_("A new draft was created as a copy of the current version."))  # fmt: skip
    if version:
        return redirect("strategy:version-edit", slug=municipality.slug, vpk=version.pk)
    return redirect("strategy:manage", slug=municipality.slug, pk=pk)


@require_POST
@municipality_view(internal=True)
def version_consultation(request, municipality, vpk):
    version = selectors.get_version_for_user(request.user, municipality, vpk)
    _run(request, services.start_consultation, version=version, success=_("The draft is now in public consultation."))
    return redirect("strategy:manage", slug=municipality.slug, pk=version.strategy_id)


@require_POST
@municipality_view(internal=True)
def version_adopt(request, municipality, vpk):
    version = selectors.get_version_for_user(request.user, municipality, vpk)
    form = AdoptForm(request.POST)
    if form.is_valid():
        _run(request, services.adopt_version, version=version, success=_("The version was recorded as adopted."),
             **form.cleaned_data)  # fmt: skip
    else:
        messages.error(request, _("Give the date of the adoption and the adopting body."))
    return redirect("strategy:manage", slug=municipality.slug, pk=version.strategy_id)


@require_POST
@municipality_view(internal=True)
def version_delete(request, municipality, vpk):
    version = selectors.get_version_for_user(request.user, municipality, vpk)
    _run(request, services.delete_version, version=version, success=_("The draft was deleted."))
    return redirect("strategy:manage", slug=municipality.slug, pk=version.strategy_id)


@municipality_view(internal=True)
def version_edit(request, municipality, vpk):
    version = selectors.get_version_for_user(request.user, municipality, vpk)
    can_edit = version.is_editable and request.user.has_perm("strategy.change_strategy", version.strategy)
    field_form = FieldOfActionForm(request.POST if "add_field" in request.POST else None, prefix="field")
    goal_form = GoalForm(request.POST if "add_goal" in request.POST else None, prefix="goal", version=version)
    section_form = SectionForm(request.POST if "add_section" in request.POST else None, prefix="section")
    review_form = ReviewForm(request.POST if "add_review" in request.POST else None, prefix="review")
    if request.method == "POST":
        done = None
        if "add_field" in request.POST and field_form.is_valid():
            done = apply_form(field_form, services.add_field_of_action, version=version, by=request.user)
        elif "add_goal" in request.POST and goal_form.is_valid():
            data = dict(goal_form.cleaned_data)
            field = data.pop("field_of_action")
            try:
                done = services.add_goal(field=field, by=request.user, **data)
            except ValidationError as exc:
                goal_form.add_error(None, exc)
        elif "add_section" in request.POST and section_form.is_valid():
            done = apply_form(section_form, services.add_section, version=version, by=request.user)
        elif "add_review" in request.POST and review_form.is_valid():
            done = apply_form(review_form, services.record_review, version=version, by=request.user)
        if done:
            messages.success(request, _("Saved."))
            return redirect("strategy:version-edit", slug=municipality.slug, vpk=version.pk)
    context = {"version": version, "strategy": version.strategy, "can_edit": can_edit,
               "overview": selectors.version_overview(version, timezone.localdate()),
               "field_form": field_form, "goal_form": goal_form, "section_form": section_form,
               "review_form": review_form,
               "can_review": request.user.has_perm("strategy.review_strategy", version.strategy)}  # fmt: skip
    return render(request, "strategy/version_edit.html", context)


ITEM_FORMS = {
    "handlungsfeld": (FieldOfAction, FieldOfActionForm, services.update_field_of_action, "field", "fieldofaction"),
    "ziel": (Goal, GoalForm, services.update_goal, "goal", "goal"),
    "kennzahl": (Indicator, IndicatorForm, services.update_indicator, "indicator", "indicator"),
    "abschnitt": (Section, SectionForm, services.update_section, "section", "section"),
}


@municipality_view(internal=True)
def item_edit(request, municipality, kind, pk):
    """Edit one item of a draft; goals also list and add indicators, indicators measurements."""
    if kind not in ITEM_FORMS:
        raise Http404
    model, form_class, update, arg, audit_kind = ITEM_FORMS[kind]
    item = selectors.content_of_version_for_user(request.user, municipality, model, pk)
    extra = {"version": item.version} if form_class is GoalForm else {}
    form = form_class(request.POST if "save" in request.POST else None, instance=item, **extra)
    if "save" in request.POST and form.is_valid():
        item.refresh_from_db()
        if apply_form(form, update, by=request.user, **{arg: item}):
            messages.success(request, _("Saved."))
            return redirect("strategy:item-edit", slug=municipality.slug, kind=kind, pk=pk)
    context = {"item": item, "kind": kind, "form": form, "version": item.version, "audit_kind": audit_kind}
    if model is Goal:
        context["indicators"] = Indicator.objects.filter(goal=item)
        context["indicator_form"] = _add_indicator(request, item, context)
        if context["indicator_form"] is None:
            return redirect("strategy:item-edit", slug=municipality.slug, kind=kind, pk=pk)
    if model is Indicator:
        context["measurements"] = Measurement.objects.filter(
            strategy_id=item.version.strategy_id, indicator_uid=item.uid
        )
        context["measurement_form"] = _add_measurement(request, item)
        if context["measurement_form"] is None:
            return redirect("strategy:item-edit", slug=municipality.slug, kind=kind, pk=pk)
    return render(request, "strategy/item_edit.html", context)


def _add_indicator(request, goal, context):
    form = IndicatorForm(request.POST if "add_indicator" in request.POST else None, prefix="indicator")
    if "add_indicator" in request.POST and form.is_valid():
        if apply_form(form, services.add_indicator, goal=goal, by=request.user):
            messages.success(request, _("Saved."))
            return None
    return form


def _add_measurement(request, indicator):
    form = MeasurementForm(request.POST if "add_measurement" in request.POST else None, prefix="measurement")
    if "add_measurement" in request.POST and form.is_valid():
        if apply_form(form, services.add_measurement, indicator=indicator, by=request.user):
            messages.success(request, _("The measurement was saved."))
            return None
    return form


@require_POST
@municipality_view(internal=True)
def item_delete(request, municipality, kind, pk):
    if kind not in ITEM_FORMS:
        raise Http404
    item = selectors.content_of_version_for_user(request.user, municipality, ITEM_FORMS[kind][0], pk)
    version = item.version
    _run(request, services.delete_item, item=item, success=_("Deleted."))
    return redirect("strategy:version-edit", slug=municipality.slug, vpk=version.pk)
