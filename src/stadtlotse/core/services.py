"""Writes of the core app. Views, API, command line and demo loader all call these.

Each function checks the permission of ``by`` (``None`` means the system itself, e.g. the
demo loader or a migration), validates the whole object, saves it atomically and records
who did it in the audit trail.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .models import (
    Announcement,
    ApiToken,
    Department,
    Membership,
    Municipality,
    Role,
    User,
    Visibility,
)

# The code of a ValidationError raised when a write is based on a version of an object that someone
# else has changed since (optimistic locking); the API answers it with 409 Conflict.
STALE = "stale"


def require(by: User | None, perm: str, obj) -> None:
    """Raise PermissionDenied unless ``by`` holds ``perm`` on ``obj`` (None = the system)."""
    if by is not None and not by.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this."))


def save_audited(instance, by: User | None, *, exclude_unique: bool = False) -> None:
    """Validate fully, then save with the acting user recorded in the history."""
    instance.full_clean()
    instance._history_user = by
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(_("This conflicts with an existing entry.")) from exc


def apply_changes(instance, changes: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for field, value in changes.items():
        setattr(instance, field, value)


MUNICIPALITY_FIELDS = {
    "name", "state", "ags", "population", "discount_rate_percent", "medium_term_years", "website",
    "accessibility_contact", "accessibility_enforcement",
}  # fmt: skip


def create_municipality(*, by: User | None, slug: str, **fields) -> Municipality:
    """Create a tenant. Only operators (superusers) or the system may do so."""
    if by is not None and not by.is_superuser:
        raise PermissionDenied(_("Only the operator may add municipalities."))
    municipality = Municipality(slug=slug)
    apply_changes(municipality, fields, MUNICIPALITY_FIELDS | {"is_demo"})
    save_audited(municipality, by)
    return municipality


def update_municipality(*, municipality: Municipality, by: User | None, **changes) -> Municipality:
    """Change a municipality's settings (administrators of that municipality)."""
    require(by, "core.change_municipality", municipality)
    apply_changes(municipality, changes, MUNICIPALITY_FIELDS)
    save_audited(municipality, by)
    return municipality


DEPARTMENT_FIELDS = {"code", "name", "parent", "description"}


def _check_parent(department: Department) -> None:
    parent = department.parent
    if parent is None:
        return
    if parent.municipality_id != department.municipality_id:
        raise ValidationError({"parent": _("The parent unit belongs to another municipality.")})
    seen = {department.pk}
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": _("A unit cannot be placed below itself.")})
        seen.add(parent.pk)
        parent = parent.parent


def create_department(*, municipality: Municipality, by: User | None, **fields) -> Department:
    """Add a department to a municipality's organisation chart."""
    require(by, "core.add_department", municipality)
    department = Department(municipality=municipality)
    apply_changes(department, fields, DEPARTMENT_FIELDS)
    _check_parent(department)
    save_audited(department, by)
    return department


def update_department(*, department: Department, by: User | None, **changes) -> Department:
    """Rename, re-code or move a department; a move below itself is refused."""
    require(by, "core.change_department", department)
    apply_changes(department, changes, DEPARTMENT_FIELDS)
    _check_parent(department)
    save_audited(department, by)
    return department


def delete_department(*, department: Department, by: User | None) -> None:
    """Delete a department that has no sub-units."""
    require(by, "core.delete_department", department)
    if department.children.exists():
        raise ValidationError(_("This unit still has sub-units; move or delete them first."))
    if Membership.objects.filter(departments=department).exists():
        # Deleting it would silently widen a role limited to this unit to all units.
        raise ValidationError(_("Roles are limited to this unit; change those roles first."))
    department._history_user = by
    try:
        with transaction.atomic():
            department.delete()
    except ProtectedError as exc:  # e.g. a digital pilot or a project of this unit
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise ValidationError(
            _("Other records still belong to this unit (%(kinds)s); move or delete them first.")
            % {"kinds": ", ".join(kinds)}
        ) from None


