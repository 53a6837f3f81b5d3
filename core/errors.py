"""Domain errors and the registry of their codes.

Every refusal the product can answer with has one declared `ErrorCode`: its machine-readable
name (what API clients branch on), its HTTP status and its default message. Apps declare their
codes next to their errors (`marketplace/errors.py`) with `error_code(...)`; nothing makes up a
code inline. The API's exception handler (`core.rest`) turns a `DomainError` into
`{"detail", "code"}` with the code's status, and the schema lists every declared code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.registry import Registry


@dataclass(frozen=True)
class ErrorCode:
    name: str
    status: int
    message: StrOrPromise

    def __str__(self) -> str:
        return self.name


CODES: Registry[ErrorCode] = Registry("error code")


def error_code(name: str, *, status: int, message: StrOrPromise) -> ErrorCode:
    """Declare a code once, in the app that raises it."""
    return CODES.add(name, ErrorCode(name, status, message))


ERROR = error_code("error", status=400, message=_("The request could not be completed."))
NOT_ALLOWED = error_code("not_allowed", status=403, message=_("You are not allowed to do this."))
CONFLICT = error_code(
    "conflict", status=409, message=_("This cannot be done in the object's current state.")
)
RATE_LIMITED = error_code(
    "rate_limited",
    status=429,
    message=_("You are doing this too often. Please wait a moment and try again."),
)
TEMPORARILY_UNAVAILABLE = error_code(
    "temporarily_unavailable",
    status=503,
    message=_("This is not available for a moment. Please try again shortly."),
)


# The most specific error class declared for each code (see `error_for`).
_CLASSES: dict[str, type[DomainError]] = {}


class DomainError(Exception):
    """A refusal a user can understand. `error` names the code (and so the status); `message`
    overrides the code's default text; `reasons` carries every reason when several apply (a
    `Decision` with more than one). A subclass that sets `default` becomes the class raised
    for that code by `error_for`, so `except InvalidTransition` catches it however raised."""

    default: ClassVar[ErrorCode] = ERROR

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "default" in cls.__dict__:
            _CLASSES.setdefault(cls.default.name, cls)

    def __init__(
        self,
        error: ErrorCode | None = None,
        message: StrOrPromise | None = None,
        *,
        reasons: Sequence[ErrorCode] = (),
        retry_after: int | None = None,
    ) -> None:
        self.error = error or self.default
        self.reasons = tuple(reasons)
        # Seconds after which trying again may succeed (sent as Retry-After).
        self.retry_after = retry_after
        super().__init__(str(message if message is not None else self.error.message))

    @property
    def code(self) -> str:
        return self.error.name

    @property
    def status_code(self) -> int:
        return self.error.status

    @property
    def detail(self) -> str:
        return str(self.args[0])


class NotAllowed(DomainError):
    """A gate said no (403); the code says which rule, e.g. `account_restricted`."""

    default = NOT_ALLOWED


class Conflict(DomainError):
    """The object is not in a state that allows this (409), e.g. delivering a cancelled order."""

    default = CONFLICT


class RateLimited(DomainError):
    default = RATE_LIMITED


class ServiceUnavailable(DomainError):
    """Something this needs (the cache, say) cannot be reached; trying later will work."""

    default = TEMPORARILY_UNAVAILABLE


_BY_STATUS: dict[int, type[DomainError]] = {
    403: NotAllowed,
    409: Conflict,
    429: RateLimited,
    503: ServiceUnavailable,
}


def error_for(
    error: ErrorCode, message: StrOrPromise | None = None, *, reasons: Sequence[ErrorCode] = ()
) -> DomainError:
    """The exception for a code: its own class if one declares it, else by its status."""
    cls = _CLASSES.get(error.name) or _BY_STATUS.get(error.status, DomainError)
    return cls(error, message, reasons=reasons)
