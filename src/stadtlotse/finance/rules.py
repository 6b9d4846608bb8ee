"""Permissions of the finance app. Finance is internal planning data: every internal role
reads it; the finance department and the office change budget lines and rates; project
editors enter their projects' costs, savings and grants."""

import rules

from stadtlotse.core.models import Role
from stadtlotse.core.rules import has_department_role, has_role, is_admin, is_internal

is_finance = has_role(Role.FINANCE)

rules.add_perm("finance.view_finance", is_internal)
rules.add_perm("finance.change_project_finance", is_admin | is_finance | has_department_role(Role.EDITOR))
rules.add_perm("finance.manage_budget", is_admin | is_finance)
