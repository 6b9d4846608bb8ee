"""Round trip: Plauen's OParl output, read by the importer through the test client, becomes
Celle's data; everything OParl carries arrives unchanged, nothing confidential travels, and a
second run changes nothing."""

from __future__ import annotations

from stadtlotse.council.models import AgendaItem, ConsultationStep, Meeting, Paper, PaperRelation
from stadtlotse.governance.models import Body, BodyMembership, Faction, LegislativeTerm, Person
from stadtlotse.oparl.importer import run as runner
from stadtlotse.oparl.importer.fetch import Response, parse_json
from stadtlotse.oparl.models import RunStatus

from .conftest import SECRET


class ClientFetcher:
    """Reads our own server through Django's test client (no network)."""

    def __init__(self, client) -> None:
        self.client, self.requests = client, []

    def get(self, url: str) -> Response:
        self.requests.append(url)
        answer = self.client.get(url.removeprefix("http://testserver"))
        if answer.status_code != 200:
            return Response(url, problem="http_error", detail=f"HTTP {answer.status_code}")
        return parse_json(url, answer.content, answer["Content-Type"])

    def get_bytes(self, url: str):
        answer = self.client.get(url.removeprefix("http://testserver"))
        return b"".join(answer.streaming_content) if answer.status_code == 200 else None


def snapshot(municipality) -> dict:
    """What OParl carries of a municipality's public council data, without ids."""
    from stadtlotse.oparl import selectors

    papers = Paper.objects.filter(pk__in=selectors.readable_paper_ids(municipality))
    bodies = Body.objects.filter(municipality=municipality, visibility="public")
    return {
        "terms": sorted(LegislativeTerm.objects.filter(municipality=municipality).values_list("name", "start", "end")),
        "bodies": sorted(
            (
                b.name,
                b.short_name,
                b.kind,
                b.is_deciding,
                b.parent.name if b.parent else None,
                b.term.name if b.term else None,
            )
            for b in bodies
        ),
        "factions": sorted(Faction.objects.filter(municipality=municipality).values_list("name", "short_name")),
        "people": sorted(
            Person.objects.filter(municipality=municipality, visibility="public").values_list(
                "name", "email", "faction__name"
            )
        ),
        "seats": sorted(
            BodyMembership.objects.filter(body__in=bodies, person__visibility="public").values_list(
                "body__name", "person__name", "role", "faction__name", "start", "end"
            )
        ),
        "meetings": sorted(
            Meeting.objects.filter(body__in=bodies).values_list("body__name", "title", "start", "end", "location")
        ),
        "items": sorted(
            AgendaItem.objects.filter(meeting__body__in=bodies, public=True).values_list(
                "meeting__title", "number", "title", "order", "paper__reference"
            )
        ),
        "papers": sorted(papers.values_list("reference", "title", "kind", "date", "originator_faction__name")),
        "steps": sorted(
            ConsultationStep.objects.filter(paper__in=papers, public=True, body__in=bodies).values_list(
                "paper__reference", "body__name", "date", "meeting__start", "role", "result", "order"
            )
        ),
        "files": sorted((f.paper.reference, f.name, f.size, f.file.read()) for p in papers for f in p.files.all()),
        "relations": sorted(
            PaperRelation.objects.filter(source__in=papers, target__in=papers).values_list(
                "source__reference", "target__reference", "kind"
            )
        ),
    }


def test_round_trip_from_plauen_to_celle_is_lossless(anonymous, world, celle):
    from stadtlotse.council import services as council

    step = world.papers[2].steps.filter(public=True).first()
    council.update_step(step=step, by=None, result="amended")
    fetcher = ClientFetcher(anonymous)
    source = "http://testserver/oparl/v1/"
    run = runner.start_run(municipality=celle, source=source)
    log = runner.execute(run, fetcher=fetcher, entry=source, body_url="http://testserver/oparl/v1/plauen/")
    assert run.status == RunStatus.DONE, (run.error, log.problems[:5])
    expected, got = snapshot(world.municipality), snapshot(celle)
    for key in expected:
        assert got[key] == expected[key], key
    assert expected["files"] and expected["relations"] and expected["seats"]
    assert SECRET not in str(got)
    assert not Paper.objects.filter(municipality=celle, title__contains=SECRET).exists()
    assert not AgendaItem.objects.filter(municipality=celle, public=False).exists()

    again = runner.start_run(municipality=celle, source=source, incremental=False)
    log = runner.execute(again, fetcher=fetcher, entry=source, body_url="http://testserver/oparl/v1/plauen/")
    assert log.total("created") == log.total("updated") == log.total("deleted") == 0
    assert snapshot(celle) == got
