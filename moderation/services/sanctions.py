"""Warnings, restrictions and reviews (M-1 … M-6, M-9, J-2): every write, each in one
transaction with its one audit entry (M-10) and its notice to the user (M-8).

Locks: the user's row first (`common.locked_member`), then their review — everywhere, the job
too. Every sanction of one user takes the user's lock, so two warnings issued at the same
moment are counted one after the other — the second sees the first and its review — and never
open two restrictions nor skip one; the one-open-review constraint backs that up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import audit as audit_log
from accounts import services as accounts
from accounts.models import Standing, User
from calls.models import Call
from calls.selectors import calls_of
from core import clock
from core.errors import Conflict, error_for
from core.services import notify, notify_many
from marketplace.models import Message
from moderation import audit, notices, policy
from moderation.errors import (
    ALREADY_RESTRICTED,
    EVIDENCE_UNRELATED,
    REVIEW_DECIDED,
    WARNING_TYPE_RETIRED,
)
from moderation.models import (
    Ban,
    Report,
    Review,
    ReviewCause,
    ReviewOutcome,
    ReviewStatus,
    UserWarning,
    WarningAction,
    WarningType,
)
from moderation.permissions import BAN_USER, DECIDE_REVIEW, ISSUE_WARNING, RESTRICT_USER
from moderation.selectors import open_review_of
from moderation.services import statements
from moderation.services.bans import ban_locked
from moderation.services.common import check_sanctionable, locked_member, require_staff_power


@dataclass(frozen=True)
class Evidence:
    """M-1's optional evidence: a report, a message, a call."""

    report: Report | None = None
    message: Message | None = None
    call: Call | None = None

    def check_concerns(self, user: User) -> None:
        """Evidence must be about the member warned: a message they wrote, a call they took
        part in, a report on such a call (as reporter or reported), on their message, or on
        them. A warning pinned to someone
        else's message would mislead every reviewer who reads it later."""
        report = self.report
        calls = {c for c in (self.call and self.call.pk, report and report.call_id) if c}
        senders = {m.sender_id for m in (self.message, report and report.message) if m}
        if (
            (senders and senders != {user.pk})
            or (calls and calls_of(user).filter(pk__in=calls).count() != len(calls))
            or (
                report is not None
                and report.target_type == "user"
                and report.reported_user_id != user.pk
            )
        ):
            raise error_for(EVIDENCE_UNRELATED)


# ---------------------------------------------------------------- what a warning would cause
@dataclass(frozen=True)
class Preview:
    """What issuing a warning will do (point 3 of the issue): the policy's outcome and the
    words the admin and the API show before anyone confirms."""

    outcome: policy.Outcome
    earlier: int
    text: str


def _counting(user: User, now: datetime) -> QuerySet[UserWarning]:
    # A warning reversed on appeal (M-12) no longer counts.
    warnings = UserWarning.objects.filter(user=user, withdrawn_at__isnull=True)
    if settings.WARNING_LOOKBACK_DAYS:
        warnings = warnings.filter(
            issued_at__gt=now - timedelta(days=settings.WARNING_LOOKBACK_DAYS)
        )
    return warnings


def _outcome(user: User, warning_type: WarningType, now: datetime) -> tuple[policy.Outcome, int]:
    earlier = list(_counting(user, now).values_list("type__code", flat=True))
    restored = set(
        UserWarning.objects.filter(
            user=user,
            withdrawn_at__isnull=True,
            review__reversed_at__isnull=True,
            review__status=ReviewStatus.DECIDED,
            review__outcome=ReviewOutcome.RESTORE,
        ).values_list("type__code", flat=True)
    )
    outcome = policy.escalate(
        warning_type.code,
        earlier=earlier,
        leveled_seller=user.has_seller_level,
        under_review=open_review_of(user) is not None,
        restored_types=restored,
    )
    return outcome, len(earlier)


