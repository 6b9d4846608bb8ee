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
