"""Permissions of the governance part (objects: Municipality or a governance object).

Reading follows visibility (``core.access``); the office for digitalization (administrator)
keeps people, factions, stakeholder groups, terms, bodies, their members and composition
rules, and the digital pilots.
"""

import rules

from stadtlotse.core.rules import is_admin

rules.add_perm("governance.manage_people", is_admin)
rules.add_perm("governance.manage_bodies", is_admin)
rules.add_perm("governance.manage_pilots", is_admin)
