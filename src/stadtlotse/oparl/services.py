"""Writes of the OParl part: starting an import run (the run itself is in ``importer.run``)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtlotse.core.models import Municipality, User
from stadtlotse.core.services import require

from .importer import run as runner
from .models import ImportRun

STALE_AFTER = timedelta(hours=12)  # a run still "running" after this lost its worker; a new one may start


def request_import(*, municipality: Municipality, source: str, by: User | None, incremental: bool = True) -> ImportRun:
    """Queue an import from an http(s) address as a background task; the run row shows its
    progress. Only administrators may import; a run of the same municipality still going on is
    not started twice."""
    require(by, "oparl.run_import", municipality)
    source = (source or "").strip()
    if urlsplit(source).scheme.lower() not in {"http", "https"} or not urlsplit(source).netloc:
        raise ValidationError({"source": _("Give an http or https address.")})
    with transaction.atomic():
        busy = ImportRun.objects.select_for_update().filter(
            municipality=municipality, status__in=["queued", "running"], created__gte=timezone.now() - STALE_AFTER
        )
        if busy.exists():
            raise ValidationError(_("An import of this municipality is still running."))
        run = runner.start_run(municipality=municipality, source=source, by=by, incremental=incremental)
    from .tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run
