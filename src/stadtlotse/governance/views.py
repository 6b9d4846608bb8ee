"""Pages of the governance part: bodies with members and composition, departments with people
and pilots, pilot coverage. Public pages show public bodies and people; the workspace the rest."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stadtlotse.core import access
from stadtlotse.core.views import apply_form, municipality_view

from . import selectors, services
from .forms import BodyForm, FactionForm, GroupForm, MembershipForm, PersonForm, PilotForm, RuleForm, TermForm
from .models import BodyMembership, CompositionRule, DigitalPilot


def _require(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Your role does not allow this."))


def _bodies(request, municipality, internal: bool):
    form = None
    if internal and request.user.has_perm("governance.manage_bodies", municipality):
        form = BodyForm(request.POST or None, municipality=municipality)
        if request.method == "POST" and form.is_valid():
            body = apply_form(form, services.create_body, municipality=municipality, by=request.user)
            if body:
                messages.success(request, _("The body was created."))
                return redirect("governance:body-manage", slug=municipality.slug, pk=body.pk)
    rows = selectors.bodies_with_status(request.user, municipality)
    return render(request, "governance/body_list.html", {"rows": rows, "internal": internal, "form": form})


@municipality_view()
def public_index(request, municipality):
    return _bodies(request, municipality, internal=False)


@municipality_view(internal=True)
def index(request, municipality):
    return _bodies(request, municipality, internal=True)


@municipality_view()
def body_detail(request, municipality, pk):
    body = selectors.get_body_for_user(request.user, municipality, pk)
    page = selectors.body_page(request.user, body)
    can_manage = request.user.has_perm("governance.manage_bodies", body)
    return render(request, "governance/body_detail.html", {"page": page, "body": body, "can_manage": can_manage})


@municipality_view(internal=True)
def body_manage(request, municipality, pk):
    body = selectors.get_body_for_user(request.user, municipality, pk)
    can_manage = request.user.has_perm("governance.manage_bodies", body)
    member_form = rule_form = None
    if can_manage:
        member_form = MembershipForm(request.POST if "add_member" in request.POST else None, municipality=municipality)
        rule_form = RuleForm(request.POST if "add_rule" in request.POST else None, municipality=municipality)
        if "add_member" in request.POST and member_form.is_valid():
            if apply_form(member_form, services.add_member, body=body, by=request.user):
                messages.success(request, _("The member was added."))
                return redirect("governance:body-manage", slug=municipality.slug, pk=pk)
        if "add_rule" in request.POST and rule_form.is_valid():
            if apply_form(rule_form, services.add_rule, body=body, by=request.user):
                messages.success(request, _("The rule was added."))
                return redirect("governance:body-manage", slug=municipality.slug, pk=pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Your role does not allow this."))
    context = {"page": selectors.body_page(request.user, body), "body": body, "can_manage": can_manage,
               "member_form": member_form, "rule_form": rule_form, "manage": True}  # fmt: skip
    return render(request, "governance/body_detail.html", context)


@municipality_view(internal=True)
def body_edit(request, municipality, pk):
    body = selectors.get_body_for_user(request.user, municipality, pk)
    _require(request, "governance.manage_bodies", body)
    form = BodyForm(request.POST or None, instance=body, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        body.refresh_from_db()
        if apply_form(form, services.update_body, body=body, by=request.user):
            messages.success(request, _("The body was saved."))
            return redirect("governance:body-manage", slug=municipality.slug, pk=pk)
    return render(request, "governance/form_page.html", {"form": form, "title": _("Edit body"), "object": body})


def _membership(request, municipality, pk) -> BodyMembership:
    membership = access.get_in_municipality_or_404(
        BodyMembership.objects.select_related("body", "person"), municipality, pk=pk
    )
    selectors.get_body_for_user(request.user, municipality, membership.body_id)  # the body must be readable
    _require(request, "governance.manage_bodies", membership.body)
    return membership


@municipality_view(internal=True)
def membership_edit(request, municipality, pk):
    membership = _membership(request, municipality, pk)
    form = MembershipForm(request.POST or None, instance=membership, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        membership.refresh_from_db()
        if apply_form(form, services.update_membership, membership=membership, by=request.user):
            messages.success(request, _("The membership was saved."))
            return redirect("governance:body-manage", slug=municipality.slug, pk=membership.body_id)
    context = {"form": form, "title": _("Edit seat"), "object": membership}
    return render(request, "governance/form_page.html", context)


@require_POST
@municipality_view(internal=True)
def membership_delete(request, municipality, pk):
    membership = _membership(request, municipality, pk)
    services.remove_membership(membership=membership, by=request.user)
    messages.success(request, _("The membership was removed."))
    return redirect("governance:body-manage", slug=municipality.slug, pk=membership.body_id)


@require_POST
@municipality_view(internal=True)
def rule_delete(request, municipality, pk):
    rule = access.get_in_municipality_or_404(CompositionRule.objects.select_related("body"), municipality, pk=pk)
    selectors.get_body_for_user(request.user, municipality, rule.body_id)
    _require(request, "governance.manage_bodies", rule.body)
    services.delete_rule(rule=rule, by=request.user)
    messages.success(request, _("The rule was removed."))
    return redirect("governance:body-manage", slug=municipality.slug, pk=rule.body_id)


# People, factions, groups, terms ----------------------------------------------------------


@municipality_view(internal=True)
def person_list(request, municipality):
    form = None
    if request.user.has_perm("governance.manage_people", municipality):
        form = PersonForm(request.POST or None, municipality=municipality)
        if request.method == "POST" and form.is_valid():
            try:
                services.create_person(municipality=municipality, by=request.user, **form.service_data())
                messages.success(request, _("The person was added."))
                return redirect("governance:people", slug=municipality.slug)
            except ValidationError as exc:
                _form_errors(form, exc)
    people = selectors.people_visible_to(request.user, municipality).select_related("user")
    return render(request, "governance/person_list.html", {"people": people, "form": form})


def _form_errors(form, exc: ValidationError) -> None:
    """A service's error on the person form; the account link is the form's ``username`` field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        name = "username" if field == "user" else field
        form.add_error(name if name in form.fields else None, errors)


