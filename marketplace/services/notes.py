"""Notes on an order both parties see in its timeline (C-13: what was agreed in a call)."""

from __future__ import annotations

from django.db import transaction

from accounts import audit
from accounts.models import User
from accounts.permissions import may_log_in
from core import clock
from core.errors import error_for
from marketplace.audit import ORDER_NOTE_ADDED
from marketplace.errors import NOT_A_PARTY
from marketplace.models import Order, OrderNote


def add_order_note(order: Order, *, actor: User, body: str, about: str = "") -> OrderNote:
    """A party writes a note on the order (restricted users too: it is part of finishing it)."""
    if not may_log_in(actor) or actor.pk not in (order.buyer_id, order.seller_id):
        raise error_for(NOT_A_PARTY)
    body = body.strip()
    if not body or len(body) > OrderNote.MAX_LENGTH:
        raise ValueError("A note is 1 to 2000 characters (the form checks this first).")
    with transaction.atomic():
        note = OrderNote.objects.create(
            order=order, author=actor, body=body, about=about, created_at=clock.now()
        )
        other = order.buyer if actor.pk == order.seller_id else order.seller
        audit.record(
            ORDER_NOTE_ADDED, actor=actor, target_user=other, obj=order, data={"about": about}
        )
    return note
