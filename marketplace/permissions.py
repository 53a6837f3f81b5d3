"""The marketplace's gates: the one module that answers "may this user do this?" (SPEC M-3).

Pages, API endpoints, services and admin actions all ask here; nothing re-implements a rule.
Standing itself is interpreted by `accounts.permissions`; the order's states by
`marketplace.order_states`.

M-3: a restricted user may finish active orders (deliver, accept, tip, message the other party),
see their history and withdraw; they can neither place nor receive new orders nor message anyone
outside an open order, and their gigs are hidden. A banned user can do nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.errors import ACCOUNT_BANNED, ACCOUNT_RESTRICTED
from accounts.models import User
from accounts.permissions import is_in_good_standing, is_restricted, may_log_in, staff_powers
from core.decisions import Decision
from marketplace import order_states
from marketplace.errors import (
    BALANCE_HELD,
    BUYER_ONLY,
    GIG_PAUSED,
    INVALID_TRANSITION,
    NOT_A_PARTY,
    OWN_GIG,
    RECIPIENT_UNAVAILABLE,
    SELF_MESSAGE,
    SELLER_ONLY,
    SELLER_UNAVAILABLE,
)
from marketplace.models import BalanceHold, Gig, GigStatus, Order
from marketplace.order_states import Actor, Transition

ALLOW = Decision.allow()
BANNED = Decision.deny(ACCOUNT_BANNED)
RESTRICTED = Decision.deny(ACCOUNT_RESTRICTED)


def _standing(user: User) -> Decision:
    """Good standing allows, restricted and banned say why not."""
    if not may_log_in(user):
        return BANNED
    if is_restricted(user):
        return RESTRICTED
    return ALLOW


def may_create_gig(user: User) -> Decision:
    return _standing(user)


def may_receive_order(seller: User) -> Decision:
    return ALLOW if is_in_good_standing(seller) else Decision.deny(SELLER_UNAVAILABLE)


def may_place_order(buyer: User, gig: Gig) -> Decision:
    standing = _standing(buyer)
    if not standing:
        return standing
    if gig.seller_id == buyer.pk:
        return Decision.deny(OWN_GIG)
    if gig.status != GigStatus.ACTIVE:
        return Decision.deny(GIG_PAUSED)
    return may_receive_order(gig.seller)


def actor_of(user: User | None, order: Order) -> Actor:
    """Who `user` is to `order`: a party, staff with the power to cancel any order, the system
    (None), or an outsider."""
    if user is None:
        return Actor.SYSTEM
    if user.pk == order.buyer_id:
        return Actor.BUYER
    if user.pk == order.seller_id:
        return Actor.SELLER
    if order_states.CANCEL_ANY_ORDER in staff_powers(user):
        return Actor.STAFF
    return Actor.OUTSIDER


def may_trigger(user: User | None, order: Order, event: str) -> Decision:
    """May `user` (None: the system) trigger `event` on `order` now? The parties may finish
    an order even while restricted (M-3, M-5); a banned user may do nothing."""
    if user is not None and not may_log_in(user):
        return BANNED
    actor = actor_of(user, order)
    rows = order_states.rows_for(event)
    if not any(actor in row.by for row in rows):
        allowed = frozenset().union(*(row.by for row in rows))
        if actor in order_states.PARTIES and allowed & order_states.PARTIES == {Actor.BUYER}:
            return Decision.deny(BUYER_ONLY)
        if actor in order_states.PARTIES and allowed & order_states.PARTIES == {Actor.SELLER}:
            return Decision.deny(SELLER_ONLY)
        return Decision.deny(NOT_A_PARTY)
    row = order_states.find(event, status=order.status, actor=actor)
    if row is None:
        return Decision.deny(INVALID_TRANSITION)
    problem = row.guard(order) if row.guard else None
    return Decision.deny(problem) if problem else ALLOW


def transition_for(user: User | None, order: Order, event: str) -> Transition:
    """The table's row for what `user` is about to do; refuses as `may_trigger` does."""
    may_trigger(user, order, event).enforce()
    row = order_states.find(event, status=order.status, actor=actor_of(user, order))
    assert row is not None  # noqa: S101 - may_trigger found it
    return row


def available_events(user: User, order: Order) -> list[str]:
    """The events `user` may trigger on `order` right now (the page's buttons, the API's
    `actions`), in the table's order."""
    return [event for event in order_states.ACTION_EVENTS if may_trigger(user, order, event)]


def may_message(sender: User, recipient: User, *, has_open_order: bool) -> Decision:
    """Start a conversation with or write to `recipient`. Restriction on either side limits the
    pair to the other party of an open order."""
    if not may_log_in(sender):
        return BANNED
    if sender.pk == recipient.pk:
        return Decision.deny(SELF_MESSAGE)
    if not may_log_in(recipient):
        return Decision.deny(RECIPIENT_UNAVAILABLE)
    if has_open_order:
        return ALLOW
    if is_restricted(sender):
        return RESTRICTED
    if is_restricted(recipient):
        return Decision.deny(
            RECIPIENT_UNAVAILABLE,
            message=_("This user can only be contacted about an open order at the moment."),
        )
    return ALLOW


def may_withdraw(user: User) -> Decision:
    """Restricted users keep access to cleared funds (M-3, M-5); banned users use the signed
    withdrawal window instead (M-7), and a held balance is not withdrawn here."""
    if not may_log_in(user):
        return BANNED
    if BalanceHold.objects.open_for(user).exists():
        return Decision.deny(BALANCE_HELD)
    return ALLOW
