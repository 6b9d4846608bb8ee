"""``stadtlotse import-oparl URL-or-FILE --municipality SLUG``: import from an OParl system."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stadtlotse.core.models import Municipality
from stadtlotse.oparl.importer import run as runner
from stadtlotse.oparl.models import RunStatus


class Command(BaseCommand):
    help = (
        "Import bodies, people, memberships, meetings and papers from an OParl 1.0/1.1 system (an http(s) "
        "address, a directory or a zip/tar archive of OParl JSON). Re-runs update what changed; by default "
        "only what changed since the last finished import of the same source is read (modified_since)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="URL of the System or Body, or a directory / archive / JSON file")
        parser.add_argument("--municipality", required=True, help="slug of the municipality to import into")
        parser.add_argument("--full", action="store_true", help="read everything, not only what changed")
        parser.add_argument("--body", help="URL of the Body to import when the system has several")

    def handle(self, *args, source: str, municipality: str, full: bool, body: str | None, **options) -> None:
        town = Municipality.objects.filter(slug=municipality).first()
        if town is None:
            raise CommandError(_("There is no municipality with the short name %(slug)s.") % {"slug": municipality})
        try:
            fetcher, entry = runner.open_source(source)
        except runner.SourceError as exc:
            raise CommandError(str(exc)) from None
        run = runner.start_run(municipality=town, source=source, incremental=not full)
        if run.modified_since:
            self.stdout.write(_("Only changes since %(when)s.") % {"when": run.modified_since.isoformat()})
        log = runner.execute(run, fetcher=fetcher, entry=entry, body_url=body)
        for line in log.summary_lines():
            self.stdout.write(line)
        self.stdout.write(
            _("%(seen)d objects read, %(problems)d problems (import #%(pk)d).")
            % {"seen": log.seen, "problems": sum(log.problem_counts.values()), "pk": run.pk}
        )
        if run.status == RunStatus.FAILED:
            raise CommandError(run.error)
