"""Domain errors of accounts. Each carries the stable `code` the API and pages show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class AccountsError(Exception):
    code = "error"
    message = _("The request could not be completed.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(self.message))


class InvalidCredentials(AccountsError):
    code = "invalid_credentials"
    message = _("Please enter a correct e-mail address and password.")


class AccountBanned(AccountsError):
    code = "account_banned"
    message = _("This account has been permanently banned and cannot log in.")
