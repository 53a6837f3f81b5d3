"""M-2 and M-6 as a table: each case is the sequence of warning types a user receives and what
each one causes (moderation.policy.escalate, the one function the service and its preview ask)."""

from __future__ import annotations

import pytest

from moderation.policy import Action, Outcome, escalate

R, X = Action.REMINDER, Action.RESTRICT


def run(types: str, *, leveled_seller: bool = False) -> list[tuple[Action, str]]:
    """Issue the warnings one after another (no review open between them)."""
    earlier: list[str] = []
    outcomes = []
    for new_type in types:
        outcome = escalate(
            new_type, earlier=earlier, leveled_seller=leveled_seller, under_review=False
        )
        outcomes.append((outcome.action, outcome.rule))
        earlier.append(new_type)
    return outcomes


@pytest.mark.parametrize(
    ("who", "types", "leveled", "expected"),
    [
        ("standard buyer", "ABC", False, [(R, "M-2.1"), (R, "M-2.1"), (X, "M-2.4")]),
        ("any user", "AA", False, [(R, "M-2.1"), (X, "M-2.2")]),
        ("any leveled user", "AA", True, [(R, "M-2.1"), (X, "M-2.2")]),
        ("leveled seller", "AB", True, [(R, "M-2.1"), (X, "M-2.3")]),
        ("new seller", "AB", False, [(R, "M-2.1"), (R, "M-2.1")]),
        ("new seller", "ABC", False, [(R, "M-2.1"), (R, "M-2.1"), (X, "M-2.4")]),
    ],
)
def test_the_escalation_table(who, types, leveled, expected):
    assert run(types, leveled_seller=leveled) == expected


def test_a_warning_during_a_review_is_attached_to_it():
    outcome = escalate("A", earlier=["A", "A"], leveled_seller=True, under_review=True)
    assert outcome == Outcome(Action.ATTACH, "review")


def test_the_same_type_after_a_restore_restricts_again_as_a_repeat():
    outcome = escalate(
        "A", earlier=["A", "A"], leveled_seller=False, under_review=False, restored_types={"A"}
    )
    assert outcome == Outcome(Action.RESTRICT, "M-2.2", repeat=True)


def test_a_repeat_outside_the_look_back_window_still_restricts():
    # The earlier warnings fell out of the window; the restore is still remembered (M-6).
    outcome = escalate(
        "A", earlier=[], leveled_seller=False, under_review=False, restored_types={"A"}
    )
    assert outcome == Outcome(Action.RESTRICT, "M-6", repeat=True)


def test_another_type_after_a_restore_is_no_repeat():
    outcome = escalate(
        "B", earlier=["A", "A"], leveled_seller=False, under_review=False, restored_types={"A"}
    )
    assert outcome == Outcome(Action.RESTRICT, "M-2.4", repeat=False)
    first_again = escalate(
        "B", earlier=[], leveled_seller=False, under_review=False, restored_types={"A"}
    )
    assert first_again == Outcome(Action.REMINDER, "M-2.1")
