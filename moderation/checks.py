"""Settings moderation cannot run with, caught at start-up instead of at the first overdue
review."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from moderation.models import ReviewOutcome


@register()
def review_default_outcome_is_known(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.REVIEW_DEFAULT_OUTCOME in ReviewOutcome.values:
        return []
    return [
        Error(
            f"REVIEW_DEFAULT_OUTCOME is {settings.REVIEW_DEFAULT_OUTCOME!r}.",
            hint=f"Use one of: {', '.join(ReviewOutcome.values)}.",
            id="moderation.E001",
        )
    ]
