"""Permissions of the reporting app (object: Municipality)."""

import rules

from stadtlotse.core.models import Role
from stadtlotse.core.rules import has_role, is_admin

# Drafts of status reports: the office and editors; publishing and the comparison opt-in: the office.
rules.add_perm("reporting.add_report", is_admin | has_role(Role.EDITOR))
rules.add_perm("reporting.publish_report", is_admin)
rules.add_perm("reporting.change_comparison", is_admin)