def _describe(outcome: policy.Outcome, warning_type: WarningType, earlier: int) -> str:
    nth = earlier + 1
    kind = {"type": warning_type.name, "n": nth}
    if outcome.action == policy.Action.ATTACH:
        return (
            _(
                "Warning no. %(n)s (%(type)s): the account is under review already; the warning is "
                "added to the open review."
            )
            % kind
        )
    if outcome.action == policy.Action.REMINDER:
        return (
            _(
                "Warning no. %(n)s (%(type)s): a reminder of the terms of service; the account is "
                "not limited."
            )
            % kind
        )
    why = {
        "M-2.2": _("a second warning of the same type"),
        "M-2.3": _("a second warning, of a different type, for a seller with a level"),
        "M-2.4": _("a third warning"),
        "M-6": _("the same violation again after a restore"),
    }[outcome.rule]
    text = _(
        "Warning no. %(n)s (%(type)s) is %(why)s: the account will be restricted and a review "
        "opened."
    ) % {**kind, "why": why}
    if outcome.repeat:
        text += " " + _("The review is marked as a repeat offence.")
    return text


def _why_restricted(outcome: policy.Outcome, warning_type: WarningType) -> str:
    """The restriction's reason as the user reads it (M-8), in the active language."""
    why = {
        "M-2.2": _("You received a second warning of the same type (%(type)s)."),
        "M-2.3": _("As a seller with a level, you received a second warning (%(type)s)."),
        "M-2.4": _("You received a third warning (%(type)s)."),
        "M-6": _("You repeated a violation (%(type)s) after your account was restored."),
    }[outcome.rule]
    return why % {"type": warning_type.name}


def preview_warning(user: User, *, actor: User, warning_type: WarningType) -> Preview:
    """What `issue_warning` would cause now, computed by the same policy; writes nothing."""
    require_staff_power(actor, ISSUE_WARNING)
    now = clock.now()
    check_sanctionable(user, actor=actor)
    outcome, earlier = _outcome(user, warning_type, now)
    return Preview(outcome, earlier, _describe(outcome, warning_type, earlier))


# ---------------------------------------------------------------- writes
def issue_warning(
    user: User,
    *,
    actor: User,
    warning_type: WarningType,
    note: str,
    evidence: Evidence | None = None,
) -> UserWarning:
    """M-1 and M-2: record a warning, and whatever the policy says it causes — nothing more
    than a reminder, a restriction with a new review, or joining the open review."""
    require_staff_power(actor, ISSUE_WARNING)
    if not warning_type.is_active:
        raise error_for(WARNING_TYPE_RETIRED)
    evidence = evidence or Evidence()
    evidence.check_concerns(user)
    with transaction.atomic():
        user = locked_member(user, actor=actor)
        now = clock.now()
        outcome, earlier = _outcome(user, warning_type, now)
        warning = UserWarning(
            user=user,
            type=warning_type,
            issued_by=actor,
            note=note.strip(),
            report=evidence.report,
            message=evidence.message,
            call=evidence.call,
            issued_at=now,
            rule=outcome.rule,
        )
        grounds = statements.warning_grounds(warning)
        restricted: dict[str, object] | None = None
        if outcome.action == policy.Action.RESTRICT:
            warning.action = WarningAction.RESTRICTED
            with translation.override(settings.LANGUAGE_CODE):
                reason = _describe(outcome, warning_type, earlier)
            with translation.override(user.language):
                told = _why_restricted(outcome, warning_type)
            warning.review, restricted = _restrict(
                user,
                actor=actor,
                cause=ReviewCause.WARNINGS,
                reason=reason,
                told=told,
                repeat=outcome.repeat,
                now=now,
                grounds=grounds,
            )
        elif outcome.action == policy.Action.ATTACH:
            warning.action = WarningAction.ATTACHED
            warning.review = open_review_of(user)
        else:
            warning.action = WarningAction.REMINDER
        warning.save()
        statement = statements.for_warning(warning, grounds=grounds, now=now)
        with translation.override(user.language):  # the type's name and rule in their language
            notify(
                user,
                notices.WARNED,
                {
                    "warning": str(warning.pk),
                    "type": warning_type.name,
                    "rule": warning_type.rule,
                    **statements.notice_context(statement),
                },
            )
        if restricted is not None:  # after the warning that caused it: read in order
            notify(user, notices.RESTRICTED, restricted)
        audit_log.record(
            audit.WARNING_ISSUED,
            actor=actor,
            target_user=user,
            obj=warning,
            reason=warning.note,
            data={
                "type": warning_type.code,
                "caused": warning.action,
                "rule": outcome.rule,
                "review": str(warning.review_id) if warning.review_id else None,
            },
        )
    return warning


