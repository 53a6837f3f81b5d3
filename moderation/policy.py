"""M-2 and M-6: what a new warning causes — one pure function over the user's earlier warnings,
so the service that issues warnings, its preview (the admin, the API) and the tests all ask
the same rules (issue: sanctions). No database, no clock: the caller hands in the facts.

M-2's rules, in their order:
  1. a first warning is a reminder of the terms of service;
  2. a second warning of the same type restricts;
  3. a second warning of a different type restricts a seller with a level;
  4. three warnings of any type restrict.
A warning while the account is already under review is attached to that review instead. M-6:
after a restore, the same type again restricts, and the new review is marked as a repeat.
Which earlier warnings count (all, or those within a look-back window) is the caller's choice.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    REMINDER = "reminder"
    RESTRICT = "restrict"
    # Under review already: the warning joins the open review, nothing else changes.
    ATTACH = "attach"


@dataclass(frozen=True)
class Outcome:
    action: Action
    # The rule that decided: "M-2.1" … "M-2.4", "M-6", or "review" for an attached warning.
    rule: str
    # M-6: the restriction repeats a type the user was restored from; its review says so.
    repeat: bool = False


def escalate(
    new_type: str,
    *,
    earlier: Sequence[str],
    leveled_seller: bool,
    under_review: bool,
    restored_types: Collection[str] = (),
) -> Outcome:
    """What a warning of `new_type` causes, given the types of the user's earlier warnings that
    count (`earlier`), whether they are a seller with a level, whether a review is open, and the
    types of warnings behind restrictions they were restored from."""
    if under_review:
        return Outcome(Action.ATTACH, "review")
    repeat = new_type in restored_types
    if new_type in earlier:
        return Outcome(Action.RESTRICT, "M-2.2", repeat)
    if leveled_seller and earlier:
        return Outcome(Action.RESTRICT, "M-2.3", repeat)
    if len(earlier) + 1 >= 3:
        return Outcome(Action.RESTRICT, "M-2.4", repeat)
    if repeat:  # outside the look-back window, but the same offence after a restore
        return Outcome(Action.RESTRICT, "M-6", True)
    return Outcome(Action.REMINDER, "M-2.1")
