"""Pages of the core app: start page, portal, workspace, administration, account."""

from __future__ import annotations

import sys
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, audit, selectors, services
from . import accessibility as statement
from .forms import AnnouncementForm, ApiTokenForm, DepartmentForm, LoginForm, MembershipForm, MunicipalityForm
from .models import Announcement, ApiToken, Department, Membership, Municipality, Notification
from .navigation import portal_parts
from .notifications import unread_count


def municipality_view(*, internal: bool = False, perm: str | None = None):
    """Resolve ``slug`` to ``request.municipality``; for workspace pages require an internal
    role (anonymous visitors are sent to the login), and optionally a permission."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            municipality = access.get_municipality_or_404(slug)
            request.municipality = municipality
            request.roles = access.roles_of(request.user, municipality)
            if internal or perm:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if not request.user.has_perm("core.view_workspace", municipality):
                    raise PermissionDenied(_("This area is for the administration and the council."))
                if perm and not request.user.has_perm(perm, municipality):
                    raise PermissionDenied(_("Your role does not allow this."))
            return view(request, municipality, *args, **kwargs)

        return wrapper

    return decorator


def apply_form(form, service, **kwargs):
    """Call a service with the form's data; turn its ValidationError into form errors."""
    try:
        return service(**kwargs, **form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None


def home(request):
    return render(request, "core/home.html", {"municipalities": Municipality.objects.all()})


@municipality_view()
def portal(request, municipality):
    announcements = access.visible(Announcement.objects.all(), request.user, municipality).filter(
        visibility="public"
    )[:5]
    parts = [(part, part.url(municipality.slug, internal=False)) for part in portal_parts()]
    context = {"announcements": announcements, "parts": parts}
    return render(request, "core/portal.html", context)


@municipality_view(internal=True)
def workspace(request, municipality):
    context = {
        "announcements": access.visible(Announcement.objects.all(), request.user, municipality)
        .select_related("department")[:10],
        "role_labels": selectors.role_labels(request.roles),
    }
    return render(request, "core/workspace.html", context)


@municipality_view()
def announcement_detail(request, municipality, pk):
    announcement = access.get_visible_or_404(
        Announcement.objects.select_related("department"), request.user, municipality, pk=pk
    )
    return render(request, "core/announcement_detail.html", {"announcement": announcement})


@municipality_view(internal=True)
def announcement_list(request, municipality):
    form = None
    if request.user.has_perm("core.add_announcement", municipality):
        form = AnnouncementForm(request.POST or None, municipality=municipality)
        if request.method == "POST" and form.is_valid():
            created = apply_form(form, services.create_announcement, municipality=municipality, by=request.user)
            if created:
                messages.success(request, _("The announcement was saved."))
                return redirect("core:announcement-list", slug=municipality.slug)
    elif request.method == "POST":
        raise PermissionDenied
    announcements = access.visible(Announcement.objects.all(), request.user, municipality).select_related(
        "department"
    )
    context = {"announcements": announcements, "form": form}
    return render(request, "core/announcement_list.html", context)


@municipality_view(internal=True)
def announcement_edit(request, municipality, pk):
    announcement = access.get_visible_or_404(Announcement.objects.all(), request.user, municipality, pk=pk)
    if not request.user.has_perm("core.change_announcement", announcement):
        raise PermissionDenied(_("Your role does not allow this."))
    form = AnnouncementForm(request.POST or None, instance=announcement, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        announcement.refresh_from_db()  # the service applies the changes, not the bound form
        if apply_form(form, services.update_announcement, announcement=announcement, by=request.user):
            messages.success(request, _("The announcement was saved."))
            return redirect("core:announcement-list", slug=municipality.slug)
    return render(request, "core/announcement_edit.html", {"form": form, "announcement": announcement})


@require_POST
@municipality_view(internal=True)
def announcement_delete(request, municipality, pk):
    announcement = access.get_visible_or_404(Announcement.objects.all(), request.user, municipality, pk=pk)
    services.delete_announcement(announcement=announcement, by=request.user)
    messages.success(request, _("The announcement was deleted."))
    return redirect("core:announcement-list", slug=municipality.slug)


@municipality_view(internal=True)
def department_list(request, municipality):
    form = None
    if request.user.has_perm("core.add_department", municipality):
        form = DepartmentForm(request.POST or None, municipality=municipality)
        if request.method == "POST" and form.is_valid():
            if apply_form(form, services.create_department, municipality=municipality, by=request.user):
                messages.success(request, _("The department was saved."))
                return redirect("core:department-list", slug=municipality.slug)
    elif request.method == "POST":
        raise PermissionDenied
    departments = selectors.departments_of(municipality)
    return render(request, "core/department_list.html", {"departments": departments, "form": form})


@municipality_view(internal=True, perm="core.change_department")
def department_edit(request, municipality, pk):
    department = access.get_in_municipality_or_404(Department.objects.all(), municipality, pk=pk)
    form = DepartmentForm(request.POST or None, instance=department, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        department.refresh_from_db()
        if apply_form(form, services.update_department, department=department, by=request.user):
            messages.success(request, _("The department was saved."))
            return redirect("core:department-list", slug=municipality.slug)
    return render(request, "core/department_edit.html", {"form": form, "department": department})


@require_POST
@municipality_view(internal=True, perm="core.delete_department")
def department_delete(request, municipality, pk):
    department = access.get_in_municipality_or_404(Department.objects.all(), municipality, pk=pk)
    try:
        services.delete_department(department=department, by=request.user)
        messages.success(request, _("The department was deleted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("core:department-list", slug=municipality.slug)


@municipality_view(internal=True, perm="core.manage_memberships")
def membership_list(request, municipality):
    form = MembershipForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_role(
                municipality=municipality, user=data["username"], role=data["role"],
                departments=list(data["departments"]), by=request.user,
            )  # fmt: skip
            messages.success(request, _("The role was granted."))
            return redirect("core:membership-list", slug=municipality.slug)
        except ValidationError as exc:
            form.add_error(None, exc)
    memberships = selectors.memberships_of(municipality)
    return render(request, "core/membership_list.html", {"memberships": memberships, "form": form})


@require_POST
@municipality_view(internal=True, perm="core.manage_memberships")
def membership_delete(request, municipality, pk):
    membership = access.get_in_municipality_or_404(
        Membership.objects.select_related("user", "municipality"), municipality, pk=pk
    )
    try:
        services.revoke_role(membership=membership, by=request.user)
        messages.success(request, _("The role was removed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("core:membership-list", slug=municipality.slug)


@municipality_view(internal=True, perm="core.change_municipality")
def municipality_settings(request, municipality):
    form = MunicipalityForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        municipality.refresh_from_db()
        if apply_form(form, services.update_municipality, municipality=municipality, by=request.user):
            messages.success(request, _("The settings were saved."))
            return redirect("core:settings", slug=municipality.slug)
    return render(request, "core/municipality_settings.html", {"form": form})


@municipality_view(internal=True, perm="core.view_audit")
def history(request, municipality, kind, pk):
    model = audit.model_for(kind)
    if model is None:
        raise Http404
    if not request.user.has_perm(audit.perm_for(kind), municipality):
        raise PermissionDenied(_("Your role does not allow this."))
    entries = selectors.audit_entries_for(request.user, municipality, model, pk)
    if not entries:
        raise Http404
    title = next((e.snapshot for e in reversed(entries) if e.snapshot), "")
    return render(request, "core/history.html", {"entries": entries, "kind": kind, "title": title})


@municipality_view(internal=True, perm="core.manage_memberships")
def audit_log(request, municipality):
    rows = audit.recent_changes(municipality.pk, limit=100)
    return render(request, "core/audit_log.html", {"rows": rows})


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm


@login_required
def account(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.create_api_token(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    context = {
        "memberships": Membership.objects.filter(user=request.user).select_related("municipality"),
        "tokens": ApiToken.objects.filter(user=request.user),
        "form": form,
        "new_key": new_key,
        "unread": unread_count(request.user),
    }
    return render(request, "core/account.html", context)


@login_required
def notification_list(request):
    from django.core.paginator import Paginator

    notifications = Notification.objects.filter(user=request.user).select_related("municipality")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page, "notifications": page.object_list})


@login_required
def notification_open(request, pk):
    """Mark one notification read and go to what it is about (an address of this site only)."""
    notification = Notification.objects.filter(pk=pk, user=request.user).first()
    if notification is None:
        raise Http404
    if notification.read is None:
        services.mark_notifications_read(user=request.user, ids=[notification.pk])
    url = notification.url
    if not url.startswith("/") or url.startswith("//"):
        return redirect("core:notification-list")
    return redirect(url)


@require_POST
@login_required
def notification_read_all(request):
    services.mark_notifications_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("core:notification-list")


@require_POST
@login_required
def token_revoke(request, pk):
    try:
        token = ApiToken.objects.get(pk=pk, user=request.user)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    services.revoke_api_token(token=token, by=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("core:account")


def accessibility(request):
    """The installation's accessibility statement; each municipality has its own (below)."""
    return render(request, "core/accessibility.html", _statement(request, None))


@municipality_view()
def municipality_accessibility(request, municipality):
    """A municipality's accessibility statement: its contact, its state's law and enforcement body."""
    return render(request, "core/accessibility.html", _statement(request, municipality))


def _statement(request, municipality: Municipality | None) -> dict:
    context = {
        "assessed_on": statement.ASSESSED_ON,
        "non_accessible": statement.NON_ACCESSIBLE,
        "federal_body": statement.FEDERAL_ARBITRATION,
        "operator_contact": settings.ACCESSIBILITY_CONTACT,
    }
    if municipality is None:
        context["municipalities"] = Municipality.objects.order_by("name")
    else:
        context["state_law"] = statement.STATE_LAWS[municipality.state]
        context["state_body"] = statement.enforcement_body(municipality.state)
        context["portal_url"] = request.build_absolute_uri(reverse("core:portal", kwargs={"slug": municipality.slug}))
    return context


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def error_500(request):
    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        return database_unavailable(request, exc)
    return render(request, "500.html", status=500)


def database_unavailable(request, exc) -> HttpResponse:
    """503 when the database cannot be reached, is read-only or full: a clear message, no
    database query while rendering it, and a hint when to try again. Nothing saved is lost;
    the next request opens a new connection (``CONN_HEALTH_CHECKS``), so the app recovers by
    itself when the database is back."""
    reason = database_failure_kind(exc)
    messages_by_reason = {
        "read-only": _("The database is read-only at the moment, so nothing can be saved. "
                       "Nothing saved before is lost; the operator has been informed."),
        "full": _("The database has no space left, so nothing can be saved. "
                  "Nothing saved before is lost; the operator has been informed."),
        "disk": _("The database cannot use its disk at the moment: the disk is full or faulty. "
                  "Nothing saved before is lost; the operator has been informed."),
        "unavailable": _("The database cannot be reached at the moment. "
                         "Nothing saved before is lost; please try again in a minute."),
    }  # fmt: skip
    message = str(messages_by_reason[reason])
    if request.path.startswith(("/api/", "/oparl/")):
        response = JsonResponse({"detail": message, "reason": reason}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = "60" if reason == "unavailable" else "600"
    return response


def database_failure_kind(exc) -> str:
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "read-only"
    if "disk is full" in text or "no space left" in text or "could not extend file" in text:
        return "full"
    if "disk i/o error" in text:  # SQLite opening a WAL database on a full (or failing) disk
        return "disk"
    return "unavailable"