def restrict_user(
    user: User, *, actor: User, reason: str, grounds: statements.Grounds | None = None
) -> Review:
    """M-2's last sentence: staff restrict directly for a serious violation. Opens a review.
    `grounds`: what the restriction rests on beyond the reason (a case's rule, detection)."""
    require_staff_power(actor, RESTRICT_USER)
    with transaction.atomic():
        user = locked_member(user, actor=actor)
        if user.standing == Standing.RESTRICTED or open_review_of(user) is not None:
            raise Conflict(ALREADY_RESTRICTED)
        review, context = _restrict(
            user,
            actor=actor,
            cause=ReviewCause.DIRECT,
            reason=reason.strip(),
            told=reason.strip(),
            repeat=False,
            now=clock.now(),
            grounds=grounds or statements.Grounds(),
        )
        notify(user, notices.RESTRICTED, context)
        return review


def ban_user(
    user: User, *, actor: User, reason: str, grounds: statements.Grounds | None = None
) -> Ban:
    """M-2's last sentence and M-7: staff ban directly for a serious violation. An open review
    ends with this ban as its outcome, so every restriction still ends in exactly one."""
    require_staff_power(actor, BAN_USER)
    with transaction.atomic():
        user = locked_member(user, actor=actor)
        review = (
            Review.objects.select_for_update().filter(user=user, status=ReviewStatus.OPEN).first()
        )
        if review is not None:
            _close([review], actor=actor, outcome=ReviewOutcome.BAN, reason=reason.strip())
        return ban_locked(
            user,
            actor=actor,
            reason=reason.strip(),
            review=review,
            action=audit.BANNED,
            grounds=grounds,
        )


def _restrict(
    user: User,
    *,
    actor: User,
    cause: str,
    reason: str,
    told: str,
    repeat: bool,
    now: datetime,
    grounds: statements.Grounds,
) -> tuple[Review, dict[str, object]]:
    """Restrict (M-3) and open the review (M-4), with the one audit entry and the notice
    (`told`: the reason in the user's language)."""
    review = Review.objects.create(
        user=user,
        cause=cause,
        opened_by=actor,
        opened_at=now,
        reason=reason,
        repeat=repeat,
        deadline=now + timedelta(days=settings.REVIEW_DAYS),
    )
    accounts.set_standing(
        user,
        actor=actor,
        standing=Standing.RESTRICTED,
        reason=reason,
        action=audit.RESTRICTED,
        obj=review,
        data={"cause": cause, "repeat": repeat},
    )
    statement = statements.for_restriction(review, told=told, grounds=grounds, now=now)
    return review, {
        "review": str(review.pk),
        "reason": told,
        **statements.notice_context(statement),
    }


def decide_review(review: Review, *, actor: User, outcome: str, reason: str) -> Review:
    """M-4: a reviewer restores the user or bans them for good, with a reason. Restoring before
    the deadline is how a reviewer lifts a restriction early. A decided review stays decided."""
    require_staff_power(actor, DECIDE_REVIEW)
    outcome = ReviewOutcome(outcome)
    with transaction.atomic():
        user = User.objects.select_for_update(no_key=True).get(pk=review.user_id)
        review = Review.objects.select_for_update().get(pk=review.pk)
        if not review.is_open:
            raise Conflict(REVIEW_DECIDED)
        _decide(review, user, actor=actor, outcome=outcome, reason=reason.strip())
    return review


