#!/usr/bin/env bash
# Update the German message catalogue from the sources, then compile it (needs GNU gettext).
# Translate new entries in src/stadtlotse/locale/de/LC_MESSAGES/django.po, run again, commit both files.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/src/stadtlotse"
export STADTLOTSE_MODE=test
stadtlotse="${STADTLOTSE_BIN:-$root/.venv/bin/stadtlotse}"
[ -x "$stadtlotse" ] || stadtlotse=stadtlotse
"$stadtlotse" makemessages -l de --no-obsolete
"$stadtlotse" compilemessages
grep -c '^msgstr ""$' locale/de/LC_MESSAGES/django.po | xargs -I{} echo "entries (incl. header and multi-line) with empty msgstr: {}"
