"""One import run: open the source, follow System → Body → lists, map every object, keep the log.

``open_source`` decides what a source is (an http(s) URL, a directory, a zip/tar archive or a
single JSON file) and refuses what is none of them with a translated ``SourceError``. ``execute``
runs the import into an ``ImportRun`` row: the whole run fails only when the entry object cannot
be read; everything else is a counted problem and the import goes on.

Incremental runs: lists are read with ``modified_since`` set to the start of the last run of the
same source into the same municipality that finished, so a nightly sync reads and writes only
what changed (servers that ignore the filter still cost no writes: unchanged objects are
recognised by their fingerprint).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..dates import format_datetime
from ..models import MAX_PROBLEMS_STORED, ImportProblem, ImportRun, ProblemKind, RunStatus
from . import fetch, walk
from . import values as v
from .log import ImportLog
from .mapping import Mapper

PROGRESS_EVERY = 25


class SourceError(Exception):
    """The source cannot be read at all (the message is translated and shown as it is)."""


def open_source(source: str) -> tuple[fetch.Fetcher, str]:
    """A fetcher for the source and the address of its entry object (System or Body)."""
    source = (source or "").strip()
    scheme = urlsplit(source).scheme.lower()
    if scheme in {"http", "https"}:
        return fetch.HttpFetcher(), source
    if scheme and len(scheme) > 1:
        raise SourceError(
            _("Only http and https addresses, directories and archives can be read: %(source)s")
            % {"source": source[:200]}
        )
    path = Path(source)
    if not path.exists():
        raise SourceError(_("There is no file or directory %(source)s.") % {"source": source[:200]})
    if path.is_dir():
        fetcher = fetch.DirectoryFetcher(path)
    elif fetch.is_archive(path):
        fetcher = fetch.ArchiveFetcher(path)
    else:
        fetcher = _single_file(path)
    entry = fetcher.entry()
    if entry is None:
        raise SourceError(_("The source holds no OParl System or Body."))
    return fetcher, entry


def _single_file(path: Path) -> fetch.Fetcher:
    parsed = fetch.parse_json(str(path), path.read_bytes()[: fetch.MAX_BYTES + 1])
    if not parsed.ok:
        raise SourceError(_("%(name)s is not a JSON file (nor a zip or tar archive).") % {"name": path.name})
    source = _OneFile(path)
    return source


class _OneFile(fetch.DirectoryFetcher):
    """A single JSON file (a System or Body, with what it embeds)."""

    def __init__(self, path: Path) -> None:
        fetch._FileSource.__init__(self)
        self.root = path.parent
        self._names = {path.name}
        self.scan()


@dataclass
class ListState:
    read: int = 0


class Importer:
    """Walks one Body of a source and maps what it finds into one municipality."""

    def __init__(
        self,
        municipality,
        fetcher,
        log: ImportLog,
        *,
        by=None,
        params: dict | None = None,
        on_progress: Callable[[str], None] | None = None,
    ) -> None:
        self.fetcher, self.log, self.params = fetcher, log, params or {}
        self.mapper = Mapper(municipality, fetcher, log, by=by)
        self.on_progress = on_progress or (lambda text: None)
        self.municipality = municipality

    def entry_body(self, entry: str, body_url: str | None = None) -> dict:
        """The Body to import: the entry itself, or the System's body (by address, by AGS, or the first)."""
        response = self.fetcher.get(entry)
        if not response.ok:
            raise SourceError(
                _("The entry %(url)s could not be read: %(problem)s %(detail)s")
                % {"url": entry[:200], "problem": ProblemKind(response.problem).label, "detail": response.detail}
            )
        top = response.data
        kind = v.type_name(top) if isinstance(top, dict) else None
        if kind == "Body":
            return top
        if kind != "System":
            raise SourceError(_("The entry %(url)s is neither an OParl System nor a Body.") % {"url": entry[:200]})
        bodies = list(self._list("Body", top.get("body"), with_filter=False))
        if body_url:
            bodies = [b for b in bodies if b.get("id") == body_url] or [walk.resolve(self.fetcher, body_url, self.log)]
        bodies = [b for b in bodies if isinstance(b, dict)]
        if not bodies:
            raise SourceError(_("The system %(url)s lists no body.") % {"url": entry[:200]})
        same_ags = [b for b in bodies if str(b.get("ags", "")).strip() == self.municipality.ags]
        if len(bodies) > 1 and not same_ags and not body_url:
            self.log.problem("unexpected_type", entry, f"{len(bodies)} bodies, the first one taken")
        return (same_ags or bodies)[0]

    def _list(self, kind: str, url, with_filter: bool = True) -> Iterator[dict]:
        """An external list; from a dump without that list, every stored object of the type."""
        state = ListState()
        if isinstance(url, str) and url:
            params = self.params if with_filter else {}
            yield from walk.objects(self.fetcher, url, self.log, params, state=state)
        if state.read == 0 and hasattr(self.fetcher, "objects_of_type"):
            ids: set[str] = set()
            for obj in self.fetcher.objects_of_type(kind):
                if isinstance(obj.get("id"), str) and obj["id"] not in ids:
                    ids.add(obj["id"])
                    self.log.seen += 1
                    yield obj

    def _take_all(self, label: str, kind: str, objects, handler) -> None:
        """Take over the objects in batches of ``PROGRESS_EVERY``: a batch is read first (so no
        transaction waits for the network), then written in one transaction (each object in its
        own savepoint), then the progress is reported."""
        objects, number = iter(objects), 0
        while batch := list(islice(objects, PROGRESS_EVERY)):
            with transaction.atomic():
                for obj in batch:
                    self.mapper.take(kind, obj, handler)
            number += len(batch)
            self.on_progress(f"{label}: {number}")
        self.on_progress(label)

    def run(self, body: dict) -> None:
        m = self.mapper
        terms = v.embedded(body, "legislativeTerm", [])
        self._take_all(
            _("Legislative terms"),
            "LegislativeTerm",
            (walk.resolve(self.fetcher, t, self.log) or t for t in terms),
            m.import_term,
        )
        if isinstance(body.get("legislativeTermList"), str):
            self._take_all(
                _("Legislative terms"),
                "LegislativeTerm",
                walk.objects(self.fetcher, body["legislativeTermList"], self.log),
                m.import_term,
            )
        self._take_all(
            _("Organizations"),
            "Organization",
            self._list("Organization", body.get("organization")),
            m.import_organization,
        )
        m.link_parents()
        self._take_all(_("People"), "Person", self._list("Person", body.get("person")), m.import_person)
        if isinstance(body.get("membership"), str):
            self._take_all(
                _("Memberships"), "Membership", self._list("Membership", body["membership"]), m.import_membership
            )
        self._take_all(_("Meetings"), "Meeting", self._list("Meeting", body.get("meeting")), m.import_meeting)
        self._take_all(_("Papers"), "Paper", self._list("Paper", body.get("paper")), m.import_paper)
        m.link_relations()


