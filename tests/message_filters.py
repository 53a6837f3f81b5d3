"""A message filter as moderation will plug one in (C-15), for the seam's tests: it masks card
numbers that pass the Luhn check before the message is stored, and notes what it found once
the message exists (where a real one would raise a flag)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from marketplace.message_filters import Finding, MessageFilter, Screened

CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")


def passes_luhn(digits: str) -> bool:
    total = 0
    for i, digit in enumerate(int(d) for d in reversed(digits)):
        doubled = digit * 2 if i % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


class CardMasker(MessageFilter):
    found: ClassVar[list[tuple[Any, list[str]]]] = []

    def screen(self, *, sender: Any, conversation: Any, body: str) -> Screened:
        findings: list[Finding] = []

        def mask(match: re.Match[str]) -> str:
            digits = re.sub(r"\D", "", match.group())
            if not passes_luhn(digits):
                return match.group()
            findings.append(Finding("card_number", detail=f"ends {digits[-4:]}"))
            return f"•••• {digits[-4:]}"

        return Screened(body=CARD.sub(mask, body), findings=tuple(findings))

    def stored(self, message: Any, screened: Screened) -> None:
        CardMasker.found.append((message.pk, [finding.code for finding in screened.findings]))
