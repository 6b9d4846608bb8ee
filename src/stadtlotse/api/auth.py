"""Authentication of API requests: a personal bearer token, else the browser session.

Anonymous requests pass as ``AnonymousUser`` and see public data only; the access funnel
and the permission layer decide the rest, exactly as for pages. Session requests that
change data must carry the CSRF token, as forms do.
"""

from django.conf import settings
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie

from stadtlotse.core.services import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            raise HttpError(401, "The API token is unknown or revoked.")
        request.user = user
        return user


class SessionOrAnonymous(APIKeyCookie):
    """The signed-in browser session, or an anonymous visitor."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            return request.COOKIES.get(self.param_name)
        return super()._get_key(request)

    def authenticate(self, request, key):
        return request.user


AUTH = [TokenAuth(), SessionOrAnonymous()]
