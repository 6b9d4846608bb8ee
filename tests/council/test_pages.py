"""Pages and API: they render, writes work through them, and every page and endpoint reads a
fixed number of queries at two data sizes (3 and 30 extra papers with steps, relations,
mandates and agenda items)."""

from __future__ import annotations

from datetime import date

import pytest

from stadtlotse.council.models import Mandate, Paper, PaperRelation

from .conftest import build_world, seat

PAGES = [
    ("anonymous", "/plauen/rat/", 14),
    ("anonymous", "/plauen/rat/vorlagen/", 8),
    ("anonymous", "/plauen/rat/vorlagen/?q=Vorlage&kind=motion&year=2021", 8),
    ("anonymous", "/plauen/rat/vorlagen/{motion}/", 18),
    ("anonymous", "/plauen/rat/sitzungen/", 8),
    ("anonymous", "/plauen/rat/sitzungen/{meeting}/", 10),
    ("anonymous", "/plauen/rat/vorlagen.csv", 8),
    ("anonymous", "/plauen/rat/kalender.ics", 10),
    ("member", "/plauen/rat/kalender.ics", 12),
    ("member", "/plauen/intern/rat/", 18),
    ("member", "/plauen/intern/rat/vorlagen/", 12),
    ("member", "/plauen/intern/rat/vorlagen/{motion}/", 22),
    ("member", "/plauen/intern/rat/sitzungen/{meeting}/", 14),
    ("member", "/plauen/intern/rat/auftraege/", 12),
    ("member", "/plauen/intern/rat/verlauf/paper/{motion}/", 16),
    ("admin", "/plauen/intern/rat/vorlagen/{motion}/", 32),
    ("admin", "/plauen/intern/rat/vorlagen/{motion}/bearbeiten/", 24),
    ("admin", "/plauen/intern/rat/vorlagen/neu/", 20),
    ("admin", "/plauen/intern/rat/sitzungen/", 16),
    ("admin", "/plauen/intern/rat/sitzungen/{meeting}/", 20),
    ("admin", "/plauen/intern/rat/auftraege/{mandate}/", 20),
    ("admin", "/plauen/intern/rat/entwurf/", 14),
    ("member", "/plauen/rat/vorlagen.csv", 10),
    ("anonymous", "/api/v1/plauen/council/papers", 8),
    ("member", "/api/v1/plauen/council/papers?q=Vorlage", 10),
    ("member", "/api/v1/plauen/council/papers/{motion}", 16),
    ("member", "/api/v1/plauen/council/meetings", 10),
    ("member", "/api/v1/plauen/council/meetings/{meeting}", 12),
    ("member", "/api/v1/plauen/council/mandates", 10),
]


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("who, url, limit", PAGES)
def test_pages_read_a_fixed_number_of_queries(client_of, plauen, celle, request, django_assert_max_num_queries,
                                              size, who, url, limit):  # fmt: skip
    from stadtlotse.core.models import Role
    from tests.conftest import make_user

    world = build_world(plauen, celle, size=size)
    if who == "member":
        user = make_user("member", plauen, Role.COUNCIL)
        seat(user, world.committee)
    else:
        user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_of(user)
    target = url.format(motion=world.motion.pk, meeting=world.meeting.pk, mandate=world.mandate.pk)
    with django_assert_max_num_queries(limit):
        response = client.get(target)
    assert response.status_code == 200, target
    if "vorlagen/{motion}" in url and who != "admin" and "bearbeiten" not in url and "api" not in url:
        # The motion is followed up by every extra paper: all of them are listed, both ways.
        assert response.content.decode().count("Weitere Vorlage") == size


