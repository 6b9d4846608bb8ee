from django.conf import settings
from django.utils import translation


class LanguageCookieMiddleware:
    """German unless the person chose English with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language header; a German
    administration's portal speaks German first, whatever the browser says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class ClientAddressMiddleware:
    """Behind a reverse proxy (``BEHIND_PROXY``), the client's address is the last one in
    X-Forwarded-For, the one the proxy itself appended; it becomes ``REMOTE_ADDR``, so that rate
    limits and the login lock-out count each citizen, not the proxy. Without a proxy the header
    is ignored: anyone could send it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.BEHIND_PROXY

    def __call__(self, request):
        if self.enabled:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            last = forwarded.rsplit(",", 1)[-1].strip()
            if last and _is_address(last):
                request.META["REMOTE_ADDR"] = last
        return self.get_response(request)


def _is_address(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
