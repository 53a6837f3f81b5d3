"""Random sequences of sanctions, decisions, job runs and the passing of time (a Hypothesis
state machine over the real services and Postgres). After every step:

- a review never outlives its deadline once the job has run, and a user has at most one open
  review, which exists exactly while they are restricted;
- every restriction ends in exactly one outcome, and a decided review never changes;
- a banned user has no working session or token;
- every action has exactly one audit entry;
- the ledger matches the balances, nothing is negative, and no order is refunded twice, no
  card refund exceeds its charge, no withdrawal link pays twice.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts import roles
from accounts import services as accounts
from accounts.models import ApiToken, AuditEntry, SellerLevel, Standing, User
from accounts.permissions import may_log_in
from core import clock
from core.errors import DomainError
from marketplace import selectors as money
from marketplace import services as marketplace
from marketplace.models import (
    Balance,
    BalanceHold,
    Bucket,
    CardRefund,
    EntryKind,
    HoldStatus,
    LedgerEntry,
    Order,
    Withdrawal,
    WithdrawalStatus,
)
from marketplace.services.holds import payout_link_token
from marketplace.services.ledger import reconcile_balances
from moderation import services
from moderation.models import Ban, Review, ReviewStatus, WarningType
from tests.factories import UserFactory, make_available_funds, make_gig

pytestmark = pytest.mark.django_db

TYPES = ["threats", "off_platform", "personal_data"]
START = clock.now().replace(microsecond=0)


class Sanctions(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Each example runs in a savepoint of the test's transaction, rolled back at its end.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._clock = time_machine.travel(START, tick=False)
        self._moved = self._clock.start()
        self.expected_entries = 0
        self.decided: dict[str, str] = {}
        self.jobs_ran_at = START - timedelta(days=1)

    def teardown(self) -> None:
        self._clock.stop()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize()
    def cast(self) -> None:
        self.agent = accounts.grant_staff_role(
            UserFactory.create(), actor=None, role=roles.SUPPORT_AGENT
        )
        self.reviewer = accounts.grant_staff_role(
            UserFactory.create(), actor=None, role=roles.REVIEWER
        )
        seller = accounts.set_seller_level(
            UserFactory.create(), actor=None, level=SellerLevel.LEVEL_1
        )
        buyer, spender = UserFactory.create_batch(2)
        make_available_funds(seller, 3000)
        gig = make_gig(seller)
        marketplace.place_order(gig, actor=buyer, extra_ids=[])
        delivered = marketplace.deliver_order(
            marketplace.place_order(gig, actor=buyer, extra_ids=[]), actor=seller
        )
        marketplace.tip_order(delivered, actor=buyer, amount_cents=700)
        cancelled = marketplace.place_order(gig, actor=spender, extra_ids=[])
        marketplace.cancel_order(cancelled, actor=spender)  # 50.00 of credit
        self.members = [seller, buyer, spender]
        for member in self.members:
            accounts.create_api_token(member, actor=member)
        self.expected_entries = self._moderation_entries()

    # ------------------------------------------------------------ helpers
    def _moderation_entries(self) -> int:
        return AuditEntry.objects.filter(action__startswith="moderation.").count()

    def _fresh(self, index: int) -> User:
        return User.objects.get(pk=self.members[index].pk)

    def _try(self, action, entries: int) -> bool:
        try:
            with transaction.atomic():
                action()
        except DomainError:
            return False
        self.expected_entries += entries
        return True

    def _settle_now(self) -> None:
        """What the task queued after a ban's commit does (on_commit never fires inside the
        test's transaction)."""
        for ban in Ban.objects.filter(settled_at__isnull=True):
            services.settle_ban(str(ban.pk))
            self.expected_entries += 1

    # ------------------------------------------------------------ rules
    @rule(who=st.integers(0, 2), kind=st.sampled_from(TYPES))
    def warn(self, who: int, kind: str) -> None:
        member = self._fresh(who)
        before_reviews = Review.objects.filter(user=member).count()
        warned = self._try(
            lambda: services.issue_warning(
                member,
                actor=self.agent,
                warning_type=WarningType.objects.get(code=kind),
                note="seen in a call",
            ),
            1,
        )
        if warned and Review.objects.filter(user=member).count() > before_reviews:
            self.expected_entries += 1  # the restriction it caused

    @rule(who=st.integers(0, 2))
    def restrict(self, who: int) -> None:
        member = self._fresh(who)
        self._try(lambda: services.restrict_user(member, actor=self.reviewer, reason="serious"), 1)

    @rule(who=st.integers(0, 2), settle_at_once=st.booleans())
    def ban(self, who: int, settle_at_once: bool) -> None:
        member = self._fresh(who)
        banned = self._try(
            lambda: services.ban_user(member, actor=self.reviewer, reason="fraud"), 1
        )
        if banned and settle_at_once:
            self._settle_now()

    @rule(who=st.integers(0, 2), outcome=st.sampled_from(["restore", "ban"]))
    def decide(self, who: int, outcome: str) -> None:
        review = Review.objects.filter(user=self.members[who], status=ReviewStatus.OPEN).first()
        if review is None:
            return
        self._try(
            lambda: services.decide_review(
                review, actor=self.reviewer, outcome=outcome, reason="decided"
            ),
            1,
        )
        self._settle_now()

    @rule(days=st.sampled_from([0.01, 1, 10, 45, 91]))
    def time_passes(self, days: float) -> None:
        self._moved.shift(timedelta(days=days))

    @rule()
    def jobs_run(self) -> None:
        now = clock.now()
        self.expected_entries += services.end_overdue_reviews(now=now)
        self._settle_now()
        services.settle_bans(now=now)
        services.open_payout_windows(now=now)
        services.close_payout_windows(now=now)
        self.jobs_ran_at = now

    @precondition(lambda self: BalanceHold.objects.filter(status=HoldStatus.WINDOW_OPEN).exists())
    @rule()
    def withdraw_through_the_link(self) -> None:
        hold = BalanceHold.objects.filter(status=HoldStatus.WINDOW_OPEN).earliest("held_at")
        token = payout_link_token(hold)
        for _attempt in range(2):
            try:
                with transaction.atomic():
                    marketplace.withdraw_held_balance(token)
            except DomainError:
                pass

    # ------------------------------------------------------------ invariants
    @invariant()
    def reviews_end_once_and_in_time(self) -> None:
        if not hasattr(self, "members"):
            return
        for review in Review.objects.all():
            if review.is_open:
                assert review.deadline > self.jobs_ran_at, "an open review outlived its deadline"
            else:
                assert review.outcome in ("restore", "ban")
                assert self.decided.setdefault(str(review.pk), review.outcome) == review.outcome
        per_user = Review.objects.filter(status=ReviewStatus.OPEN).values("user")
        assert all(row["n"] == 1 for row in per_user.annotate(n=Count("id")))

    @invariant()
    def standing_matches_the_reviews(self) -> None:
        if not hasattr(self, "members"):
            return
        for member in self.members:
            user = User.objects.get(pk=member.pk)
            under_review = Review.objects.filter(user=user, status=ReviewStatus.OPEN).exists()
            if user.standing == Standing.BANNED:
                assert not under_review
                assert not may_log_in(user)
                assert not ApiToken.objects.filter(user=user).exists()
            else:
                assert under_review == (user.standing == Standing.RESTRICTED)

    @invariant()
    def one_audit_entry_per_action(self) -> None:
        if not hasattr(self, "members"):
            return
        assert self._moderation_entries() == self.expected_entries

    @invariant()
    def money_is_whole_and_moves_once(self) -> None:
        if not hasattr(self, "members"):
            return
        assert reconcile_balances().balances_repaired == 0
        assert not Balance.objects.filter(cents__lt=0).exclude(bucket=Bucket.EXTERNAL).exists()
        refunds = LedgerEntry.objects.filter(kind=EntryKind.REFUND, bucket=Bucket.CREDIT)
        assert not refunds.values("order").annotate(n=Count("id")).filter(n__gt=1).exists()
        for order in Order.objects.filter(status="cancelled"):
            refunded = refunds.filter(order=order).aggregate(total=Sum("amount_cents"))["total"]
            assert refunded == order.total_cents
        charged = {
            row["reference"]: -row["total"]
            for row in LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, bucket=Bucket.EXTERNAL)
            .values("reference")
            .annotate(total=Sum("amount_cents"))
        }
        for row in (
            CardRefund.objects.exclude(status="failed")
            .values("charge_reference")
            .annotate(total=Sum("amount_cents"))
        ):
            assert row["total"] <= charged[row["charge_reference"]]
        paying = Withdrawal.objects.filter(
            hold__isnull=False, status__in=[WithdrawalStatus.REQUESTED, WithdrawalStatus.PAID]
        )
        assert not paying.values("hold").annotate(n=Count("id")).filter(n__gt=1).exists()
        for member in self.members:
            balances = money.balances(member)
            assert min(balances.available_cents, balances.pending_cents, balances.held_cents) >= 0


def test_sanctions_hold_their_invariants_over_random_sequences():
    run_state_machine_as_test(
        Sanctions,
        settings=settings(
            max_examples=30,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