def _close(
    reviews: list[Review], *, actor: User | None, outcome: ReviewOutcome, reason: str
) -> None:
    now = clock.now()
    for review in reviews:
        review.status, review.outcome, review.decided_by = ReviewStatus.DECIDED, outcome, actor
        review.decided_at, review.decision_reason = now, reason
    Review.objects.filter(pk__in=[review.pk for review in reviews]).update(
        status=ReviewStatus.DECIDED,
        outcome=outcome,
        decided_by=actor,
        decided_at=now,
        decision_reason=reason,
    )


def _decide(
    review: Review, user: User, *, actor: User | None, outcome: ReviewOutcome, reason: str
) -> Ban | None:
    """Close the review with its one outcome and carry it out (inside the caller's lock)."""
    if outcome == ReviewOutcome.BAN:
        _close([review], actor=actor, outcome=outcome, reason=reason)
        action = audit.REVIEW_DECIDED if actor is not None else audit.REVIEW_ENDED
        return ban_locked(user, actor=actor, reason=reason, review=review, action=action)
    _restore([(review, user)], actor=actor, reason=reason)
    return None


def _restore(decided: list[tuple[Review, User]], *, actor: User | None, reason: str) -> None:
    """Restore the users of these reviews (their rows locked by the caller): the reviews
    closed, the standing back to active with one audit entry each, each user told — a
    statement per table however many there are (the job ends a batch at once)."""
    _close(
        [review for review, _user in decided],
        actor=actor,
        outcome=ReviewOutcome.RESTORE,
        reason=reason,
    )
    accounts.restore_standing_of_many(
        [(user, review) for review, user in decided],
        actor=actor,
        reason=reason,
        action=audit.REVIEW_DECIDED if actor is not None else audit.REVIEW_ENDED,
        data={"outcome": ReviewOutcome.RESTORE},
    )
    told = [(user, {"review": str(review.pk)}) for review, user in decided]
    if len(told) == 1:  # a reviewer's decision: the e-mail goes at once, by its task
        user, context = told[0]
        notify(user, notices.RESTORED, context)
    else:  # the job's batch: one INSERT, the e-mails by the minute sweep
        notify_many(notices.RESTORED, told)


# ---------------------------------------------------------------- J-2
def end_overdue_reviews(*, now: datetime | None = None, batch_size: int = 200) -> int:
    """J-2: a review nobody decided by its deadline ends with the default outcome (M-4),
    recorded as the system's decision (no actor), and the user is told.

    Not `core.sweep`, whose claim locks the due rows themselves: here the users are locked
    first, in the order every sanction locks them (user, then review), so the job never
    deadlocks with a reviewer deciding the same review. Users another transaction holds are
    skipped (SKIP LOCKED) and left to the next batch or run, so two runs at once decide each
    review once and never wait for each other."""
    now = now or clock.now()
    outcome = ReviewOutcome(settings.REVIEW_DEFAULT_OUTCOME)
    ended = 0
    while True:
        with transaction.atomic():
            due = Review.objects.filter(status=ReviewStatus.OPEN, deadline__lte=now)
            user_ids = list(
                due.order_by("deadline", "pk").values_list("user_id", flat=True)[:batch_size]
            )
            users = list(
                User.objects.select_for_update(skip_locked=True, no_key=True)
                .filter(pk__in=user_ids)
                .order_by("pk")
            )
            reviews = {
                review.user_id: review for review in due.select_for_update().filter(user__in=users)
            }
            with translation.override(settings.LANGUAGE_CODE):
                reason = _(
                    "The review period ended without a decision; the default outcome applies."
                )
            decided = [(reviews[user.pk], user) for user in users if user.pk in reviews]
            if outcome == ReviewOutcome.RESTORE:
                _restore(decided, actor=None, reason=reason)
            else:  # a ban settles money and orders: one user at a time
                for review, user in decided:
                    _decide(review, user, actor=None, outcome=outcome, reason=reason)
        ended += len(reviews)
        if len(user_ids) < batch_size or not reviews:
            return ended