def test_admin_creates_a_paper_with_links_relates_it_and_adds_a_mandate(client_of, admin, world):
    client = client_of(admin)
    response = client.post("/plauen/intern/rat/vorlagen/neu/", {
        "kind": "resolution", "reference": "B-1/21", "date": "2021-10-01", "title": "Beschluss Digitalstrategie",
        "originator_kind": "mayor", "lead_department": world.department.pk, "visibility": "public",
        "text": "**Der Stadtrat beschließt** <script>alert(1)</script>"})  # fmt: skip
    paper = Paper.objects.get(reference="B-1/21")
    assert response.status_code == 302 and response["Location"].endswith(f"/vorlagen/{paper.pk}/")
    response = client.post(f"/plauen/intern/rat/vorlagen/{paper.pk}/", {
        "action": "relation", "relation-kind": "follows_up", "relation-target": world.motion.pk})  # fmt: skip
    assert response.status_code == 302
    assert PaperRelation.objects.filter(source=paper, target=world.motion, kind="follows_up").exists()
    response = client.post(f"/plauen/intern/rat/vorlagen/{paper.pk}/", {
        "action": "mandate", "mandate-title": "Entwurf vorlegen", "mandate-due_date": "2021-12-15",
        "mandate-due_text": "bis Mitte Dezember", "mandate-department": world.department.pk})  # fmt: skip
    assert response.status_code == 302
    assert Mandate.objects.get(paper=paper).due_date == date(2021, 12, 15)
    response = client.post(f"/plauen/intern/rat/vorlagen/{paper.pk}/", {
        "action": "step", "step-body": world.council_body.pk, "step-date": "2021-10-12", "step-public": "on",
        "step-role": "decision", "step-result": "adopted"})  # fmt: skip
    assert response.status_code == 302
    page = client_of(None).get(f"/plauen/rat/vorlagen/{paper.pk}/").content.decode()
    assert "<strong>Der Stadtrat beschließt</strong>" in page and "<script>alert(1)</script>" not in page
    assert "beschlossen" in page and "Entwurf vorlegen" in page
    motion_page = client_of(None).get(f"/plauen/rat/vorlagen/{world.motion.pk}/").content.decode()
    assert "fortgeführt durch" in motion_page and "Beschluss Digitalstrategie" in motion_page


def test_admin_fulfils_a_mandate_with_a_paper(client_of, admin, world):
    response = client_of(admin).post(f"/plauen/intern/rat/auftraege/{world.mandate.pk}/", {
        "fulfilled_on": "2021-12-10", "fulfilled_by": world.statement.pk})  # fmt: skip
    assert response.status_code == 302
    world.mandate.refresh_from_db()
    assert world.mandate.fulfilled_by == world.statement
    page = client_of(admin).get(f"/plauen/intern/rat/vorlagen/{world.statement.pk}/").content.decode()
    assert "Diese Vorlage erledigt:" in page and world.mandate.title in page


def test_fulfilling_paper_that_is_confidential_is_not_named_to_outsiders(client_of, council, admin, world):
    from stadtlotse.council import services

    services.fulfil_mandate(mandate=world.mandate, by=admin, fulfilled_on=date(2021, 12, 1), fulfilled_by=world.secret)
    page = client_of(council).get(f"/plauen/intern/rat/vorlagen/{world.motion.pk}/").content.decode()
    assert "erledigt" in page and world.secret.reference not in page
    public = client_of(None).get(f"/plauen/rat/vorlagen/{world.motion.pk}/").content.decode()
    assert world.secret.reference not in public


