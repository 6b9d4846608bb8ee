"""Pages of the schools part.

Public: the school list and, for a plan published as public, the equity overview (index per
school and its spread, no costs, no inventory). Internal: the school area for internal roles
(all schools) and school accounts (their own school only; other schools answer 404), the plans
for internal roles.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stadtlotse.core import access
from stadtlotse.core.models import User
from stadtlotse.core.views import apply_form, municipality_view
from stadtlotse.portfolio.import_views import pack, unpack

from . import charts, forms, imports, selectors, services
from .models import Asset, AssetKind, ConceptStatus, InventorySnapshot, MediaConcept, SchoolYearFigures


def school_area(view):
    """Resolve the municipality; let in internal roles and linked school accounts (else 403,
    anonymous visitors to the login)."""

    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        municipality = access.get_municipality_or_404(slug)
        request.municipality = municipality
        request.roles = access.roles_of(request.user, municipality)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.has_school_area(request.user, municipality):
            raise PermissionDenied(_("This area is for the administration, the council and the schools."))
        return view(request, municipality, *args, **kwargs)

    return wrapper


def _can(request, perm, obj) -> bool:
    return request.user.has_perm(perm, obj)


# Public ------------------------------------------------------------------------------------


@municipality_view()
def public_index(request, municipality):
    context = {"schools": selectors.public_schools(municipality),
               "plans": selectors.plans_visible_to(request.user, municipality).filter(visibility="public")}
    return render(request, "schools/public_index.html", context)


@municipality_view()
def public_equity(request, municipality, pk):
    plan = selectors.get_plan_or_404(request.user, municipality, pk, public_only=True)
    evaluation = selectors.evaluate(plan)
    context = {"plan": plan, "evaluation": evaluation, "public": True,
               "chart": charts.equity_chart(evaluation.gaps, plan.threshold_percent)}  # fmt: skip
    return render(request, "schools/public_equity.html", context)


# Schools -----------------------------------------------------------------------------------


@school_area
def index(request, municipality):
    form = None
    if _can(request, "schools.manage_schools", municipality):
        form = forms.SchoolForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            school = apply_form(form, services.create_school, municipality=municipality, by=request.user)
            if school:
                messages.success(request, _("The school was saved."))
                return redirect("schools:school-detail", slug=municipality.slug, pk=school.pk)
    elif request.method == "POST":
        raise PermissionDenied
    schools = list(selectors.schools_for(request.user, municipality))
    plan = selectors.current_plan(request.user, municipality)
    evaluation = selectors.evaluate(plan, schools) if plan else None
    ids = [s.pk for s in schools]
    context = {"rows": [(s, evaluation.by_school.get(s.pk) if evaluation else None) for s in schools],
               "concepts": selectors.concepts_of(ids), "snapshots": selectors.latest_snapshots(ids),
               "figures": selectors.latest_figures(ids), "plan": plan, "form": form,
               "reads_all": selectors.reads_all(request.user, municipality)}  # fmt: skip
    return render(request, "schools/index.html", context)


def _newest_plan_for_school(municipality):
    """A school's own page measures against the newest plan, also for its school account."""
    from .models import MediaDevelopmentPlan

    return MediaDevelopmentPlan.objects.filter(municipality=municipality).select_related("programme").first()


@school_area
def school_detail(request, municipality, pk):
    school = selectors.get_school_or_404(request.user, municipality, pk)
    plan = _newest_plan_for_school(municipality)
    gap = selectors.evaluate(plan, [school]).gaps[0] if plan else None
    context = {
        "school": school, "plan": plan, "gap": gap, "history": selectors.snapshot_history(school),
        "figures": list(SchoolYearFigures.objects.filter(school=school)),
        "concept": MediaConcept.objects.filter(school=school).first(),
        "assets": [(AssetKind(r["kind"]).label, r["n"]) for r in
                   Asset.objects.filter(school=school).values("kind").annotate(n=Count("id")).order_by("kind")],
        "members": school.members.select_related("user") if _can(request, "schools.manage_accounts", school) else None,
        "can_change": _can(request, "schools.change_school_data", school),
        "reads_all": selectors.reads_all(request.user, municipality),
        "link_form": forms.LinkAccountForm() if _can(request, "schools.manage_accounts", school) else None,
    }  # fmt: skip
    return render(request, "schools/school_detail.html", context)


def _school_for_change(request, municipality, pk):
    school = selectors.get_school_or_404(request.user, municipality, pk)
    if not _can(request, "schools.change_school_data", school):
        raise PermissionDenied(_("Your role does not allow this."))
    return school


