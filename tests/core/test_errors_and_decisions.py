"""The error-code registry and `Decision`: codes are declared once, a refusal raises the class
declared for its code, and the figures behind a decision stay with its subject."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.errors import ACCOUNT_BANNED, AccountBanned
from core.decisions import Decision
from core.errors import CODES, Conflict, DomainError, NotAllowed, error_code, error_for
from core.registry import Registry
from core.rest import exception_handler
from marketplace.errors import INVALID_TRANSITION, OWN_GIG, InvalidTransition

# Codes only these tests raise, declared once like any app's.
TEST_CONFLICT = error_code("test_only_conflict", status=409, message="busy")
TEST_NOT_ELIGIBLE = error_code("test_only_not_eligible", status=403, message="Not eligible.")
TEST_UMBRELLA = error_code("test_only_umbrella", status=403, message="No.")


def test_a_code_is_declared_once():
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        error_code("own_gig", status=403, message="again")


def test_an_unknown_name_is_a_clear_lookup_error():
    registry: Registry[int] = Registry("thing")
    registry.add("one", 1)
    assert registry["one"] == 1
    with pytest.raises(LookupError, match="No thing is declared as 'two'"):
        registry["two"]


def _classes(base):
    for cls in base.__subclasses__():
        yield cls
        yield from _classes(cls)


def test_every_error_class_raises_a_declared_code_with_its_words():
    for cls in [DomainError, *_classes(DomainError)]:
        assert CODES[cls.default.name] is cls.default, cls
    for code in CODES:
        assert code.status in (400, 402, 403, 404, 409, 410, 429, 503), code
        assert str(code.message).strip(), code


def test_a_code_raises_the_class_declared_for_it_or_one_by_its_status():
    assert type(error_for(INVALID_TRANSITION)) is InvalidTransition
    assert type(error_for(ACCOUNT_BANNED)) is AccountBanned
    assert type(error_for(OWN_GIG)) is NotAllowed
    assert type(error_for(TEST_CONFLICT)) is Conflict


def test_a_refusal_with_several_reasons_names_them_all():
    decision = Decision.deny(OWN_GIG, INVALID_TRANSITION, threshold_cents=5000)
    assert not decision
    assert decision.codes == ["own_gig", "invalid_transition"]
    assert decision.reason == str(OWN_GIG.message)
    with pytest.raises(NotAllowed) as raised:
        decision.enforce(error=TEST_NOT_ELIGIBLE)
    assert raised.value.code == "test_only_not_eligible"
    assert [r.name for r in raised.value.reasons] == ["own_gig", "invalid_transition"]


def test_the_figures_behind_a_decision_are_dropped_for_anyone_else():
    decision = Decision.deny(OWN_GIG, asp_cents=4210, threshold_cents=5000)
    assert decision.figures == {"asp_cents": 4210, "threshold_cents": 5000}
    public = decision.without_figures()
    assert public.figures == {}
    assert public.codes == decision.codes


def test_an_allowed_decision_raises_nothing_and_a_refusal_needs_a_reason():
    Decision.allow(asp_cents=6000).enforce()
    with pytest.raises(ValueError, match="at least one reason"):
        Decision.deny()


def test_a_message_override_keeps_the_code():
    decision = Decision.deny(OWN_GIG, message="Not this one.")
    with pytest.raises(NotAllowed) as raised:
        decision.enforce()
    assert (raised.value.code, raised.value.detail) == ("own_gig", "Not this one.")


def test_the_api_answers_a_refusal_with_every_reason():
    response = exception_handler(
        NotAllowed(TEST_UMBRELLA, reasons=[OWN_GIG]),
        {},
    )
    assert response is not None
    assert (response.status_code, response.data) == (
        403,
        {"detail": "No.", "code": "test_only_umbrella", "reasons": ["own_gig"]},
    )


def test_the_schema_lists_every_declared_code(client):
    description = client.get("/api/schema/?format=json").json()["info"]["description"]
    for code in CODES:
        assert f"| `{code.name}` | {code.status} |" in description
