"""Permissions of the online services (objects: Municipality, Service, Process, RolloutStep).

Services belong to their responsible department: the administration and the editors of that
department change them (editors not limited to departments change all). The catalogue import
and the list of internal processes are the office's; departments record their own rollout.
"""

import rules

from stadtlotse.core.models import Role
from stadtlotse.core.rules import has_department_role, has_role, is_admin, is_internal

is_dept_editor = has_department_role(Role.EDITOR)

rules.add_perm("onlineservices.add_service", is_admin | has_role(Role.EDITOR))
rules.add_perm("onlineservices.change_service", is_admin | is_dept_editor)
rules.add_perm("onlineservices.import_catalogue", is_admin)
rules.add_perm("onlineservices.view_process", is_internal)
rules.add_perm("onlineservices.change_process", is_admin)
rules.add_perm("onlineservices.record_rollout", is_admin | is_dept_editor)