@school_area
def snapshot_add(request, municipality, pk):
    school = _school_for_change(request, municipality, pk)
    latest = selectors.latest_snapshots([school.pk]).get(school.pk)
    initial = {f: getattr(latest, f) for f in services.SNAPSHOT_FIELDS} if latest else {}
    form = forms.SnapshotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if apply_form(form, services.record_snapshot, school=school, by=request.user):
            messages.success(request, _("The inventory was saved."))
            return redirect("schools:school-detail", slug=municipality.slug, pk=school.pk)
    return render(request, "schools/snapshot_form.html", {"school": school, "form": form, "latest": latest})


@require_POST
@school_area
def snapshot_delete(request, municipality, pk, snapshot_pk):
    school = _school_for_change(request, municipality, pk)
    try:
        snapshot = InventorySnapshot.objects.get(school=school, pk=snapshot_pk)
    except (InventorySnapshot.DoesNotExist, ValueError):
        raise Http404 from None
    services.delete_snapshot(snapshot=snapshot, by=request.user)
    messages.success(request, _("The inventory was deleted."))
    return redirect("schools:school-detail", slug=municipality.slug, pk=school.pk)


@school_area
def figures_edit(request, municipality, pk):
    school = _school_for_change(request, municipality, pk)
    latest = selectors.latest_figures([school.pk]).get(school.pk)
    form = forms.FiguresForm(request.POST or None, instance=None, initial=(
        {f: getattr(latest, f) for f in ("school_year", "pupils", "classes", "classrooms", "teachers")}
        if latest else {}))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        if apply_form(form, services.set_figures, school=school, by=request.user):
            messages.success(request, _("The figures were saved."))
            return redirect("schools:school-detail", slug=municipality.slug, pk=school.pk)
    return render(request, "schools/figures_form.html", {"school": school, "form": form})


@school_area
def concept_edit(request, municipality, pk):
    school = _school_for_change(request, municipality, pk)
    concept = MediaConcept.objects.filter(school=school).first()
    form = forms.ConceptForm(request.POST or None, request.FILES or None, instance=concept)
    if request.method == "POST" and form.is_valid():
        if apply_form(form, services.update_media_concept, school=school, by=request.user):
            messages.success(request, _("The media concept was saved."))
            return redirect("schools:school-detail", slug=municipality.slug, pk=school.pk)
    return render(request, "schools/concept_form.html", {"school": school, "form": form})


@school_area
def concept_document(request, municipality, pk):
    school = selectors.get_school_or_404(request.user, municipality, pk)
    concept = MediaConcept.objects.filter(school=school).first()
    if concept is None or not concept.document:
        raise Http404
    try:
        handle = concept.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=concept.document.name.rsplit("/", 1)[-1])


