"""The client's address: behind a reverse proxy the server takes it from the proxy's
X-Forwarded-For entry (waitress' trusted-proxy support); without one the header counts for
nothing, so nobody dodges a rate limit or the login lock-out by sending it. The whole way
through the production server is exercised by ``bench/loadtest.py``."""

from django.test import override_settings

from stadtlotse.core.server import server_options


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY="10.0.0.2")
def test_behind_a_proxy_waitress_trusts_that_proxy_for_one_hop():
    options = server_options()
    assert options["trusted_proxy"] == "10.0.0.2"
    assert options["trusted_proxy_count"] == 1
    assert options["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}
    assert options["clear_untrusted_proxy_headers"] is True


@override_settings(BEHIND_PROXY=False)
def test_without_a_proxy_no_forwarded_header_is_trusted():
    options = server_options()
    assert "trusted_proxy" not in options
    assert options["clear_untrusted_proxy_headers"] is True


def test_waitress_accepts_the_options():
    from waitress.adjustments import Adjustments

    with override_settings(BEHIND_PROXY=True):
        adjustments = Adjustments(**{k: v for k, v in server_options().items() if k != "ident"}, ident="x")
    assert adjustments.trusted_proxy == "127.0.0.1"


def test_the_login_lock_out_cannot_be_dodged_by_the_header(db, client, settings):
    from stadtlotse.core.models import User

    User.objects.create_user(username="opfer", password="richtig-und-lang-genug")
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post("/konto/anmelden/", {"username": "opfer", "password": "falsch"},
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")  # fmt: skip
    response = client.post("/konto/anmelden/", {"username": "opfer", "password": "richtig-und-lang-genug"},
                           HTTP_X_FORWARDED_FOR="198.51.100.200")  # fmt: skip
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
