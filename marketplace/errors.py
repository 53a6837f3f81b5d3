from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.errors import Conflict, DomainError, NotAllowed


class InvalidTransition(Conflict):
    code = "invalid_transition"
    message = _("The order is not in a state that allows this.")


class InsufficientFunds(Conflict):
    code = "insufficient_funds"
    message = _("The amount is more than your available balance.")


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message = _("This idempotency key was already used for a different request.")


class UnknownExtra(DomainError):
    code = "unknown_extra"
    message = _("One of the chosen extras is not offered with this gig.")


class PaymentFailed(DomainError):
    code = "payment_failed"
    status_code = 402
    message = _("The payment could not be taken. Nothing was ordered or charged.")


class BuyerOnly(NotAllowed):
    code = "buyer_only"
    message = _("Only the buyer can do this.")


class SellerOnly(NotAllowed):
    code = "seller_only"
    message = _("Only the seller can do this.")
