from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """A logged-in user reads pages in their profile's time zone, and in its language unless
    they just chose another one.

    LocaleMiddleware has already picked a language from the cookie or the browser; the
    language switch sets the cookie and the profile together, so without a cookie the profile
    wins. Visitors who are not logged in read times in the server's zone (UTC).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            timezone.deactivate()
            return self.get_response(request)
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        timezone.activate(user.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
