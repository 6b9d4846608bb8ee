"""Permissions of the OParl part. Serving OParl needs none: it serves public data only.

Importing writes bodies, people, meetings and papers of a municipality, so it is for its
administrators (the office that runs the platform) alone."""

import rules

from stadtlotse.core.rules import is_admin

rules.add_perm("oparl.run_import", is_admin)
