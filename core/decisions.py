"""The answer to "may this user do that?": allowed, or refused for one or more reasons.

A refusal names each reason by its declared `ErrorCode`, so pages and the API can say exactly
what is missing. `figures` are the numbers behind the answer (C-4: a seller's eligibility ASP,
the threshold, the date of their last order); they are private to the user the decision is about
and never leave through an error response — a view adds them only for that user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django_stubs_ext import StrOrPromise

from core.errors import ErrorCode, error_for


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[ErrorCode, ...] = ()
    # Overrides the first reason's default message where one code covers several situations.
    message: StrOrPromise | None = None
    figures: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def allow(cls, **figures: Any) -> Decision:
        return cls(True, figures=figures)

    @classmethod
    def deny(
        cls, *reasons: ErrorCode, message: StrOrPromise | None = None, **figures: Any
    ) -> Decision:
        if not reasons:
            raise ValueError("A refusal needs at least one reason.")
        return cls(False, reasons=reasons, message=message, figures=figures)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def code(self) -> str:
        """The first reason's name ("" when allowed)."""
        return self.reasons[0].name if self.reasons else ""

    @property
    def codes(self) -> list[str]:
        return [reason.name for reason in self.reasons]

    @property
    def reason(self) -> str:
        """The first reason in words, in the active language ("" when allowed)."""
        if self.message is not None:
            return str(self.message)
        return str(self.reasons[0].message) if self.reasons else ""

    def without_figures(self) -> Decision:
        """The same answer for someone who may not see the numbers behind it."""
        return replace(self, figures={})

    def enforce(self, *, error: ErrorCode | None = None) -> None:
        """Raise when refused: with `error` as the code and every reason listed
        (`{"code": "not_eligible", "reasons": [...]}`), or with the first reason as the code.
        The exception is the class declared for the code (`core.errors.error_for`)."""
        if self.allowed:
            return
        if error is not None:
            raise error_for(error, reasons=self.reasons)
        raise error_for(self.reasons[0], self.reason, reasons=self.reasons)
