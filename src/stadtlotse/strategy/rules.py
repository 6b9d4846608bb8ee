"""Permissions of the strategy app (objects: Municipality, Strategy, Goal)."""

import rules

from stadtlotse.core.models import Role
from stadtlotse.core.rules import has_role, is_admin, is_editor, is_unrestricted_editor

# The office owns the strategy; editors of all departments help write it.
rules.add_perm("strategy.add_strategy", is_admin | is_unrestricted_editor)
rules.add_perm("strategy.change_strategy", is_admin | is_unrestricted_editor)
# Consultation and adoption are the office's decisions.
rules.add_perm("strategy.publish_strategy", is_admin)
# Goals and their indicators: also editors limited to the goal's owner department.
rules.add_perm("strategy.change_goal", is_admin | is_editor)
rules.add_perm("strategy.measure_goal", is_admin | is_editor)
# Conformity reviews are the committee's; the office records them on its behalf.
rules.add_perm("strategy.review_strategy", is_admin | has_role(Role.COUNCIL, Role.COMMITTEE))
