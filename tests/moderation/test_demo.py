"""The demo's sanctions (README): a warned buyer, a restricted seller under review, a restored
repeat offender and a banned seller whose balance is held."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import Standing, User
from marketplace import selectors
from marketplace.models import Order
from moderation.models import Review, ReviewStatus, UserWarning

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_the_demo_cast_shows_every_stage_of_the_policy():
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    people = {user.email.split("@")[0]: user for user in User.objects.all()}
    wanda, rex, ray, bruno = (people[n] for n in ("warned", "restricted", "repeat", "banned"))
    assert wanda.standing == Standing.ACTIVE
    assert UserWarning.objects.filter(user=wanda).count() == 1
    assert rex.standing == Standing.RESTRICTED
    assert Review.objects.get(user=rex).status == ReviewStatus.OPEN
    assert Order.objects.filter(seller=rex, status="active").exists()  # still to finish
    reviews = Review.objects.filter(user=ray).order_by("opened_at")
    assert [(r.outcome, r.repeat) for r in reviews] == [("restore", False), ("restore", True)]
    assert ray.standing == Standing.ACTIVE
    assert bruno.standing == Standing.BANNED
    assert selectors.balances(bruno).held_cents == 4500
    assert not Order.objects.filter(seller=bruno, status__in=Order.OPEN_STATUSES).exists()


@override_settings(DEBUG=True)
def test_the_demo_queue_has_a_case_of_each_kind_and_a_pending_appeal():
    from moderation.models import Appeal, Case, Flag

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    cases = list(Case.objects.order_by("rank"))
    assert {case.target_type for case in cases} == {"message", "user", "call"}
    first = cases[0]
    assert (first.sensitive, first.target_type) == (True, "message")
    assert first.message is not None
    assert "4242 4242 4242 4242" not in first.message.body
    assert "4242" in first.message.body  # the last four, masked
    both = next(c for c in cases if c.reports_count and c.flags_count)
    assert both.target_type == "message"
    assert Flag.objects.filter(case=first).exists()
    appeal = Appeal.objects.get()
    assert appeal.status == "pending"
    assert appeal.user.email == "warned@demo.test"