def grant_role(
    *,
    municipality: Municipality,
    user: User,
    role: str,
    by: User | None,
    departments: list[Department] | None = None,
) -> Membership:
    """Give ``user`` a role in ``municipality``; editors may be limited to departments."""
    require(by, "core.manage_memberships", municipality)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    departments = departments or []
    if any(d.municipality_id != municipality.pk for d in departments):
        raise ValidationError({"departments": _("A department belongs to another municipality.")})
    if departments and role not in {Role.EDITOR, Role.PILOT}:
        raise ValidationError({"departments": _("Only editors and digital pilots are limited to departments.")})
    if Membership.objects.filter(user=user, municipality=municipality, role=role).exists():
        raise ValidationError(_("This user already has this role here."))
    with transaction.atomic():
        membership = Membership(municipality=municipality, user=user, role=role)
        save_audited(membership, by)
        membership.departments.set(departments)
    access.forget_roles(user)
    return membership


def revoke_role(*, membership: Membership, by: User | None) -> None:
    """Remove one role; the last active administrator of a municipality cannot be removed."""
    require(by, "core.manage_memberships", membership.municipality)
    if membership.role == Role.ADMIN and membership.user.is_active:
        admins = Membership.objects.filter(
            municipality_id=membership.municipality_id, role=Role.ADMIN, user__is_active=True
        )
        if admins.count() == 1:
            raise ValidationError(_("A municipality keeps at least one administrator."))
    membership._history_user = by
    membership.delete()
    access.forget_roles(membership.user)


ANNOUNCEMENT_FIELDS = {"title", "body", "visibility", "department", "published_on"}


def create_announcement(*, municipality: Municipality, by: User | None, **fields) -> Announcement:
    """Publish a notice; editors limited to departments must name one of theirs."""
    require(by, "core.add_announcement", municipality)
    fields.setdefault("published_on", date.today())
    fields.setdefault("visibility", Visibility.INTERNAL)
    announcement = Announcement(municipality=municipality)
    apply_changes(announcement, fields, ANNOUNCEMENT_FIELDS)
    _check_department(announcement)
    require(by, "core.change_announcement", announcement)
    save_audited(announcement, by)
    return announcement


def update_announcement(*, announcement: Announcement, by: User | None, **changes) -> Announcement:
    """Change a notice; the permission is checked before and after the change."""
    require(by, "core.change_announcement", announcement)
    apply_changes(announcement, changes, ANNOUNCEMENT_FIELDS)
    _check_department(announcement)
    require(by, "core.change_announcement", announcement)
    save_audited(announcement, by)
    return announcement


def delete_announcement(*, announcement: Announcement, by: User | None) -> None:
    """Delete a notice (kept in the audit trail)."""
    require(by, "core.delete_announcement", announcement)
    announcement._history_user = by
    announcement.delete()


def _check_department(obj) -> None:
    if obj.department_id and obj.department.municipality_id != obj.municipality_id:
        raise ValidationError({"department": _("The department belongs to another municipality.")})


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal token; the plain key is returned once and never stored."""
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name.")})
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=key[4:10], key_hash=ApiToken.hash_key(key)
    )
    return token, key


def revoke_api_token(*, token: ApiToken, by: User) -> None:
    """Revoke one of one's own tokens."""
    if token.user_id != by.pk:
        raise PermissionDenied(_("You may not do this."))
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])


def user_for_token(key: str) -> User | None:
    """The active user behind a token key, or None for an unknown or revoked one."""
    try:
        token = ApiToken.objects.select_related("user").get(
            key_hash=ApiToken.hash_key(key), revoked__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user


def mark_notifications_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications (all, or those with ``ids``) as read; returns how many."""
    from django.utils import timezone

    from .models import Notification

    notifications = Notification.objects.filter(user=user, read__isnull=True)
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    return notifications.update(read=timezone.now())