def test_api_writes_for_the_administration(client_of, admin, world):
    client = client_of(admin)
    response = client.post(
        "/api/v1/plauen/council/papers",
        {
            "kind": "inquiry",
            "reference": "AF-7/21",
            "date": "2021-10-01",
            "title": "Anfrage WLAN",
            "originator_kind": "faction",
            "originator_faction_id": world.faction.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    paper_id = response.json()["id"]
    assert response.json()["originator"] == "SPD/Grüne/Initiative"
    duplicate = client.post("/api/v1/plauen/council/papers", {
        "kind": "inquiry", "reference": "AF-7/21", "date": "2021-10-01", "title": "Noch einmal",
        "originator_kind": "mayor"}, content_type="application/json")  # fmt: skip
    assert duplicate.status_code == 422 and "AF-7/21" in duplicate.json()["detail"]
    response = client.post(
        f"/api/v1/plauen/council/papers/{paper_id}/relations",
        {"target_id": world.motion.pk, "kind": "follows_up"},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.patch(f"/api/v1/plauen/council/papers/{paper_id}", {"title": "Anfrage Schul-WLAN"},
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["title"] == "Anfrage Schul-WLAN"
    detail = client_of(None).get(f"/api/v1/plauen/council/papers/{world.motion.pk}").json()
    assert {"label": "fortgeführt durch", "paper_id": paper_id, "reference": "AF-7/21"} in detail["relations"]


def test_api_refuses_writes_to_the_public_and_council(client_of, council, world):
    payload = {"kind": "inquiry", "reference": "X", "date": "2021-10-01", "title": "X", "originator_kind": "mayor"}
    assert client_of(None).post("/api/v1/plauen/council/papers", payload,
                                content_type="application/json").status_code == 401  # fmt: skip
    assert client_of(council).post("/api/v1/plauen/council/papers", payload,
                                   content_type="application/json").status_code == 403  # fmt: skip
    assert client_of(council).post(f"/api/v1/plauen/council/papers/{world.motion.pk}/mandates",
                                   {"title": "x", "due_date": "2030-01-01"},
                                   content_type="application/json").status_code == 403  # fmt: skip
    assert not Paper.objects.filter(reference="X").exists()


def test_unknown_objects_are_404_in_pages_and_api(client_of, admin, world):
    client = client_of(admin)
    for url in ("/plauen/rat/vorlagen/999999/", "/plauen/intern/rat/vorlagen/999999/",
                "/plauen/rat/sitzungen/999999/", "/plauen/intern/rat/auftraege/999999/",
                "/plauen/intern/rat/verlauf/paper/999999/", "/plauen/intern/rat/verlauf/unknown/1/",
                f"/plauen/rat/vorlagen/{world.motion.pk}/dateien/999999/",
                "/api/v1/plauen/council/papers/999999", "/api/v1/atlantis/council/papers",
                "/atlantis/rat/"):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_admin_removes_a_step_a_relation_and_a_file(client_of, admin, council, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stadtlotse.council import services
    from stadtlotse.council.models import ConsultationStep, PaperFile

    settings.MEDIA_ROOT = tmp_path
    stored = services.attach_file(paper=world.statement, by=admin, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n"))
    step = services.add_step(paper=world.statement, by=admin, body=world.council_body, date=date(2021, 10, 1),
                             public=True, role="information")  # fmt: skip
    relation = PaperRelation.objects.get(source=world.statement, target=world.motion)
    url = f"/plauen/intern/rat/vorlagen/{world.statement.pk}/entfernen/"
    page = client_of(admin).get(f"/plauen/intern/rat/vorlagen/{world.statement.pk}/").content.decode()
    assert page.count('name="kind" value=') == 3  # one remove button each
    assert client_of(council).post(url, {"kind": "step", "id": step.pk}).status_code == 403
    for kind, pk in (("step", step.pk), ("relation", relation.pk), ("file", stored.pk)):
        assert client_of(admin).post(url, {"kind": kind, "id": pk}).status_code == 302
    assert not ConsultationStep.objects.filter(pk=step.pk).exists()
    assert not PaperRelation.objects.filter(pk=relation.pk).exists()
    assert not PaperFile.objects.filter(pk=stored.pk).exists()
    # Another paper's step cannot be removed through this paper.
    other = world.motion.steps.first()
    assert client_of(admin).post(url, {"kind": "step", "id": other.pk}).status_code == 404
    assert ConsultationStep.objects.filter(pk=other.pk).exists()
