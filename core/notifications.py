"""The registry of notification kinds (STYLE: registries): what each notice says and where it
links, declared once by the app that sends it, like pretix's notification types.

A kind's `title` and `text` are translatable strings with `%(name)s` placeholders filled from the
notice's context; they are rendered when the notice is read (in the reader's language) and when
its e-mail is written (in the recipient's language), never frozen at sending time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise

from core.models import Notification
from core.registry import Registry


@dataclass(frozen=True)
class NotificationKind:
    name: str
    title: StrOrPromise
    text: StrOrPromise
    # The page the notice is about, from its context; "" for none.
    url: Callable[[Mapping[str, Any]], str] | None = None
    # Whether the notice is also e-mailed.
    email: bool = True
    # Plain-text e-mail body; the shared one shows the text and the link.
    email_template: str = "core/email/notification.txt"
    # Placeholders computed when the notice is rendered, from its stored context: money and
    # dates formatted in the reader's language and time zone (the context keeps cents and
    # ISO dates).
    values: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None


KINDS: Registry[NotificationKind] = Registry("notification kind")


def notification_kind(
    name: str,
    *,
    title: StrOrPromise,
    text: StrOrPromise,
    url: Callable[[Mapping[str, Any]], str] | None = None,
    email: bool = True,
    email_template: str = "core/email/notification.txt",
    values: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
) -> NotificationKind:
    return KINDS.add(
        name,
        NotificationKind(
            name,
            title,
            text,
            url=url,
            email=email,
            email_template=email_template,
            values=values,
        ),
    )


@dataclass(frozen=True)
class Rendered:
    title: str
    text: str
    url: str


def render_kind(kind: NotificationKind, context: Mapping[str, Any]) -> Rendered:
    """The kind's words for this context, in the active language. A context that lacks a
    placeholder raises KeyError: `notify` renders once before storing, so that is caught in the
    sender's transaction, not when the reader opens the list."""
    if kind.values is not None:
        context = {**context, **kind.values(context)}
    return Rendered(
        title=str(kind.title) % context,
        text=str(kind.text) % context,
        url=kind.url(context) if kind.url else "",
    )


def render(notification: Notification) -> Rendered:
    kind = KINDS.get(notification.kind)
    if kind is None:  # a kind that no longer exists still shows something
        return Rendered(title=notification.kind, text="", url="")
    return render_kind(kind, notification.context)
