"""What the calls app posts and sends: the call invitation as a conversation message (a kind
declared in the marketplace's registry, C-5) and the notices people get (`core.notifications`).

The invitation carries what it shows in its payload (the call, its time, each party's name and
time zone), so a conversation renders its invitations without a query per message; whether the
call is still open is asked when someone follows its Join link.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.notifications import notification_kind
from marketplace.message_kinds import message_kind
from marketplace.models import Message


def _invitation_text(message: Message) -> str:
    return str(_("Video call: %(topic)s")) % {"topic": message.payload.get("topic", "")}


CALL_INVITATION = message_kind(
    "call_invitation",
    label=_("Call invitation"),
    template="calls/messages/invitation.html",
    text=_invitation_text,
    has_sender=True,
)


def _call_url(context: Mapping[str, Any]) -> str:
    return reverse("calls:call", args=[context["call"]])


INVITED_TO_CALL = notification_kind(
    "calls.invited",
    title=_("%(host)s invites you to a video call"),
    text=_("“%(topic)s” — the call is recorded. Join from the invitation in your inbox."),
    url=_call_url,
)
SUMMARY_PROMPT = notification_kind(
    "calls.summary_prompt",
    title=_("Your call has ended: note what you agreed"),
    text=_(
        "Write a short summary of what you agreed in “%(topic)s” on the order, so both of you "
        "can refer to it."
    ),
    url=_call_url,
    email=False,
)
RECORDING_READY = notification_kind(
    "calls.recording_ready",
    title=_("The recording of your call is ready"),
    text=_("“%(topic)s” can be played for %(days)s days after the call; then it is deleted."),
    url=_call_url,
    email=False,
)
