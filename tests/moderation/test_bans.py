"""A permanent ban and its money (M-7, J-3, J-4): the account locked at once, active orders
cancelled and their buyers refunded, a buyer's credit refunded to the card, a seller's balance
held for 90 days and then withdrawable for 7 through a signed link — every job re-run a no-op,
two runs at once doing each thing once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from accounts import roles
from accounts import services as accounts
from accounts.models import ApiToken, AuditEntry, Standing, User
from core import clock
from core.errors import Conflict, DomainError
from core.models import Notification
from core.services import send_pending_notifications
from marketplace import selectors
from marketplace import services as marketplace
from marketplace.models import (
    BalanceHold,
    Bucket,
    CardRefund,
    EntryKind,
    HoldStatus,
    LedgerEntry,
    Order,
    OrderStatus,
)
from moderation import services
from moderation.models import Review, ReviewOutcome, ReviewStatus
from tests.concurrency import at_once, race
from tests.factories import UserFactory, make_available_funds, make_gig

pytestmark = pytest.mark.django_db

HOLD = timedelta(days=90)
WINDOW = timedelta(days=7)


def refreshed(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.fixture
def ban_now(reviewer, django_capture_on_commit_callbacks):
    """A reviewer bans; what the ban queues after commit (settling it, e-mails) runs."""

    def run(user: User, reason: str = "fraud"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.ban_user(user, actor=reviewer, reason=reason)

    return run


@pytest.fixture
def busy_seller(seller, buyer):
    """A seller with 6,000 cents available, 5,000 pending (completed, not cleared), and two
    open orders from the buyer: one active, one delivered with a tip."""
    make_available_funds(seller, 6000)
    gig = make_gig(seller, price="50.00")
    done = marketplace.place_order(gig, actor=buyer, extra_ids=[])
    marketplace.accept_order(marketplace.deliver_order(done, actor=seller), actor=buyer)
    marketplace.place_order(gig, actor=buyer, extra_ids=[])
    tipped = marketplace.deliver_order(
        marketplace.place_order(gig, actor=buyer, extra_ids=[]), actor=seller
    )
    marketplace.tip_order(tipped, actor=buyer, amount_cents=500)
    assert selectors.balances(seller).available_cents == 6000
    assert selectors.balances(seller).pending_cents == 5000
    return seller


def test_a_ban_locks_the_account_at_once(busy_seller, reviewer):
    _token, _key = accounts.create_api_token(busy_seller, actor=busy_seller)
    ban = services.ban_user(busy_seller, actor=reviewer, reason="fraud")
    assert refreshed(busy_seller).standing == Standing.BANNED
    assert not ApiToken.objects.filter(user=busy_seller).exists()
    assert ban.banned_by == reviewer
    assert ban.review is None
    entries = AuditEntry.objects.filter(target_user=busy_seller, action="moderation.banned")
    assert entries.count() == 1
    with pytest.raises(Conflict) as again:
        services.ban_user(busy_seller, actor=reviewer, reason="again")
    assert again.value.code == "already_banned"


def test_a_ban_cancels_open_orders_refunds_their_buyers_and_holds_the_sellers_money(
    busy_seller, buyer, ban_now
):
    ban = ban_now(busy_seller, "fraud")
    ban.refresh_from_db()  # settled by its task (eager in the tests)
    assert ban.settled_at is not None
    assert ban.cancelled_orders == 2
    assert not Order.objects.filter(seller=busy_seller, status__in=Order.OPEN_STATUSES)
    # The buyer paid 50.00 + 50.00 + a 5.00 tip for the two open orders: all of it back.
    refunds = LedgerEntry.objects.filter(user=buyer, bucket=Bucket.CREDIT, kind=EntryKind.REFUND)
    assert sorted(refunds.values_list("amount_cents", flat=True)) == [5000, 5500]
    # The seller's available and pending money is held, nothing left to withdraw.
    balances = selectors.balances(busy_seller)
    assert (balances.available_cents, balances.pending_cents, balances.held_cents) == (
        0,
        0,
        11000,
    )
    hold = BalanceHold.objects.get(user=busy_seller)
    assert hold.status == HoldStatus.HELD
    assert hold.releases_at == ban.banned_at + HOLD
    # Running it again changes nothing.
    before = LedgerEntry.objects.count()
    services.settle_ban(str(ban.pk))
    assert LedgerEntry.objects.count() == before


def test_a_banned_buyers_credit_is_refunded_to_the_card_at_once(busy_seller, buyer, ban_now):
    # The buyer cancels an active order: 50.00 credit.
    active = Order.objects.filter(buyer=buyer, status=OrderStatus.ACTIVE).earliest("placed_at")
    marketplace.cancel_order(active, actor=buyer)
    assert selectors.balances(buyer).credit_cents == 5000
    ban_now(buyer, "chargeback fraud")
    # Its other open order (delivered, tipped) is cancelled too, and all credit goes to cards.
    assert selectors.balances(buyer).credit_cents == 0
    refunded = sum(CardRefund.objects.filter(user=buyer).values_list("amount_cents", flat=True))
    assert refunded == 5000 + 5500
    assert not BalanceHold.objects.filter(user=buyer).exists()  # nothing earned, nothing held


def test_a_ban_as_a_reviews_outcome_closes_the_review(
    buyer, reviewer, django_capture_on_commit_callbacks
):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_review(review, actor=reviewer, outcome="ban", reason="confirmed")
    review.refresh_from_db()
    assert (review.status, review.outcome) == (ReviewStatus.DECIDED, ReviewOutcome.BAN)
    assert review.ban.reason == "confirmed"
    assert refreshed(buyer).standing == Standing.BANNED
    assert list(
        AuditEntry.objects.filter(target_user=buyer, action__startswith="moderation.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["moderation.restricted", "moderation.review_decided", "moderation.ban_settled"]


def test_a_direct_ban_during_a_review_ends_the_review_with_the_ban(buyer, reviewer):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    ban = services.ban_user(buyer, actor=reviewer, reason="worse than we thought")
    review.refresh_from_db()
    assert review.outcome == ReviewOutcome.BAN
    assert ban.review == review
    assert not Review.objects.filter(status=ReviewStatus.OPEN).exists()


def test_a_lost_settle_task_is_finished_by_the_job(busy_seller, reviewer, monkeypatch):
    monkeypatch.setattr("moderation.services.bans.enqueue_after_commit", lambda *args: None)
    ban = services.ban_user(busy_seller, actor=reviewer, reason="fraud")
    assert refreshed(busy_seller).standing == Standing.BANNED  # in force before the batches
    assert Order.objects.filter(seller=busy_seller, status__in=Order.OPEN_STATUSES).count() == 2
    assert services.settle_bans(now=clock.now()) == 0  # not due yet: the task has its grace
    assert services.settle_bans(now=clock.now() + timedelta(minutes=3)) == 1
    ban.refresh_from_db()
    assert ban.settled_at is not None
    assert ban.cancelled_orders == 2
    assert services.settle_bans(now=clock.now() + timedelta(minutes=3)) == 0


def test_orders_are_cancelled_a_batch_at_a_time_until_none_is_left(seller, reviewer, monkeypatch):
    from moderation.services import bans

    gig = make_gig(seller)
    buyers = UserFactory.create_batch(5)
    for buyer in buyers:
        marketplace.place_order(gig, actor=buyer, extra_ids=[])
    monkeypatch.setattr(bans, "enqueue_after_commit", lambda *args: None)
    ban = services.ban_user(seller, actor=reviewer, reason="fraud")
    settled = bans.settle_ban(str(ban.pk), batch_size=2)  # batches of 2, 2 and 1
    assert settled.cancelled_orders == 5
    assert settled.settled_at is not None
    assert [selectors.balances(buyer).credit_cents for buyer in buyers] == [5000] * 5


# ---------------------------------------------------------------- J-3, J-4
def test_the_withdrawal_window_opens_after_90_days_with_exactly_one_email(busy_seller, ban_now):
    ban = ban_now(busy_seller, "fraud")
    hold = BalanceHold.objects.get(user=busy_seller)
    assert services.open_payout_windows(now=ban.banned_at + HOLD - timedelta(seconds=1)) == 0
    opens = ban.banned_at + HOLD
    assert services.open_payout_windows(now=opens) == 1
    assert services.open_payout_windows(now=opens) == 0
    hold.refresh_from_db()
    assert hold.status == HoldStatus.WINDOW_OPEN
    assert hold.window_closes_at == opens + WINDOW
    notices = Notification.objects.filter(user=busy_seller, kind="moderation.payout_window")
    assert notices.count() == 1
    mail.outbox.clear()
    send_pending_notifications(now=opens + timedelta(minutes=5))
    (email,) = [m for m in mail.outbox if m.subject.startswith("Withdraw your remaining")]
    assert email.to == [busy_seller.email]
    assert "$110.00" in email.body
    assert f"/payout/{notices.get().context['token']}/" in email.body


def test_the_link_pays_out_once_and_the_rest_is_unclaimed_after_7_days(busy_seller, ban_now):
    ban = ban_now(busy_seller, "fraud")
    opens = ban.banned_at + HOLD
    services.open_payout_windows(now=opens)
    hold = BalanceHold.objects.get(user=busy_seller)
    token = Notification.objects.get(kind="moderation.payout_window").context["token"]
    withdrawal = marketplace.withdraw_held_balance(token)
    assert withdrawal.amount_cents == 11000
    with pytest.raises(DomainError) as used:
        marketplace.withdraw_held_balance(token)
    assert used.value.code == "payout_link_used"
    assert services.close_payout_windows(now=opens + WINDOW - timedelta(seconds=1)) == 0
    assert services.close_payout_windows(now=opens + WINDOW) == 1
    assert services.close_payout_windows(now=opens + WINDOW) == 0
    hold.refresh_from_db()
    assert hold.status == HoldStatus.CLOSED


def test_an_unused_window_marks_the_remainder_unclaimed(busy_seller, ban_now):
    ban = ban_now(busy_seller, "fraud")
    opens = ban.banned_at + HOLD
    services.open_payout_windows(now=opens)
    services.close_payout_windows(now=opens + WINDOW)
    balances = selectors.balances(busy_seller)
    assert balances.held_cents == 0
    unclaimed = LedgerEntry.objects.filter(user=busy_seller, bucket=Bucket.UNCLAIMED)
    assert sum(unclaimed.values_list("amount_cents", flat=True)) == 11000
    token = Notification.objects.get(kind="moderation.payout_window").context["token"]
    with pytest.raises(DomainError) as late:
        marketplace.withdraw_held_balance(token)
    assert late.value.code == "payout_link_expired"


# ---------------------------------------------------------------- at the same moment
@race
def test_two_settle_runs_at_once_cancel_and_refund_each_order_once():
    reviewer = accounts.grant_staff_role(UserFactory.create(), actor=None, role=roles.REVIEWER)
    seller = UserFactory.create()
    gig = make_gig(seller)
    buyers = UserFactory.create_batch(6)
    for buyer in buyers:
        marketplace.place_order(gig, actor=buyer, extra_ids=[])
    from moderation.services import bans

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bans, "enqueue_after_commit", lambda *args: None)
        ban = services.ban_user(seller, actor=reviewer, reason="fraud")
    at_once(
        lambda: bans.settle_ban(str(ban.pk), batch_size=2),
        lambda: bans.settle_ban(str(ban.pk), batch_size=2),
    )
    ban.refresh_from_db()
    assert ban.cancelled_orders == 6
    for buyer in buyers:
        assert selectors.balances(buyer).credit_cents == 5000
    assert AuditEntry.objects.filter(action="moderation.ban_settled").count() == 1


@race
def test_two_window_runs_at_once_send_one_email():
    reviewer = accounts.grant_staff_role(UserFactory.create(), actor=None, role=roles.REVIEWER)
    seller = UserFactory.create()
    make_available_funds(seller, 3000)
    ban = services.ban_user(seller, actor=reviewer, reason="fraud")
    opens = ban.banned_at + HOLD
    opened = at_once(
        lambda: services.open_payout_windows(now=opens),
        lambda: services.open_payout_windows(now=opens),
    )
    assert sorted(opened) == [0, 1]
    assert Notification.objects.filter(kind="moderation.payout_window").count() == 1


def test_the_banned_seller_is_not_told_of_each_order_the_ban_cancels(busy_seller, buyer, ban_now):
    ban_now(busy_seller, "fraud")
    kinds = list(Notification.objects.filter(user=busy_seller).values_list("kind", flat=True))
    assert kinds.count("moderation.banned") == 1
    assert "order_cancelled_by_platform" not in kinds
    # The buyers are told.
    assert Notification.objects.filter(user=buyer, kind="order_cancelled_by_platform").exists()
