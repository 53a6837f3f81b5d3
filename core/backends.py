"""Outside services behind a setting, like Django's e-mail backends: a setting names a class by
dotted path, `load_backend` builds it once, and real, development and test backends sit side by
side (payments, payouts, and next the video provider). A backend returns small dataclasses,
never raw provider JSON, and raises `ProviderError`, which says whether retrying can help."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string


class ProviderError(Exception):
    """A provider refused or failed. `retryable` says whether trying again can help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


@cache
def _instance(path: str) -> Any:
    return import_string(path)()


@receiver(setting_changed)
def _rebuild(**kwargs: Any) -> None:
    """A backend reads its settings when built: a test that changes any of them (a fake
    provider's address) gets a new one."""
    _instance.cache_clear()


def load_backend(setting: str) -> Any:
    """The backend the setting `setting` names, built once per dotted path (so a test that
    overrides the setting gets its own instance)."""
    return _instance(getattr(settings, setting))