@require_POST
@school_area
def account_link(request, municipality, pk):
    school = selectors.get_school_or_404(request.user, municipality, pk)
    if not _can(request, "schools.manage_accounts", school):
        raise PermissionDenied(_("Your role does not allow this."))
    form = forms.LinkAccountForm(request.POST)
    user = User.objects.filter(username=request.POST.get("username", "")).first() if form.is_valid() else None
    if user is None:
        messages.error(request, _("There is no account with this user name."))
    else:
        try:
            services.link_school_account(school=school, user=user, by=request.user)
            messages.success(request, _("The account now keeps this school's data."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("schools:school-detail", slug=municipality.slug, pk=school.pk)


@school_area
def assets(request, municipality, pk):
    school = selectors.get_school_or_404(request.user, municipality, pk)
    rows = Asset.objects.filter(school=school)
    return render(request, "schools/assets.html", {"school": school, "assets": rows,
                                                   "can_change": _can(request, "schools.change_school_data", school)})


@school_area
def asset_import(request, municipality):
    schools = [s for s in selectors.schools_for(request.user, municipality)
               if _can(request, "schools.change_school_data", s)]  # fmt: skip
    if not schools:
        raise PermissionDenied(_("Your role does not allow this."))
    context = {"form": forms.AssetUploadForm(), "preview": None}
    if request.method == "POST":
        try:
            if request.POST.get("step") == "confirm":
                name, data = request.POST.get("filename", "")[:255], unpack(request.POST.get("content", ""))
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationError(_("Choose a file."))
                name, data = upload.name, imports.read_upload(upload)
            result = imports.preview(imports.read_table(name, data), schools)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "schools/asset_import.html", context)
        if request.POST.get("step") == "confirm" and not result.has_errors:
            try:
                counts = imports.apply(result, schools, request.user)
            except ValidationError as exc:
                messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": " ".join(exc.messages)})
            else:
                messages.success(request, _("Import finished – devices: %(create)s new, %(update)s changed, "
                                            "%(unchanged)s unchanged.") % counts)  # fmt: skip
                return redirect("schools:index", slug=municipality.slug)
        context.update({"preview": result, "filename": name, "content": pack(data)})
    return render(request, "schools/asset_import.html", context)


# Plans -------------------------------------------------------------------------------------


@municipality_view(internal=True, perm="schools.view_schools")
def plan_list(request, municipality):
    form = None
    if _can(request, "schools.change_plan", municipality):
        form = forms.PlanForm(request.POST or None, municipality=municipality)
        if request.method == "POST" and form.is_valid():
            plan = apply_form(form, services.create_plan, municipality=municipality, by=request.user)
            if plan:
                messages.success(request, _("The plan was saved."))
                return redirect("schools:plan-detail", slug=municipality.slug, pk=plan.pk)
    elif request.method == "POST":
        raise PermissionDenied
    plans = selectors.plans_visible_to(request.user, municipality).select_related("programme", "project")
    return render(request, "schools/plan_list.html", {"plans": plans, "form": form})


@municipality_view(internal=True, perm="schools.view_schools")
def plan_detail(request, municipality, pk):
    plan = selectors.get_plan_or_404(request.user, municipality, pk)
    days = selectors.snapshot_days(municipality)
    on = next((d for d in days if d.isoformat() == request.GET.get("stand")), None)
    evaluation = selectors.evaluate(plan, on=on)
    context = {"plan": plan, "evaluation": evaluation, "chart": charts.equity_chart(evaluation.gaps,
                                                                                   plan.threshold_percent),
               "days": days, "on": on,
               "can_change": _can(request, "schools.change_plan", plan),
               "concepts": selectors.concepts_of(list(evaluation.schools)),
               "approved": ConceptStatus.APPROVED}  # fmt: skip
    return render(request, "schools/plan_detail.html", context)


@municipality_view(internal=True, perm="schools.view_schools")
def plan_edit(request, municipality, pk):
    plan = selectors.get_plan_or_404(request.user, municipality, pk)
    if not _can(request, "schools.change_plan", plan):
        raise PermissionDenied(_("Your role does not allow this."))
    post = request.POST if request.method == "POST" else None
    plan_form = forms.PlanForm(post if post and "save_plan" in post else None, instance=plan,
                               municipality=municipality, prefix="plan")  # fmt: skip
    standard_form = forms.StandardForm(post if post and "save_standard" in post else None, prefix="standard")
    cost_form = forms.UnitCostForm(post if post and "save_cost" in post else None, prefix="cost")
    for name, form, service, kwargs in (
        ("save_plan", plan_form, services.update_plan, {"plan": plan}),
        ("save_standard", standard_form, services.set_standard, {"plan": plan}),
        ("save_cost", cost_form, services.set_unit_cost, {"plan": plan}),
    ):
        if post and name in post and form.is_valid():
            if name == "save_plan":
                plan.refresh_from_db()
            if apply_form(form, service, by=request.user, **kwargs):
                messages.success(request, _("Saved."))
                return redirect("schools:plan-edit", slug=municipality.slug, pk=plan.pk)
    context = {"plan": plan, "plan_form": plan_form, "standard_form": standard_form, "cost_form": cost_form,
               "standards": plan.standards.all(), "unit_costs": plan.unit_costs.all()}
    return render(request, "schools/plan_edit.html", context)


@require_POST
@municipality_view(internal=True, perm="schools.view_schools")
def plan_produce(request, municipality, pk):
    plan = selectors.get_plan_or_404(request.user, municipality, pk)
    if not _can(request, "schools.change_plan", plan):
        raise PermissionDenied(_("Your role does not allow this."))
    try:
        project, count, grant = services.produce_finance(plan=plan, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("schools:plan-detail", slug=municipality.slug, pk=plan.pk)
    except PermissionDenied:
        messages.error(request, _("Your role may not add projects or costs to the portfolio."))
        return redirect("schools:plan-detail", slug=municipality.slug, pk=plan.pk)
    messages.success(request, _("The project “%(project)s” was added with %(count)s cost items%(grant)s.") % {
        "project": project, "count": count, "grant": _(" and a planned grant") if grant else ""})
    return redirect("finance:project", slug=municipality.slug, pk=project.pk)
