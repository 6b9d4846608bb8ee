"""Permissions of the portfolio app (objects: Municipality, Project, Decision, Criterion)."""

import rules

from stadtlotse.core.models import Role
from stadtlotse.core.rules import has_department_role, has_role, is_admin

is_dept_editor = has_department_role(Role.EDITOR)
is_dept_pilot = has_department_role(Role.PILOT)

rules.add_perm("portfolio.add_project", is_admin | has_role(Role.EDITOR))
# Editors change the projects of their departments (all, if not limited).
rules.add_perm("portfolio.change_project", is_admin | is_dept_editor)
# Milestones and status reports: also the digital pilots of the project's departments.
rules.add_perm("portfolio.report_project", is_admin | is_dept_editor | is_dept_pilot)
rules.add_perm("portfolio.assess_project", is_admin | is_dept_editor)
rules.add_perm("portfolio.change_decision", is_admin | is_dept_editor)
# Criteria, weights, imports and shared templates are the office's.
rules.add_perm("portfolio.manage_criteria", is_admin)
rules.add_perm("portfolio.import_projects", is_admin)
rules.add_perm("portfolio.publish_template", is_admin)
