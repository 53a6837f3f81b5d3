"""The accounts' error codes and errors (the base classes are `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, NotAllowed, error_code

INVALID_CREDENTIALS = error_code(
    "invalid_credentials",
    status=400,
    message=_("Please enter a correct e-mail address and password."),
)
ACCOUNT_BANNED = error_code(
    "account_banned",
    status=403,
    message=_("This account has been permanently banned and cannot log in."),
)
ACCOUNT_RESTRICTED = error_code(
    "account_restricted",
    status=403,
    message=_(
        "Your account is restricted while it is under review: you can finish open orders only."
    ),
)
STAFF_POWER_REQUIRED = error_code(
    "staff_power_required",
    status=403,
    message=_("This needs a staff role you do not have."),
)


class InvalidCredentials(DomainError):
    default = INVALID_CREDENTIALS


class AccountBanned(NotAllowed):
    default = ACCOUNT_BANNED
