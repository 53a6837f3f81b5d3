"""Balances are kept as running sums with each ledger entry (K-5) and the clearing sweep works
through a queue of what still waits: neither cost grows with the ledger's history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from core import clock
from marketplace import selectors, services
from marketplace.models import Balance, Bucket, LedgerEntry, PendingClearance
from marketplace.services.ledger import reconcile_balances
from tests.factories import make_available_funds, make_gig

pytestmark = pytest.mark.django_db


def ledger_sums(user):
    return {
        row["bucket"]: row["cents"]
        for row in LedgerEntry.objects.filter(user=user)
        .exclude(bucket=Bucket.EXTERNAL)
        .values("bucket")
        .annotate(cents=Sum("amount_cents"))
    }


def running(user):
    return dict(Balance.objects.filter(user=user).values_list("bucket", "cents"))


def test_the_running_balances_are_the_ledgers_sums_after_every_kind_of_movement(
    buyer, seller, django_capture_on_commit_callbacks
):
    make_available_funds(seller, 3000)
    order = services.place_order(make_gig(seller, extras={"X": "5.00"}), actor=buyer, extra_ids=[])
    services.cancel_order(order, actor=buyer)  # credit for the buyer
    paid_with_credit = services.place_order(
        make_gig(seller, price="20.00"), actor=buyer, extra_ids=[]
    )
    completed = services.accept_order(
        services.deliver_order(paid_with_credit, actor=seller), actor=buyer
    )
    services.tip_order(completed, actor=buyer, amount_cents=250)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_funds(actor=seller, amount_cents=1000, idempotency_key="w")
        services.refund_credit_to_card(buyer, actor=None, reason="test")
    services.hold_balance(seller, actor=None, reason="ban", releases_at=clock.now())
    for user in (buyer, seller):
        assert running(user) == ledger_sums(user)
    assert reconcile_balances().balances_repaired == 0


def test_reading_balances_is_one_query_whatever_the_history(seller, buyer):
    make_available_funds(seller, 1000)
    with CaptureQueriesContext(connection) as before:
        selectors.balances(seller)
    for _ in range(5):
        make_available_funds(seller, 1000)
    with CaptureQueriesContext(connection) as after:
        selectors.balances(seller)
    assert len(before) == len(after) == 1
    assert selectors.balances(seller).available_cents == 6000


def test_reconciliation_repairs_drift_and_reports_it(seller, capsys):
    make_available_funds(seller, 2500)
    Balance.objects.filter(user=seller, bucket=Bucket.AVAILABLE).update(cents=999)
    Balance.objects.filter(user=seller, bucket=Bucket.PENDING).delete()
    call_command("runjob", "reconcile_balances")
    assert "repaired 1 balances" in capsys.readouterr().out  # pending was 0: no row needed
    assert running(seller)[Bucket.AVAILABLE] == 2500
    call_command("runjob", "reconcile_balances")
    assert "repaired 0 balances" in capsys.readouterr().out


def test_no_balance_goes_negative_even_by_mistake(seller):
    make_available_funds(seller, 1000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Balance.objects.filter(user=seller, bucket=Bucket.AVAILABLE).update(cents=-1)


def test_the_clearing_queue_holds_only_what_still_waits(seller, buyer):
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    completed = services.accept_order(services.deliver_order(order, actor=seller), actor=buyer)
    services.tip_order(completed, actor=buyer, amount_cents=300)
    assert PendingClearance.objects.filter(user=seller).count() == 2
    assert services.clear_pending_earnings(now=clock.now() + timedelta(days=15)) == 2
    assert not PendingClearance.objects.exists()
    assert services.clear_pending_earnings(now=clock.now() + timedelta(days=15)) == 0
    assert selectors.balances(seller).available_cents == 5300
