"""Permissions of the participation app (objects: Municipality, Phase, Contribution)."""

import rules

from stadtlotse.core.models import Role
from stadtlotse.core.rules import has_role, is_admin

# The office and the departments' staff run phases, answer and moderate.
is_office = is_admin | has_role(Role.EDITOR)

rules.add_perm("participation.manage_phase", is_office)
rules.add_perm("participation.answer_contribution", is_office)
rules.add_perm("participation.moderate_contribution", is_office)
# Blocking a person is the office's decision alone.
rules.add_perm("participation.block_user", is_admin)
