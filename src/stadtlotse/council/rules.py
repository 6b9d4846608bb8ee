"""Permissions of the council app (objects: Municipality or a council object).

Reads are decided by ``council.selectors`` (the confidentiality rule); these predicates decide
who may change council data: the administration that prepares papers and keeps the records.
"""

import rules

from stadtlotse.core.models import Role
from stadtlotse.core.rules import has_role, is_admin, is_internal

is_administration = has_role(Role.ADMIN, Role.EDITOR, Role.FINANCE)

# Internal council pages: every internal role (what each sees is narrowed by the selectors).
rules.add_perm("council.view_council", is_internal)
# Papers, their relations, files and consultation steps; meetings, agenda items and mandates.
rules.add_perm("council.change_paper", is_admin | has_role(Role.EDITOR))
# Generating a paper draft from a project or a strategy version.
rules.add_perm("council.draft_paper", is_admin | has_role(Role.EDITOR))
# The generic history page of council objects. Council and committee members read the history
# of the papers and meetings of their own bodies through the council's own history page, which
# applies the confidentiality rule; the generic page knows only visibility levels.
rules.add_perm("council.view_any_history", is_administration)
