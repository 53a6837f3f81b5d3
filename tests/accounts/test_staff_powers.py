"""Staff powers that bind superusers too (C-12): the group permission AND the condition, never
`has_perm` alone (which is always true for a superuser)."""

from __future__ import annotations

import pytest

from accounts import roles, services
from accounts.permissions import may_use_staff_power, staff_powers
from core.errors import error_code
from tests.conftest import ban
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RECORDING = "accounts.access_call_recording"
NOT_REPORTED = error_code(
    "test_only_not_reported", status=403, message="The call was neither reported nor flagged."
)


@pytest.fixture
def superuser():
    return UserFactory.create(is_staff=True, is_superuser=True)


def decide(user, *, reported):
    return may_use_staff_power(user, RECORDING, condition=reported, otherwise=NOT_REPORTED)


def test_a_superuser_without_the_condition_is_refused(superuser):
    assert superuser.has_perm(RECORDING)  # what Django alone would say
    services.grant_staff_role(superuser, actor=None, role=roles.REVIEWER)
    decision = decide(superuser, reported=False)
    assert not decision
    assert decision.code == "test_only_not_reported"


def test_a_superuser_without_the_role_is_refused_even_with_the_condition(superuser):
    decision = decide(superuser, reported=True)
    assert (decision.allowed, decision.code) == (False, "staff_power_required")


def test_a_reviewer_with_the_condition_is_allowed(reviewer):
    assert decide(reviewer, reported=True)
    assert not decide(reviewer, reported=False)


def test_a_support_agent_never_has_the_power(support_agent):
    assert decide(support_agent, reported=True).code == "staff_power_required"


def test_a_banned_or_former_reviewer_has_no_power(reviewer):
    assert RECORDING in staff_powers(reviewer)
    former = services.revoke_staff_roles(reviewer, actor=None)
    assert decide(former, reported=True).code == "staff_power_required"
    again = services.grant_staff_role(former, actor=None, role=roles.REVIEWER)
    banned = ban(again)
    assert decide(banned, reported=True).code == "staff_power_required"
