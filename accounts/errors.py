"""Domain errors. Every app's errors derive from `DomainError` (it sits in the lowest app so all
can use it); the API's exception handler turns one into `{"detail", "code"}` with its status."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    status_code = 400
    message = _("The request could not be completed.")

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message or str(self.message))
        if code:
            self.code = code

    @property
    def detail(self) -> str:
        return str(self.args[0])


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    message = _("Please enter a correct e-mail address and password.")


class AccountBanned(DomainError):
    code = "account_banned"
    status_code = 403
    message = _("This account has been permanently banned and cannot log in.")


class NotAllowed(DomainError):
    """A gate said no (403); `code` says which rule, e.g. `account_restricted`."""

    code = "not_allowed"
    status_code = 403
    message = _("You are not allowed to do this.")


class Conflict(DomainError):
    """The object is not in a state that allows this (409), e.g. delivering a cancelled order."""

    code = "conflict"
    status_code = 409
    message = _("This cannot be done in the object's current state.")


class RateLimited(DomainError):
    code = "rate_limited"
    status_code = 429
    message = _("You are doing this too often. Please wait a moment and try again.")
