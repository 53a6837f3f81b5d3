"""The order's state machine (K-2, M-7), written once.

Each row says from which states an event leads to which state, who may trigger it, what the
button says and what the notice says. The services move orders by this table; the gate
(`permissions.may_trigger`), the pages' buttons, the API's action endpoints and its `actions`
field, the conversation's notices, the notifications and the audit actions are all read from it.

Who: the order's buyer or seller, staff holding `marketplace.cancel_any_order` through their
role, or the system (a scheduled job or a sanction, `actor=None`). Parties may cancel before
delivery; staff and the system also after delivery — a ban cancels a banned user's active and
delivered orders and refunds the buyers (M-7).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.permissions import may_log_in
from core.errors import ErrorCode
from marketplace.errors import ALREADY_TIPPED, SELLER_UNAVAILABLE
from marketplace.models import Order, OrderStatus


class Actor(enum.StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    STAFF = "staff"
    SYSTEM = "system"
    OUTSIDER = "outsider"


PARTIES = frozenset({Actor.BUYER, Actor.SELLER})
PLATFORM = frozenset({Actor.STAFF, Actor.SYSTEM})
# The staff power that lets a support reviewer cancel anyone's order.
CANCEL_ANY_ORDER = "marketplace.cancel_any_order"


@dataclass(frozen=True)
class Transition:
    # What is triggered: the verb of the button, the URL and the API action ("deliver").
    event: str
    # What happened, in the past tense: names the notice, the notification kind and the audit
    # action ("delivered" → `order_delivered`, `marketplace.order_delivered`).
    happened: str
    sources: frozenset[str]
    # The state it leads to; None when the state stays (a tip).
    target: str | None
    by: frozenset[Actor]
    # The button.
    label: StrOrPromise
    # What happened, as a heading: the notification's title, the audit action's label.
    done: StrOrPromise
    # What happened to which order: the conversation's notice and the notification's text.
    notice: StrOrPromise
    summary: str
    # A condition beyond the state: what it finds wrong with the order, or None.
    guard: Callable[[Order], ErrorCode | None] | None = None

    @property
    def slug(self) -> str:
        """The event in URLs: /orders/<id>/request-revision/."""
        return self.event.replace("_", "-")

    @property
    def notice_key(self) -> str:
        return f"order_{self.happened}"


def _tippable(order: Order) -> ErrorCode | None:
    """One tip per order, and only to a seller who is still here (not banned)."""
    if order.tip_cents:
        return ALREADY_TIPPED
    if not may_log_in(order.seller):
        return SELLER_UNAVAILABLE
    return None


A, D, C = OrderStatus.ACTIVE, OrderStatus.DELIVERED, OrderStatus.COMPLETED
X = OrderStatus.CANCELLED

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        event="place",
        happened="placed",
        sources=frozenset(),
        target=A,
        by=frozenset({Actor.BUYER}),
        label=_("Order"),
        done=_("Order placed"),
        notice=_("Order placed: %(title)s"),
        summary="The buyer orders a gig.",
    ),
    Transition(
        event="deliver",
        happened="delivered",
        sources=frozenset({A}),
        target=D,
        by=frozenset({Actor.SELLER}),
        label=_("Deliver"),
        done=_("Order delivered"),
        notice=_("Order delivered: %(title)s"),
        summary="The seller delivers.",
    ),
    Transition(
        event="request_revision",
        happened="revision_requested",
        sources=frozenset({D}),
        target=A,
        by=frozenset({Actor.BUYER}),
        label=_("Ask for a revision"),
        done=_("Revision requested"),
        notice=_("Revision requested: %(title)s"),
        summary="The buyer asks for a revision.",
    ),
    Transition(
        event="accept",
        happened="completed",
        sources=frozenset({D}),
        target=C,
        by=frozenset({Actor.BUYER}),
        label=_("Accept delivery"),
        done=_("Order completed"),
        notice=_("Order completed: %(title)s"),
        summary="The buyer accepts delivery.",
    ),
    Transition(
        event="cancel",
        happened="cancelled",
        sources=frozenset({A}),
        target=X,
        by=PARTIES,
        label=_("Cancel order"),
        done=_("Order cancelled"),
        notice=_("Order cancelled: %(title)s"),
        summary="Cancel before delivery; the buyer is refunded as credit.",
    ),
    Transition(
        event="cancel",
        happened="cancelled_by_platform",
        sources=frozenset({A, D}),
        target=X,
        by=PLATFORM,
        label=_("Cancel order"),
        done=_("Order cancelled by the platform"),
        notice=_("Order cancelled by the platform: %(title)s"),
        summary="Staff or the system cancel an active or delivered order; the buyer is "
        "refunded as credit.",
    ),
    Transition(
        event="tip",
        happened="tipped",
        sources=frozenset({D, C}),
        target=None,
        by=frozenset({Actor.BUYER}),
        label=_("Add a tip"),
        done=_("Tip added"),
        notice=_("Tip added: %(title)s"),
        summary="The buyer adds a tip after delivery (one per order).",
        guard=_tippable,
    ),
)

# The events a party triggers on an existing order, in the order the page shows them.
ACTION_EVENTS: tuple[str, ...] = tuple(
    dict.fromkeys(t.event for t in TRANSITIONS if t.sources and t.by & PARTIES)
)
NOTICES: dict[str, Transition] = {t.notice_key: t for t in TRANSITIONS}


def event_of(slug: str) -> str:
    """The event a URL's slug names ("request-revision" → "request_revision")."""
    return slug.replace("-", "_")


def rows_for(event: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.event == event]


def find(event: str, *, status: str, actor: Actor) -> Transition | None:
    """The row by which `actor` triggers `event` on an order in `status`, if any."""
    for row in rows_for(event):
        if actor in row.by and status in row.sources:
            return row
    return None
