"""The internal import page: who may use it, the background task it starts (run at once in
tests), the run's page with progress, counts and problems; the public information page."""

from __future__ import annotations

import pytest

from stadtlotse.governance.models import Body
from stadtlotse.oparl.importer import run as runner
from stadtlotse.oparl.models import ImportRun, RunStatus

from .test_sources import S, server  # noqa: F401  (the local HTTP server fixture)

PAGE = "/oparl/v1/plauen/intern/import/"


def _serve_body(server, organizations: int = 3) -> str:  # noqa: F811
    base = server.base
    server.json("/system", {"id": f"{base}/system", "type": S + "System", "body": f"{base}/bodies"})
    body = {"id": f"{base}/body", "type": S + "Body", "name": "X", "organization": f"{base}/orgs"}
    server.json("/bodies", {"data": [body], "links": {}})
    orgs = [{"id": f"{base}/o/{n}", "type": S + "Organization", "name": f"Ausschuss {n}"} for n in range(organizations)]
    server.json("/orgs", {"data": orgs + [{"id": f"{base}/o/0", "type": S + "Organization"}], "links": {}})
    return f"{base}/system"


def test_admin_starts_an_import_that_runs_as_a_task(client_of, admin, server, django_capture_on_commit_callbacks):  # noqa: F811
    client = client_of(admin)
    source = _serve_body(server)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(PAGE, {"source": source, "incremental": "on"})
    run = ImportRun.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"{PAGE}{run.pk}/"
    assert run.status == RunStatus.DONE_WITH_PROBLEMS and run.requested_by == admin
    assert run.counts["Organization"]["created"] == 3
    assert Body.objects.filter(municipality=admin.memberships.get().municipality).count() == 3
    assert Body.history.filter(history_user=admin).count() == 3  # the audit trail names the admin
    page = client.get(answer["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{server.base}/o/0" in text  # the duplicate is listed as a problem
    assert "hx-get" not in text  # finished: no more polling


def test_a_running_import_is_polled_and_answers_a_partial(client_of, admin, plauen):
    run = runner.start_run(municipality=plauen, source="https://ris.example.org/oparl")
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress="Vorlagen: 250", objects_seen=250)
    client = client_of(admin)
    page = client.get(f"{PAGE}{run.pk}/").content.decode()
    assert "hx-get" in page and "Vorlagen: 250" in page
    partial = client.get(f"{PAGE}{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="run-progress"') and "<html" not in partial
    answer = client.post(PAGE, {"source": "https://ris.example.org/oparl"})
    assert "still running" in answer.content.decode() or "läuft noch" in answer.content.decode()
    assert ImportRun.objects.count() == 1


@pytest.mark.parametrize("source", ["ftp://ris.example.org/", "kein link", ""])
def test_bad_addresses_are_refused_on_the_page(client_of, admin, source):
    answer = client_of(admin).post(PAGE, {"source": source})
    assert answer.status_code == 200
    assert "kern-form-input--error" in answer.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("staff", 403), ("council", 403), ("citizen", 403), ("celle_admin", 403)]
)
def test_only_administrators_may_import(request, client_of, plauen, persona, status):
    client = client_of(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == status
    assert client.post(PAGE, {"source": "https://ris.example.org/"}).status_code == status
    assert not ImportRun.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(anonymous, plauen):
    answer = anonymous.get(PAGE)
    assert answer.status_code == 302 and "/konto/anmelden/" in answer["Location"]


def test_another_municipalitys_run_is_not_found(client_of, admin, celle):
    run = runner.start_run(municipality=celle, source="https://ris.example.org/oparl")
    assert client_of(admin).get(f"{PAGE}{run.pk}/").status_code == 404


@pytest.mark.parametrize("runs", [2, 12])
def test_pages_use_a_fixed_number_of_queries(client_of, admin, plauen, runs, django_assert_max_num_queries):
    for n in range(runs):
        run = runner.start_run(municipality=plauen, source=f"https://ris.example.org/{n}")
        runner._store(run, runner.ImportLog())
    client = client_of(admin)
    with django_assert_max_num_queries(12):
        assert client.get(PAGE).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"{PAGE}{run.pk}/").status_code == 200


def test_public_information_page(anonymous, plauen, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        answer = anonymous.get("/oparl/v1/plauen/info/")
    assert answer.status_code == 200
    assert "http://testserver/oparl/v1/plauen/" in answer.content.decode()


def test_a_run_that_lost_its_worker_does_not_block_for_ever(client_of, admin, plauen, time_machine):
    from stadtlotse.oparl import services

    time_machine.move_to("2031-05-01T12:00:00+02:00")
    old = runner.start_run(municipality=plauen, source="https://ris.example.org/oparl")
    ImportRun.objects.filter(pk=old.pk).update(status=RunStatus.RUNNING)
    time_machine.move_to("2031-05-02T12:00:00+02:00")
    run = services.request_import(municipality=plauen, source="https://ris.example.org/oparl", by=admin)
    assert run.pk != old.pk and run.modified_since is None
