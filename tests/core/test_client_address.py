"""Behind a reverse proxy the client's address comes from the proxy's X-Forwarded-For entry;
without one the header is ignored, so nobody dodges a rate limit or the login lock-out by
sending it."""

from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from stadtlotse.core.middleware import ClientAddressMiddleware


def _address_seen(**meta) -> str:
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse("ok")

    ClientAddressMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **meta))
    return seen["address"]


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_the_address_it_appended_counts():
    assert _address_seen(HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7") == "198.51.100.7"
    assert _address_seen(HTTP_X_FORWARDED_FOR="2001:db8::1") == "2001:db8::1"


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_garbage_in_the_header_is_ignored():
    assert _address_seen(HTTP_X_FORWARDED_FOR="203.0.113.9, <script>") == "127.0.0.1"
    assert _address_seen() == "127.0.0.1"


@override_settings(BEHIND_PROXY=False)
def test_without_a_proxy_the_header_is_ignored():
    assert _address_seen(HTTP_X_FORWARDED_FOR="198.51.100.7") == "127.0.0.1"


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
