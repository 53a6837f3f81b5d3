"""Moderation's reads: what a member sees of their own standing and warnings (M-8, never a
review's deadline — M-9), what they may report, what staff see of reviews (the deadline for
reviewers only), and the queue of cases with each case's context (M-10)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import staff_powers
from calls import selectors as calls
from calls.models import Call, ParticipantRole, Recording
from core.errors import error_for
from marketplace import selectors as money
from marketplace.models import Conversation, Message, Order
from moderation.errors import CANNOT_REPORT_SELF, NOT_REPORTABLE
from moderation.models import (
    UNRESOLVED,
    Appeal,
    Case,
    CaseOutcome,
    CaseStatus,
    Flag,
    Report,
    Review,
    ReviewStatus,
    Statement,
    TargetType,
    UserWarning,
)
from moderation.permissions import VIEW_REVIEW_DEADLINE

VIEW_REVIEWS = "moderation.view_review"


def warnings_of(user: User) -> QuerySet[UserWarning]:
    """The user's own warnings, newest first, with their types (one query)."""
    return UserWarning.objects.filter(user=user).select_related("type").order_by("-issued_at")


def statements_of(user: User) -> QuerySet[Statement]:
    """The member's statements of reasons, newest first, with their appeals (one query)."""
    return Statement.objects.filter(user=user).select_related("appeal").order_by("-created_at")


