#!/usr/bin/env bash
# Update the German message catalogues from the sources, then compile them (needs GNU gettext).
# The apps of the first release share src/stadtlotse/locale/; every later app keeps its own
# catalogue in <app>/locale/, so that parts built side by side never edit the same file.
# Translate new entries in the .po files, run again, commit the .po and .mo files.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export STADTLOTSE_MODE=test
stadtlotse="${STADTLOTSE_BIN:-$root/.venv/bin/stadtlotse}"
[ -x "$stadtlotse" ] || stadtlotse=stadtlotse
own_catalogue_apps=(governance council participation schools onlineservices reporting oparl)
cd "$root/src/stadtlotse"
ignore=()
for app in "${own_catalogue_apps[@]}"; do ignore+=(--ignore "$app/*"); done
"$stadtlotse" makemessages -l de --no-obsolete "${ignore[@]}"
for app in "${own_catalogue_apps[@]}"; do
  if [ -d "$app/locale" ]; then
    ( cd "$app" && "$stadtlotse" makemessages -l de --no-obsolete )
  fi
done
"$stadtlotse" compilemessages --ignore '.venv*'
for po in locale/de/LC_MESSAGES/django.po */locale/de/LC_MESSAGES/django.po; do
  [ -f "$po" ] || continue
  echo "$po: $(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid' || true) untranslated (incl. header)"
done
