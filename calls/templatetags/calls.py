"""`{% load calls %}`: a call invitation as its reader sees it (C-6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

from core import formatting
from marketplace.models import Message

register = template.Library()

# C-6: a call outside these hours (the other party's local time) comes with a warning.
WAKING_HOURS = (8, 20)


@dataclass(frozen=True)
class Invitation:
    call_id: str
    topic: str
    when: datetime
    # The time in the reader's zone (the active one), and in the other party's.
    when_here: str
    other_name: str
    other_local: str
    other_zone: str
    outside_waking_hours: bool


@register.simple_tag(takes_context=True)
def invitation(context: template.Context, message: Message) -> Invitation:
    """What the invitation says to the reader: the other party is whoever of the two it names
    the reader is not (the host, for the person invited; the guest, for the host)."""
    payload = message.payload
    viewer = context.get("viewer")
    viewer_id = str(getattr(viewer, "pk", ""))
    parties = payload.get("parties", {})
    other_id = next((key for key in parties if key != viewer_id), viewer_id)
    other = parties.get(other_id, {"name": "", "zone": "UTC"})
    when = datetime.fromisoformat(payload["scheduled_for"])
    zone = ZoneInfo(other.get("zone") or "UTC")
    local = when.astimezone(zone)
    with timezone.override(zone):
        other_local = formatting.moment(when)
    return Invitation(
        call_id=payload["call"],
        topic=payload.get("topic", ""),
        when=when,
        when_here=formatting.moment(when),
        other_name=other.get("name", ""),
        other_local=other_local,
        other_zone=str(zone),
        outside_waking_hours=not (WAKING_HOURS[0] <= local.hour < WAKING_HOURS[1]),
    )
