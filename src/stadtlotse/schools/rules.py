"""Permissions of the schools app.

Every internal role (administration, council, committee members of the working group "Schulen",
finance, pilots, readers) reads all school data of its municipality (``schools.view_schools``).
A school account (role ``school`` plus a ``SchoolMember`` link) keeps its own school's figures,
inventory, devices and media concept. The plan, its standards and unit costs, and turning the
plan into projects and cost items belong to the administration and the editors.
"""

import rules

from stadtlotse.core import access
from stadtlotse.core.models import Role
from stadtlotse.core.rules import has_role, is_admin, is_internal


def _school_id(obj) -> int | None:
    from .models import School

    if isinstance(obj, School):
        return obj.pk
    return getattr(obj, "school_id", None)


@rules.predicate
def is_member_of_school(user, obj=None) -> bool:
    """The user holds the school role in the object's municipality and is linked to its school."""
    from .models import SchoolMember

    school_id = _school_id(obj)
    municipality_id = getattr(obj, "municipality_id", None)
    if school_id is None or municipality_id is None:
        return False
    if Role.SCHOOL not in access.roles_of(user, municipality_id):
        return False
    return SchoolMember.objects.filter(user=user, school_id=school_id).exists()


is_editor = has_role(Role.EDITOR)

rules.add_perm("schools.view_schools", is_internal)
rules.add_perm("schools.manage_schools", is_admin | is_editor)
rules.add_perm("schools.manage_accounts", is_admin)
rules.add_perm("schools.change_school_data", is_admin | is_editor | is_member_of_school)
rules.add_perm("schools.change_plan", is_admin | is_editor)
