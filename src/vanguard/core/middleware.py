"""Chinese first: the interface language is the user's choice, else Chinese.

Django's LocaleMiddleware would follow the browser's Accept-Language, which shows
English to anyone whose browser was set up in English. Here only the language cookie
(set by the switch in the navigation bar) changes it; the API and pages agree.
"""

from django.conf import settings
from django.utils import translation


class ChineseFirstLocaleMiddleware:
    """Activate the language chosen with the switch, or LANGUAGE_CODE."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
