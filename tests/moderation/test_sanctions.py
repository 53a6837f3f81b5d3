"""Warnings, restrictions and reviews through the services (M-1 … M-6, M-9, M-10, J-2): the
escalation table of M-2 end to end, who may do what, the one audit entry per action, the
notices, the job that ends overdue reviews, and two warnings at the same moment."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from accounts import roles
from accounts import services as accounts
from accounts.models import AuditEntry, SellerLevel, Standing, User
from core import clock
from core.errors import Conflict, DomainError, NotAllowed
from core.models import Notification
from moderation import services
from moderation.models import (
    Review,
    ReviewCause,
    ReviewOutcome,
    ReviewStatus,
    UserWarning,
    WarningAction,
    WarningType,
)
from tests.concurrency import at_once, race
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def kind(code: str) -> WarningType:
    return WarningType.objects.get(code=code)


A, B, C = "threats", "off_platform", "personal_data"


def warn(user, actor, code=A, note="see the report"):
    return services.issue_warning(user, actor=actor, warning_type=kind(code), note=note)


def moderation_entries(user):
    return list(
        AuditEntry.objects.filter(target_user=user, action__startswith="moderation.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def refreshed(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_the_c9_conduct_rules_are_seeded_as_warning_types_in_both_languages():
    threats = kind("threats")
    assert (threats.name_en, threats.name_de) == ("Threats of violence", "Gewaltandrohungen")
    assert WarningType.objects.count() == 8


# ---------------------------------------------------------------- M-2's table, end to end
@pytest.mark.parametrize(
    ("level", "codes", "last_causes"),
    [
        (SellerLevel.NEW, [A], WarningAction.REMINDER),
        (SellerLevel.NEW, [A, B], WarningAction.REMINDER),
        (SellerLevel.NEW, [A, B, C], WarningAction.RESTRICTED),  # M-2.4
        (SellerLevel.NEW, [A, A], WarningAction.RESTRICTED),  # M-2.2
        (SellerLevel.LEVEL_1, [A, B], WarningAction.RESTRICTED),  # M-2.3
        (SellerLevel.TOP_RATED, [A], WarningAction.REMINDER),
    ],
)
def test_m2_escalation_through_the_service(level, codes, last_causes, support_agent):
    user = accounts.set_seller_level(UserFactory.create(), actor=None, level=level)
    for code in codes:
        warning = warn(user, support_agent, code)
    assert warning.action == last_causes
    user = refreshed(user)
    restricted = last_causes == WarningAction.RESTRICTED
    assert user.standing == (Standing.RESTRICTED if restricted else Standing.ACTIVE)
    assert Review.objects.filter(user=user).count() == int(restricted)
    if restricted:
        assert warning.review == Review.objects.get(user=user, status=ReviewStatus.OPEN)
        assert warning.review.cause == ReviewCause.WARNINGS


def test_a_warning_during_a_review_joins_it_and_changes_nothing_else(buyer, support_agent):
    warn(buyer, support_agent, A)
    review = warn(buyer, support_agent, A).review
    third = warn(buyer, support_agent, B)
    assert (third.action, third.review, third.rule) == (WarningAction.ATTACHED, review, "review")
    assert Review.objects.filter(user=buyer).count() == 1
    assert list(review.warnings.order_by("issued_at")) == list(
        UserWarning.objects.filter(user=buyer, action__in=["restricted", "attached"]).order_by(
            "issued_at"
        )
    )


def test_after_a_restore_the_same_type_restricts_again_as_a_repeat(buyer, support_agent, reviewer):
    warn(buyer, support_agent, A)
    first = warn(buyer, support_agent, A).review
    services.decide_review(first, actor=reviewer, outcome="restore", reason="one more chance")
    assert refreshed(buyer).standing == Standing.ACTIVE
    again = warn(buyer, support_agent, A)
    assert again.action == WarningAction.RESTRICTED
    assert again.review.repeat is True
    assert refreshed(buyer).standing == Standing.RESTRICTED


@override_settings(WARNING_LOOKBACK_DAYS=30)
def test_a_look_back_window_forgets_old_warnings(buyer, support_agent):
    warn(buyer, support_agent, A)
    with time_machine.travel(clock.now() + timedelta(days=31)):
        second = warn(buyer, support_agent, A)
    assert second.action == WarningAction.REMINDER
    assert refreshed(buyer).standing == Standing.ACTIVE


# ---------------------------------------------------------------- the preview (point 3)
def test_the_preview_says_what_the_warning_will_cause_and_writes_nothing(buyer, support_agent):
    warn(buyer, support_agent, A)
    entries = AuditEntry.objects.count()
    preview = services.preview_warning(buyer, actor=support_agent, warning_type=kind(A))
    assert preview.outcome.action == "restrict"
    assert preview.outcome.rule == "M-2.2"
    assert "restricted" in preview.text
    assert "Threats of violence" in preview.text
    assert UserWarning.objects.filter(user=buyer).count() == 1
    assert AuditEntry.objects.count() == entries
    # ...and the warning then does exactly that.
    assert warn(buyer, support_agent, A).rule == preview.outcome.rule


def test_the_preview_of_a_first_warning_is_a_reminder(buyer, support_agent):
    preview = services.preview_warning(buyer, actor=support_agent, warning_type=kind(B))
    assert (preview.outcome.action, preview.outcome.rule) == ("reminder", "M-2.1")
    assert "not limited" in preview.text


# ---------------------------------------------------------------- who may
def test_members_and_superusers_without_a_role_cannot_warn(buyer, seller):
    boss = User.objects.create_superuser(email="boss@example.test", display_name="Boss")
    for actor in (seller, boss):
        with pytest.raises(NotAllowed) as refused:
            warn(buyer, actor)
        assert refused.value.code == "staff_power_required"
    assert not UserWarning.objects.exists()


@pytest.mark.parametrize("target", ["self", "staff"])
def test_staff_and_oneself_are_not_warned(target, support_agent, reviewer):
    user = support_agent if target == "self" else reviewer
    with pytest.raises(NotAllowed) as refused:
        warn(user, support_agent)
    assert refused.value.code == "not_warnable"


def test_a_banned_user_is_not_warned_again(buyer, support_agent, reviewer):
    services.ban_user(buyer, actor=reviewer, reason="fraud")
    with pytest.raises(Conflict) as refused:
        warn(buyer, support_agent)
    assert refused.value.code == "already_banned"


def test_a_retired_type_cannot_be_issued(buyer, support_agent):
    WarningType.objects.filter(code=A).update(is_active=False)
    with pytest.raises(DomainError) as refused:
        warn(buyer, support_agent, A)
    assert refused.value.code == "warning_type_retired"


def test_support_agents_cannot_restrict_ban_or_decide(buyer, support_agent):
    with pytest.raises(NotAllowed):
        services.restrict_user(buyer, actor=support_agent, reason="x")
    with pytest.raises(NotAllowed):
        services.ban_user(buyer, actor=support_agent, reason="x")
    warn(buyer, support_agent, A)
    review = warn(buyer, support_agent, A).review
    with pytest.raises(NotAllowed) as refused:
        services.decide_review(review, actor=support_agent, outcome="ban", reason="x")
    assert refused.value.code == "staff_power_required"
    review.refresh_from_db()
    assert review.is_open


# ---------------------------------------------------------------- restriction, review, outcome
def test_a_direct_restriction_opens_a_review_with_a_deadline(buyer, reviewer):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious violation")
    assert review.cause == ReviewCause.DIRECT
    assert review.deadline == review.opened_at + timedelta(days=90)
    assert refreshed(buyer).standing == Standing.RESTRICTED
    with pytest.raises(Conflict) as again:
        services.restrict_user(buyer, actor=reviewer, reason="again")
    assert again.value.code == "already_restricted"


def test_a_decided_review_cannot_be_decided_again(buyer, reviewer):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    services.decide_review(review, actor=reviewer, outcome="restore", reason="ok")
    with pytest.raises(Conflict) as refused:
        services.decide_review(review, actor=reviewer, outcome="ban", reason="changed my mind")
    assert refused.value.code == "review_decided"
    assert refreshed(buyer).standing == Standing.ACTIVE


def test_each_action_writes_exactly_one_audit_entry(buyer, support_agent, reviewer):
    warn(buyer, support_agent, A)
    assert moderation_entries(buyer) == ["moderation.warning_issued"]
    review = warn(buyer, support_agent, A).review
    # The restricting warning: the warning's entry and the restriction's (which also records
    # the standing change, so there is no separate accounts entry).
    assert moderation_entries(buyer)[1:] == ["moderation.restricted", "moderation.warning_issued"]
    assert not AuditEntry.objects.filter(target_user=buyer, action="accounts.standing_changed")
    services.decide_review(review, actor=reviewer, outcome="restore", reason="ok")
    assert moderation_entries(buyer)[-1] == "moderation.review_decided"
    entry = AuditEntry.objects.filter(target_user=buyer).latest("at", "id")
    assert entry.data["from"] == "restricted"
    assert entry.data["to"] == "active"
    assert entry.actor == reviewer
    assert entry.reason == "ok"


def test_the_user_is_told_of_warning_restriction_and_outcome_in_their_language(
    buyer, support_agent, reviewer
):
    accounts.update_profile(
        buyer, actor=buyer, display_name=buyer.display_name, timezone="UTC", language="de"
    )
    warn(buyer, support_agent, A)
    review = warn(buyer, support_agent, A).review
    services.decide_review(review, actor=reviewer, outcome="restore", reason="ok")
    kinds = list(
        Notification.objects.filter(user=buyer)
        .order_by("created_at")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "moderation.warned",
        "moderation.warned",
        "moderation.restricted",
        "moderation.restored",
    ]
    from core.services import send_pending_notifications

    send_pending_notifications(now=clock.now() + timedelta(minutes=5))
    subjects = [message.subject for message in mail.outbox if message.to == [buyer.email]]
    assert "Du hast eine Verwarnung erhalten: Gewaltandrohungen" in subjects
    restricted = next(m for m in mail.outbox if "eingeschränkt" in m.subject)
    # M-9: the review's end date is never told to the user.
    assert review.deadline.strftime("%d.%m.%Y") not in restricted.body


# ---------------------------------------------------------------- J-2
def test_the_job_ends_overdue_reviews_with_the_default_outcome_once(buyer, outsider, reviewer):
    due = services.restrict_user(buyer, actor=reviewer, reason="serious")
    with time_machine.travel(clock.now() + timedelta(days=10)):
        later = services.restrict_user(outsider, actor=reviewer, reason="serious")
    at = due.deadline + timedelta(seconds=1)
    assert services.end_overdue_reviews(now=at) == 1
    due.refresh_from_db()
    assert (due.status, due.outcome, due.decided_by, due.decided_by_system) == (
        ReviewStatus.DECIDED,
        ReviewOutcome.RESTORE,
        None,
        True,
    )
    assert refreshed(buyer).standing == Standing.ACTIVE
    later.refresh_from_db()
    assert later.is_open  # its deadline is ten days later
    entry = AuditEntry.objects.filter(target_user=buyer).latest("at", "id")
    assert (entry.action, entry.actor) == ("moderation.review_ended", None)
    assert Notification.objects.filter(user=buyer, kind="moderation.restored").count() == 1
    assert services.end_overdue_reviews(now=at) == 0
    assert Notification.objects.filter(user=buyer, kind="moderation.restored").count() == 1


def test_the_job_leaves_a_review_alone_before_its_deadline(buyer, reviewer):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    assert services.end_overdue_reviews(now=review.deadline - timedelta(seconds=1)) == 0
    assert services.end_overdue_reviews(now=review.deadline) == 1


@override_settings(REVIEW_DEFAULT_OUTCOME="ban")
def test_the_default_outcome_is_a_setting(buyer, reviewer):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    services.end_overdue_reviews(now=review.deadline)
    assert refreshed(buyer).standing == Standing.BANNED
    review.refresh_from_db()
    assert review.outcome == ReviewOutcome.BAN
    assert review.ban.banned_by is None


# ---------------------------------------------------------------- at the same moment
@race
def test_two_warnings_at_the_same_moment_open_exactly_one_restriction():
    agent = accounts.grant_staff_role(UserFactory.create(), actor=None, role=roles.SUPPORT_AGENT)
    user = UserFactory.create()
    warn(user, agent, A)
    at_once(lambda: warn(user, agent, A), lambda: warn(user, agent, A))
    causes = sorted(UserWarning.objects.filter(user=user).values_list("action", flat=True))
    assert causes == ["attached", "reminder", "restricted"]
    assert Review.objects.filter(user=user).count() == 1


@race
def test_two_new_warnings_that_together_make_three_restrict_once_and_skip_nothing():
    agent = accounts.grant_staff_role(UserFactory.create(), actor=None, role=roles.SUPPORT_AGENT)
    user = UserFactory.create()
    warn(user, agent, A)
    at_once(lambda: warn(user, agent, B), lambda: warn(user, agent, C))
    causes = sorted(UserWarning.objects.filter(user=user).values_list("action", flat=True))
    assert causes == ["reminder", "reminder", "restricted"]
    assert refreshed(user).standing == Standing.RESTRICTED


@race
def test_two_job_runs_at_once_end_each_overdue_review_once():
    reviewer = accounts.grant_staff_role(UserFactory.create(), actor=None, role=roles.REVIEWER)
    users = UserFactory.create_batch(12)
    for user in users:
        services.restrict_user(user, actor=reviewer, reason="serious")
    at = clock.now() + timedelta(days=91)
    ended = at_once(
        lambda: services.end_overdue_reviews(now=at, batch_size=5),
        lambda: services.end_overdue_reviews(now=at, batch_size=5),
    )
    assert sum(ended) == 12
    assert not Review.objects.filter(status=ReviewStatus.OPEN).exists()
    assert AuditEntry.objects.filter(action="moderation.review_ended").count() == 12


def test_a_reviewers_restore_is_e_mailed_at_once(
    buyer, reviewer, django_capture_on_commit_callbacks
):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_review(review, actor=reviewer, outcome="restore", reason="ok")
    assert [m.subject for m in mail.outbox] == ["Your account has been restored"]
