"""Pages of the online services: the public list, the internal catalogue with maturity and
usage, the overview, internal processes with their rollout, and the catalogue import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stadtlotse.core.views import municipality_view

from . import charts, figures, selectors, services
from .forms import AssessmentForm, CriteriaForm, ProcessForm, RolloutForm, ServiceForm, UsageForm
from .models import MaturityModel, ProcessState


def apply_form(form, write, **kwargs):
    """Call the write function ``write`` with the form's data; its ValidationError becomes form errors
    (like ``core.views.apply_form``, whose parameter name clashes with our ``service=`` argument)."""
    try:
        return write(**kwargs, **form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None


def _model_param(request) -> str:
    model = request.GET.get("model", figures.MODEL_1_1)
    return model if model in figures.MODELS else figures.MODEL_1_1


@municipality_view()
def public_index(request, municipality):
    """The public page: public services, with their level, features and link."""
    services_ = list(selectors.public_services(municipality))
    facts = selectors.facts(services_)
    context = {"services": services_, "models": figures.MODELS,
               "distribution": figures.distribution(facts, figures.MODEL_1_1)}  # fmt: skip
    return render(request, "onlineservices/public_index.html", context)


@municipality_view(internal=True)
def service_list(request, municipality):
    services_ = selectors.services_visible_to(request.user, municipality)
    query = request.GET.get("q", "").strip()
    if query:
        services_ = services_.filter(name__icontains=query)
    context = {"services": list(services_), "q": query,
               "can_add": request.user.has_perm("onlineservices.add_service", municipality),
               "can_import": request.user.has_perm("onlineservices.import_catalogue", municipality)}  # fmt: skip
    return render(request, "onlineservices/service_list.html", context)


@municipality_view(internal=True, perm="onlineservices.add_service")
def service_create(request, municipality):
    projects = selectors.projects_for_choice(request.user, municipality)
    form = ServiceForm(request.POST or None, municipality=municipality, projects=projects)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.create_service(municipality=municipality, by=request.user, **form.service_fields())
            services.set_service_projects(service=service, projects=list(form.cleaned_data["projects"]),
                                          by=request.user)  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The service was saved."))
            return redirect("onlineservices:service-detail", slug=municipality.slug, pk=service.pk)
    return render(request, "onlineservices/service_form.html", {"form": form})


@municipality_view(internal=True)
def service_detail(request, municipality, pk):
    service = selectors.get_service_for_user(request.user, municipality, pk)
    can_change = request.user.has_perm("onlineservices.change_service", service)
    points = selectors.usage_points(service)
    context = {
        "service": service, "can_change": can_change, "spec": figures.MODELS[service.maturity_model],
        "assessments": selectors.assessments_of(service), "projects": selectors.projects_of(service, request.user),
        "usage": points, "share": figures.online_share(points), "trend": figures.trend(points),
        "assessment_form": AssessmentForm(initial={"model": service.maturity_model}) if can_change else None,
        "criteria_forms": [CriteriaForm(model=m) for m in figures.MODELS] if can_change else [],
        "usage_form": UsageForm() if can_change else None,
    }  # fmt: skip
    return render(request, "onlineservices/service_detail.html", context)


def _changeable(request, municipality, pk):
    service = selectors.get_service_for_user(request.user, municipality, pk)
    if not request.user.has_perm("onlineservices.change_service", service):
        raise PermissionDenied(_("Your role does not allow this."))
    return service


@municipality_view(internal=True)
def service_edit(request, municipality, pk):
    service = _changeable(request, municipality, pk)
    projects = selectors.projects_for_choice(request.user, municipality)
    form = ServiceForm(request.POST or None, instance=service, municipality=municipality, projects=projects)
    if request.method == "POST" and form.is_valid():
        service.refresh_from_db()
        try:
            services.update_service(service=service, by=request.user, **form.service_fields())
            services.set_service_projects(service=service, projects=list(form.cleaned_data["projects"]),
                                          by=request.user)  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The service was saved."))
            return redirect("onlineservices:service-detail", slug=municipality.slug, pk=service.pk)
    return render(request, "onlineservices/service_form.html", {"form": form, "service": service})


def _detail_with_errors(request, service, **forms):
    points = selectors.usage_points(service)
    context = {
        "service": service, "can_change": True, "spec": figures.MODELS[service.maturity_model],
        "assessments": selectors.assessments_of(service), "projects": selectors.projects_of(service, request.user),
        "usage": points, "share": figures.online_share(points), "trend": figures.trend(points),
        "assessment_form": AssessmentForm(initial={"model": service.maturity_model}),
        "criteria_forms": [CriteriaForm(model=m) for m in figures.MODELS], "usage_form": UsageForm(),
    }  # fmt: skip
    context.update(forms)
    return render(request, "onlineservices/service_detail.html", context)


@require_POST
@municipality_view(internal=True)
def service_assess(request, municipality, pk):
    service = _changeable(request, municipality, pk)
    model = request.POST.get("criteria_model")
    if model in figures.MODELS:
        form = CriteriaForm(request.POST, model=model)
        if form.is_valid():
            try:
                services.assess_service(
                    service=service,
                    by=request.user,
                    model=model,
                    criteria=form.criteria(),
                    assessed_on=form.cleaned_data["assessed_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The assessment was saved."))
                return redirect("onlineservices:service-detail", slug=municipality.slug, pk=service.pk)
        forms_ = [form if m == model else CriteriaForm(model=m) for m in figures.MODELS]
        return _detail_with_errors(request, service, criteria_forms=forms_)
    form = AssessmentForm(request.POST)
    if form.is_valid() and apply_form(form, services.assess_service, service=service, by=request.user):
        messages.success(request, _("The assessment was saved."))
        return redirect("onlineservices:service-detail", slug=municipality.slug, pk=service.pk)
    return _detail_with_errors(request, service, assessment_form=form)


@require_POST
@municipality_view(internal=True)
def service_usage(request, municipality, pk):
    service = _changeable(request, municipality, pk)
    form = UsageForm(request.POST)
    if form.is_valid() and apply_form(form, services.record_usage, service=service, by=request.user):
        messages.success(request, _("The usage was saved."))
        return redirect("onlineservices:service-detail", slug=municipality.slug, pk=service.pk)
    return _detail_with_errors(request, service, usage_form=form)


@municipality_view(internal=True)
def overview(request, municipality):
    model = _model_param(request)
    today = timezone.localdate()
    result = selectors.overview(selectors.services_visible_to(request.user, municipality), model, today)
    context = {"overview": result, "spec": figures.MODELS[model], "models": MaturityModel.choices,
               "bars": charts.level_bars(result.current)}  # fmt: skip
    return render(request, "onlineservices/overview.html", context)


@municipality_view(internal=True, perm="onlineservices.view_process")
def process_list(request, municipality):
    form = None
    if request.user.has_perm("onlineservices.change_process", municipality):
        form = ProcessForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            created = apply_form(form, services.create_process, municipality=municipality, by=request.user)
            if created:
                messages.success(request, _("The process was saved."))
                return redirect("onlineservices:process-detail", slug=municipality.slug, pk=created.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Your role does not allow this."))
    departments = selectors.departments_of(municipality)
    today = timezone.localdate()
    rows = [(p, figures.rollout_on(selectors.steps_of(p), [d.pk for d in departments], today))
            for p in selectors.processes_of(request.user, municipality)]  # fmt: skip
    return render(request, "onlineservices/process_list.html", {"rows": rows, "form": form})


@municipality_view(internal=True, perm="onlineservices.view_process")
def process_detail(request, municipality, pk):
    process = selectors.get_process_for_user(request.user, municipality, pk)
    departments = selectors.departments_of(municipality)
    can_record = request.user.has_perm("onlineservices.add_service", municipality)  # admin or an editor
    form = RolloutForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        if apply_form(form, services.record_rollout, process=process, by=request.user):
            messages.success(request, _("The rollout step was saved."))
            return redirect("onlineservices:process-detail", slug=municipality.slug, pk=process.pk)
    steps = selectors.steps_of(process)
    today = timezone.localdate()
    days = figures.year_ends(min(s.since for s in steps), today) if steps else [today]
    by_dept = {d.pk: d for d in departments}
    labels = dict(ProcessState.choices)
    context = {
        "process": process, "form": form, "can_record": can_record, "chart": charts.rollout(steps, departments, today),
        "now": figures.rollout_on(steps, list(by_dept), today),
        "over_time": figures.rollout_over_time(steps, list(by_dept), days),
        "table": [(d, labels[figures.state_on(steps, d.pk, today)], [s for s in process.steps.all()
                                                                      if s.department_id == d.pk])
                  for d in departments],
        "labels": labels,
    }  # fmt: skip
    return render(request, "onlineservices/process_detail.html", context)
