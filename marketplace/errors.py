"""The marketplace's error codes and errors (the base classes are `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, NotAllowed, error_code

# ---------------------------------------------------------------- gates (403)
OWN_GIG = error_code("own_gig", status=403, message=_("You cannot order your own gig."))
GIG_PAUSED = error_code(
    "gig_paused", status=403, message=_("This gig is paused and cannot be ordered.")
)
SELLER_UNAVAILABLE = error_code(
    "seller_unavailable", status=403, message=_("This seller cannot take orders at the moment.")
)
NOT_A_PARTY = error_code(
    "not_a_party", status=403, message=_("Only the buyer and the seller can do this.")
)
BUYER_ONLY = error_code("buyer_only", status=403, message=_("Only the buyer can do this."))
SELLER_ONLY = error_code("seller_only", status=403, message=_("Only the seller can do this."))
NOT_OWNER = error_code("not_owner", status=403, message=_("Only the gig's seller can change it."))
SELF_MESSAGE = error_code("self_message", status=403, message=_("You cannot message yourself."))
RECIPIENT_UNAVAILABLE = error_code(
    "recipient_unavailable", status=403, message=_("This user cannot receive messages.")
)
BALANCE_HELD = error_code(
    "balance_held",
    status=403,
    message=_("This balance is held after a ban and cannot be withdrawn here."),
)

# ---------------------------------------------------------------- state (409)
INVALID_TRANSITION = error_code(
    "invalid_transition", status=409, message=_("The order is not in a state that allows this.")
)
ALREADY_TIPPED = error_code(
    "already_tipped",
    status=409,
    message=_("You have already tipped this order (one tip per order)."),
)
INSUFFICIENT_FUNDS = error_code(
    "insufficient_funds", status=409, message=_("The amount is more than your available balance.")
)
IDEMPOTENCY_KEY_REUSED = error_code(
    "idempotency_key_reused",
    status=409,
    message=_("This idempotency key was already used for a different request."),
)
CREDIT_CHANGED = error_code(
    "credit_changed", status=409, message=_("Your credit changed; please try again.")
)
HOLD_NOT_OPEN = error_code(
    "hold_not_open", status=409, message=_("This held balance is no longer held.")
)
PAYOUT_LINK_USED = error_code(
    "payout_link_used",
    status=409,
    message=_("This link has been used: the withdrawal is on its way."),
)
NOTHING_HELD = error_code(
    "nothing_held", status=409, message=_("There is no held balance left to withdraw.")
)
PAYOUT_LINK_EXPIRED = error_code(
    "payout_link_expired", status=410, message=_("This withdrawal link has expired.")
)
PAYOUT_LINK_INVALID = error_code(
    "payout_link_invalid", status=404, message=_("This withdrawal link is not valid.")
)

# ---------------------------------------------------------------- input (400) and payment (402)
UNKNOWN_EXTRA = error_code(
    "unknown_extra", status=400, message=_("One of the chosen extras is not offered with this gig.")
)
INVALID_IMAGE = error_code(
    "invalid_image", status=400, message=_("This file is not a picture we can use.")
)
DUPLICATE_EXTRA = error_code(
    "duplicate_extra", status=400, message=_("Each extra can be chosen only once.")
)
INVALID_AMOUNT = error_code(
    "invalid_amount", status=400, message=_("Enter a tip between $0.01 and the maximum.")
)
PAYMENT_FAILED = error_code(
    "payment_failed",
    status=402,
    message=_("The payment could not be taken. Nothing was ordered or charged."),
)


class InvalidTransition(Conflict):
    default = INVALID_TRANSITION


class InsufficientFunds(Conflict):
    default = INSUFFICIENT_FUNDS


class IdempotencyKeyReused(Conflict):
    default = IDEMPOTENCY_KEY_REUSED


class UnknownExtra(DomainError):
    default = UNKNOWN_EXTRA


class PaymentFailed(DomainError):
    default = PAYMENT_FAILED


class BuyerOnly(NotAllowed):
    default = BUYER_ONLY


class SellerOnly(NotAllowed):
    default = SELLER_ONLY
