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