@municipality_view(internal=True)
def person_edit(request, municipality, pk):
    person = selectors.get_person_for_user(request.user, municipality, pk)
    _require(request, "governance.manage_people", person)
    form = PersonForm(request.POST or None, instance=person, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        person.refresh_from_db()
        try:
            services.update_person(person=person, by=request.user, **form.service_data())
            messages.success(request, _("The person was saved."))
            return redirect("governance:people", slug=municipality.slug)
        except ValidationError as exc:
            _form_errors(form, exc)
    return render(request, "governance/form_page.html", {"form": form, "title": _("Edit person"), "object": person})


REGISTRY_FORMS = {
    "faction": (FactionForm, services.create_faction, _("The faction was added.")),
    "group": (GroupForm, services.create_stakeholder_group, _("The stakeholder group was added.")),
    "term": (TermForm, services.create_term, _("The term was added.")),
}


@municipality_view(internal=True)
def registry(request, municipality):
    can_manage = request.user.has_perm("governance.manage_bodies", municipality)
    forms = {}
    for key, (form_class, service, success) in REGISTRY_FORMS.items():
        bound = can_manage and request.POST.get("kind") == key
        form = form_class(request.POST if bound else None, prefix=key)
        if bound and form.is_valid() and apply_form(form, service, municipality=municipality, by=request.user):
            messages.success(request, success)
            return redirect("governance:registry", slug=municipality.slug)
        forms[key] = form if can_manage else None
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(_("Your role does not allow this."))
    context = {"factions": selectors.factions_of(municipality), "groups": selectors.groups_of(municipality),
               "terms": selectors.terms_of(municipality), "forms": forms}  # fmt: skip
    return render(request, "governance/registry.html", context)


# Departments and pilots -------------------------------------------------------------------


def _departments(request, municipality, internal: bool):
    nodes = selectors.department_tree(request.user, municipality)
    context = {"nodes": nodes, "internal": internal, "coverage": selectors.coverage_of(municipality)}
    return render(request, "governance/department_tree.html", context)


@municipality_view()
def public_departments(request, municipality):
    return _departments(request, municipality, internal=False)


@municipality_view(internal=True)
def departments(request, municipality):
    return _departments(request, municipality, internal=True)


def _pilots(request, municipality, internal: bool):
    form = None
    if internal and request.user.has_perm("governance.manage_pilots", municipality):
        form = PilotForm(request.POST or None, municipality=municipality)
        if request.method == "POST" and form.is_valid():
            if apply_form(form, services.add_pilot, municipality=municipality, by=request.user):
                messages.success(request, _("The digital pilot was added."))
                return redirect("governance:pilots", slug=municipality.slug)
    context = {"pilots": selectors.pilots_visible_to(request.user, municipality),
               "coverage": selectors.coverage_of(municipality), "internal": internal, "form": form,
               "today": timezone.localdate()}  # fmt: skip
    return render(request, "governance/pilot_list.html", context)


@municipality_view()
def public_pilots(request, municipality):
    return _pilots(request, municipality, internal=False)


@municipality_view(internal=True)
def pilots(request, municipality):
    return _pilots(request, municipality, internal=True)


@municipality_view(internal=True)
def pilot_edit(request, municipality, pk):
    levels = access.visibility_levels(request.user, municipality)
    pilot = access.get_in_municipality_or_404(
        DigitalPilot.objects.filter(person__visibility__in=levels).select_related("person", "department"),
        municipality, pk=pk,
    )  # fmt: skip
    _require(request, "governance.manage_pilots", pilot)
    form = PilotForm(request.POST or None, instance=pilot, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        pilot.refresh_from_db()
        if apply_form(form, services.update_pilot, pilot=pilot, by=request.user):
            messages.success(request, _("The digital pilot was saved."))
            return redirect("governance:pilots", slug=municipality.slug)
    context = {"form": form, "title": _("Edit digital pilot"), "object": pilot}
    return render(request, "governance/form_page.html", context)
