"""The permission layer: django-rules predicates that decide every write.

Every permission is checked against an object: a ``Municipality`` (for "add" permissions
and municipality-wide actions) or a municipal object with a ``municipality_id``. Reads are
decided by ``core.access``; these predicates decide who may change what.
"""

import rules

from . import access
from .models import Municipality, Role


def _municipality_id(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Municipality):
        return obj.pk
    return getattr(obj, "municipality_id", None)


def has_role(*roles: str) -> rules.Predicate:
    """Predicate: the user holds one of ``roles`` in the object's municipality."""
    wanted = frozenset(roles)

    @rules.predicate(name="has_role_" + "_".join(sorted(wanted)))
    def predicate(user, obj=None) -> bool:
        municipality_id = _municipality_id(obj)
        if municipality_id is None:
            return False
        return bool(access.roles_of(user, municipality_id) & wanted)

    return predicate


@rules.predicate
def is_internal(user, obj=None) -> bool:
    """The user works inside the object's municipality (any internal role)."""
    municipality_id = _municipality_id(obj)
    return municipality_id is not None and access.is_internal(user, municipality_id)


@rules.predicate
def is_unrestricted_editor(user, obj=None) -> bool:
    """An editor whose membership is not limited to departments."""
    from .models import Membership

    municipality_id = _municipality_id(obj)
    if municipality_id is None or Role.EDITOR not in access.roles_of(user, municipality_id):
        return False
    return not Membership.objects.filter(
        user=user, municipality_id=municipality_id, role=Role.EDITOR, departments__isnull=False
    ).exists()


@rules.predicate
def is_editor_of_object_department(user, obj=None) -> bool:
    """An editor limited to departments, and the object belongs to one of them.

    Objects say which departments they belong to through ``department_ids()`` or a
    ``department_id``/``lead_department_id`` attribute.
    """
    from .models import Membership

    municipality_id = _municipality_id(obj)
    if municipality_id is None or isinstance(obj, Municipality):
        return False
    if Role.EDITOR not in access.roles_of(user, municipality_id):
        return False
    if hasattr(obj, "department_ids"):
        wanted = set(obj.department_ids())
    else:
        dept = getattr(obj, "lead_department_id", None) or getattr(obj, "department_id", None)
        wanted = {dept} if dept else set()
    if not wanted:
        return False
    return Membership.objects.filter(
        user=user, municipality_id=municipality_id, role=Role.EDITOR, departments__in=wanted
    ).exists()


def has_department_role(role: str) -> rules.Predicate:
    """Predicate: the user holds ``role`` without a department limit, or limited to departments
    of which one is among the object's departments (``department_ids()``)."""

    @rules.predicate(name=f"has_department_role_{role}")
    def predicate(user, obj=None) -> bool:
        from .models import Membership

        municipality_id = _municipality_id(obj)
        if municipality_id is None or role not in access.roles_of(user, municipality_id):
            return False
        limits = set(
            Membership.objects.filter(user=user, municipality_id=municipality_id, role=role)
            .values_list("departments", flat=True)
        )
        if limits in (set(), {None}):
            return True
        if isinstance(obj, Municipality) or not hasattr(obj, "department_ids"):
            return False
        return bool(limits & set(obj.department_ids()))

    return predicate


is_admin = has_role(Role.ADMIN)
is_editor = is_unrestricted_editor | is_editor_of_object_department

rules.add_perm("core.view_workspace", is_internal)
rules.add_perm("core.view_audit", is_internal)
rules.add_perm("core.change_municipality", is_admin)
rules.add_perm("core.manage_memberships", is_admin)
rules.add_perm("core.add_department", is_admin)
rules.add_perm("core.change_department", is_admin)
rules.add_perm("core.delete_department", is_admin)
# Announcements: the office, and editors for their own departments' notices.
rules.add_perm("core.add_announcement", is_admin | has_role(Role.EDITOR))
rules.add_perm("core.change_announcement", is_admin | is_editor)
rules.add_perm("core.delete_announcement", is_admin | is_editor)