def appeal_for(staff: User, appeal_id: uuid.UUID | str) -> Appeal:
    """An appeal, for staff whose role lets them see appeals; 404 for anyone else."""
    if "moderation.view_appeal" not in staff_powers(staff):
        raise Http404
    try:
        appeal: Appeal = Appeal.objects.select_related("statement", "user").get(pk=appeal_id)
        return appeal
    except (Appeal.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error


def open_review_of(user: User) -> Review | None:
    return Review.objects.filter(user=user, status=ReviewStatus.OPEN).first()


def may_see_deadline(staff: User) -> bool:
    """M-9: reviewers see a review's end date; support agents (and superusers without the
    reviewer's role) do not."""
    return VIEW_REVIEW_DEADLINE in staff_powers(staff)


def reviews_for(staff: User) -> QuerySet[Review]:
    """Every review, for staff whose role lets them see reviews; anyone else gets 404."""
    if VIEW_REVIEWS not in staff_powers(staff):
        raise Http404
    return Review.objects.select_related("user", "opened_by", "decided_by").order_by(
        "-opened_at", "-id"
    )


def review_for(staff: User, review_id: uuid.UUID | str) -> Review:
    try:
        return reviews_for(staff).get(pk=review_id)
    except (Review.DoesNotExist, ValueError) as error:
        raise Http404 from error


def review_days() -> int:
    return int(settings.REVIEW_DAYS)


@dataclass(frozen=True)
class BanConsequences:
    """What a ban of this member would set off (M-7), for the confirmation page."""

    open_orders: int
    credit_cents: int
    holdable_cents: int
    hold_days: int


def ban_consequences(user: User) -> BanConsequences:
    balances = money.balances(user)
    open_orders = Order.objects.filter(
        Q(seller=user) | Q(buyer=user), status__in=Order.OPEN_STATUSES
    ).count()
    return BanConsequences(
        open_orders=open_orders,
        credit_cents=balances.credit_cents,
        holdable_cents=balances.available_cents + balances.pending_cents,
        hold_days=settings.BAN_HOLD_DAYS,
    )


# ---------------------------------------------------------------- what a member may report
@dataclass(frozen=True)
class Target:
    """What a report or a flag is about, and whom (`subject`: a message's sender, the member
    reported, the other party of a two-person call)."""

    type: str
    message: Message | None = None
    call: Call | None = None
    subject: User | None = None


def _can_see_member(viewer: User, member: User) -> bool:
    """A member is visible to whoever talks with them (a conversation) or through their public
    gigs (a restricted or banned seller's are hidden); nobody else can name them."""
    low, high = sorted((viewer.pk, member.pk))
    return (
        Conversation.objects.filter(user_low_id=low, user_high_id=high).exists()
        or money.public_gigs().filter(seller=member).exists()  # hidden gigs show nobody (K-1)
    )


def report_target(viewer: User, target_type: str, target_id: object) -> Target:
    """The target a member may report: a message of a conversation they take part in, a member
    they can see, a call they took part in. 404 for anything else (an outsider learns nothing);
    400 for themselves and their own messages, and for system notices."""
    try:
        if target_type == TargetType.MESSAGE:
            message = Message.objects.select_related("conversation", "sender").get(
                pk=int(str(target_id))
            )
            conversation = message.conversation
            if viewer.pk not in (conversation.user_low_id, conversation.user_high_id):
                raise Http404
            if message.sender is None:
                raise error_for(NOT_REPORTABLE)
            if message.sender_id == viewer.pk:
                raise error_for(CANNOT_REPORT_SELF)
            return Target(TargetType.MESSAGE, message=message, subject=message.sender)
        if target_type == TargetType.USER:
            member = User.objects.get(pk=int(str(target_id)), is_staff=False)
            if member.pk == viewer.pk:
                raise error_for(CANNOT_REPORT_SELF)
            if not _can_see_member(viewer, member):
                raise Http404
            return Target(TargetType.USER, subject=member)
        if target_type == TargetType.CALL:
            call = calls.call_for(viewer, target_id)
            return Target(TargetType.CALL, call=call, subject=other_party(call, viewer))
    except (
        Message.DoesNotExist,
        User.DoesNotExist,
        ValueError,
        OverflowError,
        ValidationError,
    ) as error:
        raise Http404 from error
    raise Http404


def unresolved_cases(target: Target) -> QuerySet[Case]:
    """The target's unresolved case (at most one: a constraint per target type)."""
    cases = Case.objects.filter(target_type=target.type, status__in=UNRESOLVED)
    if target.type == TargetType.MESSAGE:
        return cases.filter(message=target.message)
    if target.type == TargetType.CALL:
        return cases.filter(call=target.call)
    return cases.filter(subject=target.subject)


def open_report_by(viewer: User, target: Target) -> Report | None:
    """The viewer's report on this target while its case is still open (a second one would be
    refused: the report page says so instead of asking again)."""
    return (
        Report.objects.filter(reporter=viewer, case__in=unresolved_cases(target))
        .order_by("-created_at")
        .first()
    )


def other_party(call: Call, reporter: User) -> User | None:
    """Whom a participant's report of a call is about: the other party of a two-person call;
    nobody when it is unclear (invited guests)."""
    others = list(
        User.objects.filter(
            call_participations__call=call,
            call_participations__role__in=[ParticipantRole.HOST, ParticipantRole.PARTY],
        )
        .exclude(pk=reporter.pk)
        .distinct()[:2]
    )
    return others[0] if len(others) == 1 else None


# ---------------------------------------------------------------- the queue (M-10)
VIEW_CASES = "moderation.view_case"


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters; empty means any. `status` empty is the work left (open and in
    review); `assignee` is a staff member's id, "me" or "none"."""

    status: str = ""
    target_type: str = ""
    reason: str = ""
    assignee: str = ""


def cases_for(staff: User) -> QuerySet[Case]:
    """Every case, for staff whose role lets them see the queue; anyone else gets 404."""
    if VIEW_CASES not in staff_powers(staff):
        raise Http404
    return Case.objects.all()


def queue_for(staff: User, filters: QueueFilters) -> QuerySet[Case]:
    """The queue, filtered, in its order (`rank`, then id). Each filter narrows one index walk:
    the work left uses the partial index of unresolved cases, one status its own index. The
    list names its people and targets by id: no join."""
    cases = cases_for(staff)
    cases = (
        cases.filter(status=filters.status)
        if filters.status
        else cases.filter(status__in=UNRESOLVED)
    )
    if filters.target_type:
        cases = cases.filter(target_type=filters.target_type)
    if filters.reason:
        cases = cases.filter(reason=filters.reason)
    if filters.assignee == "me":
        cases = cases.filter(assignee=staff)
    elif filters.assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee:
        cases = cases.filter(assignee_id=int(filters.assignee))
    return cases


def case_for_staff(staff: User, case_id: uuid.UUID | str) -> Case:
    try:
        return (
            cases_for(staff)
            .select_related("subject", "assignee", "decided_by", "message", "call")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error


@dataclass(frozen=True)
class CaseContext:
    """What a reviewer needs to decide a case, in one place: every report and flag, the
    message with its neighbours in the conversation, the call with its transcript excerpts
    (the flags' details), and the member's history."""

    reports: list[Report]
    flags: list[Flag]
    neighbours: list[Message]
    participants: list[User]
    has_recording: bool
    earlier_warnings: int
    earlier_cases: int
    open_review: Review | None


NEIGHBOURS = 3


def case_context(case: Case) -> CaseContext:
    neighbours: list[Message] = []
    if case.message is not None:
        around = Message.objects.filter(conversation_id=case.message.conversation_id)
        before = list(
            around.filter(pk__lt=case.message.pk)
            .select_related("sender")
            .order_by("-pk")[:NEIGHBOURS]
        )
        after = list(
            around.filter(pk__gte=case.message.pk)
            .select_related("sender")
            .order_by("pk")[: NEIGHBOURS + 1]
        )
        neighbours = [*reversed(before), *after]
    participants: list[User] = []
    has_recording = False
    if case.call is not None:
        participants = [p.user for p in calls.participants_of(case.call)]
        has_recording = Recording.objects.filter(call=case.call).exists()
    subject = case.subject
    return CaseContext(
        reports=list(case.reports.select_related("reporter").order_by("created_at")),
        flags=list(Flag.objects.filter(case=case).order_by("created_at")),
        neighbours=neighbours,
        participants=participants,
        has_recording=has_recording,
        earlier_warnings=(
            UserWarning.objects.filter(user=subject, withdrawn_at__isnull=True).count()
            if subject
            else 0
        ),
        earlier_cases=(
            Case.objects.filter(subject=subject).exclude(pk=case.pk).count() if subject else 0
        ),
        open_review=open_review_of(subject) if subject else None,
    )


# ---------------------------------------------------------------- the dashboard
@dataclass(frozen=True)
class Dashboard:
    """The queue at a glance: the backlog by age, how fast cases are first handled and
    decided, and who decided how many, over the last `days`."""

    backlog: list[tuple[str, int]]
    in_review: int
    days: int
    decided: int
    to_first_action: timedelta | None
    to_decision: timedelta | None
    per_reviewer: list[dict[str, Any]]


def dashboard(now: datetime, *, days: int = 30) -> Dashboard:
    unresolved = Case.objects.filter(status__in=UNRESOLVED)
    edges = [
        ("under_hour", now - timedelta(hours=1)),
        ("under_day", now - timedelta(days=1)),
        ("under_week", now - timedelta(days=7)),
    ]
    counts = unresolved.aggregate(
        under_hour=Count("pk", filter=Q(created_at__gt=edges[0][1])),
        under_day=Count("pk", filter=Q(created_at__gt=edges[1][1], created_at__lte=edges[0][1])),
        under_week=Count("pk", filter=Q(created_at__gt=edges[2][1], created_at__lte=edges[1][1])),
        older=Count("pk", filter=Q(created_at__lte=edges[2][1])),
        in_review=Count("pk", filter=Q(status=CaseStatus.IN_REVIEW)),
    )
    decided = Case.objects.filter(
        status=CaseStatus.RESOLVED, decided_at__gt=now - timedelta(days=days)
    )
    timing = decided.aggregate(
        n=Count("pk"),
        first=Avg(
            ExpressionWrapper(F("first_action_at") - F("created_at"), output_field=DurationField())
        ),
        decision=Avg(
            ExpressionWrapper(F("decided_at") - F("created_at"), output_field=DurationField())
        ),
    )
    per_reviewer = [
        dict(row)
        for row in decided.values("decided_by__display_name", "decided_by__email")
        .annotate(
            total=Count("pk"),
            dismissed=Count("pk", filter=Q(outcome=CaseOutcome.DISMISS)),
            warned=Count("pk", filter=Q(outcome=CaseOutcome.WARN)),
            restricted=Count("pk", filter=Q(outcome=CaseOutcome.RESTRICT)),
            banned=Count("pk", filter=Q(outcome=CaseOutcome.BAN)),
        )
        .order_by("-total", "decided_by__email")
    ]
    return Dashboard(
        backlog=[
            (name, counts[name]) for name in ("under_hour", "under_day", "under_week", "older")
        ],
        in_review=counts["in_review"],
        days=days,
        decided=timing["n"],
        to_first_action=timing["first"],
        to_decision=timing["decision"],
        per_reviewer=per_reviewer,
    )
