"""The marketplace's gates: the one module that answers "may this user do this?" (SPEC M-3).

Pages, API endpoints, services and admin actions all ask here; nothing re-implements a rule.
Standing itself is interpreted by `accounts.permissions`.

M-3: a restricted user may finish active orders (deliver, accept, tip, message the other party),
see their history and withdraw; they can neither place nor receive new orders nor message anyone
outside an open order, and their gigs are hidden. A banned user can do nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.errors import NotAllowed
from accounts.models import User
from accounts.permissions import is_in_good_standing, is_restricted, may_log_in
from marketplace.models import Gig, GigStatus, Order


@dataclass(frozen=True)
class Decision:
    allowed: bool
    code: str = ""
    reason: StrOrPromise = ""

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self) -> None:
        if not self.allowed:
            raise NotAllowed(str(self.reason), code=self.code)


ALLOW = Decision(True)
BANNED = Decision(False, "account_banned", _("This account is banned."))
RESTRICTED = Decision(
    False,
    "account_restricted",
    _("Your account is restricted while it is under review: you can finish open orders only."),
)


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
    if is_in_good_standing(seller):
        return ALLOW
    return Decision(False, "seller_unavailable", _("This seller cannot take orders at the moment."))


def may_place_order(buyer: User, gig: Gig) -> Decision:
    standing = _standing(buyer)
    if not standing:
        return standing
    if gig.seller_id == buyer.pk:
        return Decision(False, "own_gig", _("You cannot order your own gig."))
    if gig.status != GigStatus.ACTIVE:
        return Decision(False, "gig_paused", _("This gig is paused and cannot be ordered."))
    return may_receive_order(gig.seller)


def may_act_on_order(user: User, order: Order) -> Decision:
    """Deliver, accept, ask for a revision, cancel or tip: the parties of an order may finish it
    even while restricted (M-3, M-5)."""
    if not may_log_in(user):
        return BANNED
    if user.pk not in (order.buyer_id, order.seller_id):
        return Decision(False, "not_a_party", _("Only the buyer and the seller can do this."))
    return ALLOW


def may_message(sender: User, recipient: User, *, has_open_order: bool) -> Decision:
    """Start a conversation with or write to `recipient`. Restriction on either side limits the
    pair to the other party of an open order."""
    if not may_log_in(sender):
        return BANNED
    if sender.pk == recipient.pk:
        return Decision(False, "self_message", _("You cannot message yourself."))
    if not may_log_in(recipient):
        return Decision(False, "recipient_unavailable", _("This user cannot receive messages."))
    if has_open_order:
        return ALLOW
    if is_restricted(sender):
        return RESTRICTED
    if is_restricted(recipient):
        return Decision(
            False,
            "recipient_unavailable",
            _("This user can only be contacted about an open order at the moment."),
        )
    return ALLOW


def may_withdraw(user: User) -> Decision:
    """Restricted users keep access to cleared funds (M-3, M-5); banned users use the signed
    withdrawal window instead (M-7)."""
    if not may_log_in(user):
        return BANNED
    return ALLOW
