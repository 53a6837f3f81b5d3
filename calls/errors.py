"""The calls app's error codes (the registry is `core.errors`).

The eligibility reasons (C-3, C-4) are codes like any refusal, so the API lists them in
`{"code": "not_eligible", "reasons": [...]}` and pages say each in words.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, NotAllowed, ServiceUnavailable, error_code

NOT_ELIGIBLE = error_code(
    "not_eligible", status=403, message=_("You cannot start a call with this user.")
)
# ---------------------------------------------------------------- eligibility reasons (C-3)
NOT_SELLER = error_code("not_seller", status=403, message=_("Only sellers can start a call."))
NO_LEVEL = error_code(
    "no_level", status=403, message=_("Calls need a seller level (Level 1 or higher).")
)
ASP_BELOW_THRESHOLD = error_code(
    "asp_below_threshold",
    status=403,
    message=_("Your average selling price (base prices only) is below what calls need."),
)
NO_RECENT_ORDER = error_code(
    "no_recent_order",
    status=403,
    message=_("Calls need an order placed with you within the last days."),
)
CALLEE_UNAVAILABLE = error_code(
    "callee_unavailable", status=403, message=_("This user cannot take calls at the moment.")
)
SELF_CALL = error_code("self_call", status=403, message=_("You cannot call yourself."))
HOST_ONLY = error_code(
    "host_only", status=403, message=_("Only the seller who started the call can do this.")
)
INVALID_INVITE = error_code(
    "invalid_invite", status=400, message=_("These people cannot be invited.")
)
# ---------------------------------------------------------------- state
CALL_ALREADY_OPEN = error_code(
    "call_already_open",
    status=409,
    message=_("A call in this conversation is already scheduled or running."),
)
CALL_ENDED = error_code("call_ended", status=409, message=_("This call has ended."))
CALL_NOT_ENDED = error_code(
    "call_not_ended", status=409, message=_("This can only be done after the call has ended.")
)
RECORDING_NOT_READY = error_code(
    "recording_not_ready",
    status=404,
    message=_("The recording is not available yet: it appears here shortly after the call ends."),
)
RECORDING_EXPIRED = error_code(
    "recording_expired",
    status=410,
    message=_("This recording was deleted 30 days after the call ended, as promised."),
)
NO_CALL_CAPACITY = error_code(
    "no_call_capacity",
    status=503,
    message=_("There is no call capacity right now. Please try again in a few minutes."),
)


class CallNotAllowed(NotAllowed):
    default = NOT_ELIGIBLE


class CallStateError(Conflict):
    default = CALL_ENDED


class RecordingExpired(DomainError):
    default = RECORDING_EXPIRED


class NoCallCapacity(ServiceUnavailable):
    default = NO_CALL_CAPACITY
