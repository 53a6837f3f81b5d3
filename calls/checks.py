"""Settings the calls cannot run with, caught at start-up (`migrate` and `runserver` run the
checks, and the compose file starts the web and the workers only after `migrate`) instead of
at the first call a seller starts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

ZOOM_BACKEND = "calls.providers.zoom.ZoomVideoBackend"
ZOOM_SECRETS = ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET", "ZOOM_WEBHOOK_SECRET")


@register()
def zoom_is_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.VIDEO_BACKEND != ZOOM_BACKEND:
        return []
    errors: list[CheckMessage] = [
        Error(
            f"VIDEO_BACKEND is Zoom's, but {name} is not set.",
            hint="Set it in the environment from the Server-to-Server OAuth app (see README).",
            id="calls.E001",
        )
        for name in ZOOM_SECRETS
        if not getattr(settings, name)
    ]
    if not settings.VIDEO_HOSTS:
        errors.append(
            Error(
                "VIDEO_BACKEND is Zoom's, but VIDEO_HOSTS lists no host user.",
                hint="List the licensed Zoom users meetings are created on, comma-separated.",
                id="calls.E002",
            )
        )
    return errors