def last_finished(municipality, source: str):
    """The last run of this source into this municipality that finished (with or without problems)."""
    return (
        ImportRun.objects.filter(
            municipality=municipality, source=source, status__in=[RunStatus.DONE, RunStatus.DONE_WITH_PROBLEMS]
        )
        .order_by("-started")
        .first()
    )


def start_run(*, municipality, source: str, by=None, incremental: bool = True) -> ImportRun:
    """A queued run; ``modified_since`` is the start of the last finished run of the same source."""
    previous = last_finished(municipality, source) if incremental else None
    return ImportRun.objects.create(
        municipality=municipality,
        source=source[:1000],
        incremental=incremental,
        modified_since=previous.started if previous else None,
        requested_by=by,
    )


def execute(run: ImportRun, *, fetcher=None, entry: str | None = None, body_url: str | None = None) -> ImportLog:
    """Run the import of ``run`` now; the row holds status, progress, counts and problems after."""
    log = ImportLog(keep=MAX_PROBLEMS_STORED)
    run.status, run.started = RunStatus.RUNNING, timezone.now()
    run.save(update_fields=["status", "started"])

    def progress(text: str) -> None:
        run.progress, run.objects_seen = text[:300], log.seen
        ImportRun.objects.filter(pk=run.pk).update(progress=run.progress, objects_seen=log.seen)

    try:
        if fetcher is None:
            fetcher, entry = open_source(run.source)
        zone = timezone.get_default_timezone()
        params = {"modified_since": format_datetime(run.modified_since, zone)} if run.modified_since else {}
        importer = Importer(run.municipality, fetcher, log, by=run.requested_by, params=params, on_progress=progress)
        importer.run(importer.entry_body(entry or run.source, body_url))
    except SourceError as exc:
        run.status, run.error = RunStatus.FAILED, str(exc)
    except Exception as exc:  # a defect: the run must not stay "running" for ever
        run.status, run.error = RunStatus.FAILED, _("Internal error: %(error)s") % {"error": str(exc)[:300]}
        _store(run, log)
        raise
    else:
        run.status = RunStatus.DONE_WITH_PROBLEMS if log.problem_counts else RunStatus.DONE
    _store(run, log)
    return log


@transaction.atomic
def _store(run: ImportRun, log: ImportLog) -> None:
    run.finished = timezone.now()
    run.objects_seen, run.counts, run.problem_counts = log.seen, log.as_counts(), dict(log.problem_counts)
    run.progress = "" if run.status == RunStatus.FAILED else _("Finished")
    run.save()
    ImportProblem.objects.bulk_create(
        ImportProblem(run=run, kind=p.kind, url=p.url, detail=p.detail) for p in log.problems
    )
