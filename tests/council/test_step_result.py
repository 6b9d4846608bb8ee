"""Recording the result of a consultation step: on the paper's page and through the API, by the
administration only, with a clear message for a result that does not exist."""

import pytest

from stadtlotse.council.models import ConsultationResult


@pytest.fixture
def step(world):
    return world.motion.steps.get()


def test_the_administration_records_a_result_on_the_paper_page(world, step, admin, client_of):
    url = f"/plauen/intern/rat/vorlagen/{world.motion.pk}/"
    response = client_of(admin).post(url, {"action": "step_result", "step": step.pk,
                                           "result": ConsultationResult.ADOPTED}, follow=True)  # fmt: skip
    assert response.status_code == 200
    assert "Das Ergebnis wurde gespeichert." in response.content.decode()
    step.refresh_from_db()
    assert step.result == ConsultationResult.ADOPTED
    assert step.history.latest().history_user == admin


def test_an_unknown_result_is_refused_and_nothing_changes(world, step, admin, client_of):
    before = step.result
    response = client_of(admin).post(f"/plauen/intern/rat/vorlagen/{world.motion.pk}/",
                                     {"action": "step_result", "step": step.pk, "result": "vertagt-ins-nirgendwo"},
                                     follow=True)  # fmt: skip
    assert "Wählen Sie eines der angebotenen Ergebnisse." in response.content.decode()
    step.refresh_from_db()
    assert step.result == before


def test_a_step_of_another_paper_is_not_found(world, admin, client_of):
    other = world.secret.steps.first()
    response = client_of(admin).post(f"/plauen/intern/rat/vorlagen/{world.motion.pk}/",
                                     {"action": "step_result", "step": other.pk, "result": ConsultationResult.ADOPTED})
    assert response.status_code == 404


def test_readers_may_not_record_results(world, step, reader, client_of):
    response = client_of(reader).post(f"/plauen/intern/rat/vorlagen/{world.motion.pk}/",
                                      {"action": "step_result", "step": step.pk, "result": ConsultationResult.ADOPTED})
    assert response.status_code == 403
    step.refresh_from_db()
    assert step.result != ConsultationResult.ADOPTED


def test_the_api_records_a_result(world, step, admin, client_of, django_assert_max_num_queries):
    client = client_of(admin)
    url = f"/api/v1/plauen/council/papers/{world.motion.pk}/steps/{step.pk}"
    with django_assert_max_num_queries(30):
        response = client.patch(url, {"result": ConsultationResult.ADOPTED}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["result"] == ConsultationResult.ADOPTED
    bad = client.patch(url, {"result": "nirgendwo"}, content_type="application/json")
    assert bad.status_code == 422


@pytest.mark.parametrize("persona", [None, "citizen", "celle_admin"])
def test_the_api_refuses_outsiders(world, step, persona, request, client_of, anonymous):
    client = client_of(request.getfixturevalue(persona)) if persona else anonymous
    url = f"/api/v1/plauen/council/papers/{world.motion.pk}/steps/{step.pk}"
    response = client.patch(url, {"result": ConsultationResult.ADOPTED}, content_type="application/json")
    assert response.status_code in (401, 403, 404)
    step.refresh_from_db()
    assert step.result != ConsultationResult.ADOPTED
