"""`manage.py check --deploy`: what a production deployment must not forget about the seams."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Links in e-mails start with SITE_URL: in production it must be the public https site."""
    url = urlsplit(settings.SITE_URL)
    if url.scheme == "https" and url.hostname and url.hostname not in LOCAL_HOSTS:
        return []
    return [
        CheckWarning(
            f"SITE_URL is {settings.SITE_URL!r}: links in e-mails would not reach users.",
            hint="Set SITE_URL to the public https address of the site (see .env.example).",
            id="core.W001",
        )
    ]
