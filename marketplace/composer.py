"""The registry of composer actions (K-4): buttons other apps put beside the conversation's
message box, like the calls app's video-camera button (C-5), without the marketplace knowing
them. An action is declared once with its template and a function giving that template's
context for a conversation and its reader; the conversation page renders each in turn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from accounts.models import User
from core.registry import Registry
from marketplace.models import Conversation


@dataclass(frozen=True)
class ComposerAction:
    name: str
    template: str
    context: Callable[[Conversation, User], dict[str, Any]]


COMPOSER_ACTIONS: Registry[ComposerAction] = Registry("composer action")


def composer_action(
    name: str, *, template: str, context: Callable[[Conversation, User], dict[str, Any]]
) -> ComposerAction:
    return COMPOSER_ACTIONS.add(name, ComposerAction(name, template, context))


def render_actions(
    conversation: Conversation, reader: User, request: HttpRequest
) -> list[SafeString]:
    return [
        SafeString(
            render_to_string(
                action.template,
                {"conversation": conversation, **action.context(conversation, reader)},
                request=request,
            )
        )
        for action in COMPOSER_ACTIONS
    ]
