"""The trust-and-safety queue (M-10): reports and flags gather into one case per target, staff
take cases ("review next", or assigned), and decide them through the sanctions services.

Two staff members never hold the same case: "review next" claims the most urgent case nobody
holds with `SELECT … FOR UPDATE SKIP LOCKED`, so two presses at the same moment take two
different rows; a claim lasts `CASE_CLAIM_MINUTES`, after which the case is anyone's again
(`release_expired_claims` puts it back as open; the queue does not wait for the job).

Locks, where a decision sanctions a member: the member's row first (as every sanction takes
it), then the case.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts import audit as audit_log
from accounts.models import User
from accounts.permissions import staff_powers
from calls.selectors import calls_of
from core import clock
from core.errors import Conflict, error_for
from core.services import notify_many
from core.sweep import sweep
from marketplace.services.ledger import lock_user
from moderation import audit, notices, triage
from moderation.errors import (
    CASE_CLAIMED,
    CASE_HAS_NO_SUBJECT,
    CASE_RESOLVED,
    NOT_A_HANDLER,
    WARNING_TYPE_REQUIRED,
)
from moderation.models import (
    UNRESOLVED,
    Case,
    CaseOutcome,
    CaseStatus,
    Flag,
    ItemStatus,
    Report,
    UserWarning,
    WarningType,
)
from moderation.permissions import HANDLE_REPORT
from moderation.selectors import Target, unresolved_cases
from moderation.services import statements
from moderation.services.common import require_staff_power
from moderation.services.sanctions import Evidence, ban_user, issue_warning, restrict_user


# ---------------------------------------------------------------- gathering
def join_case(
    target: Target,
    *,
    reason: str,
    now: datetime,
    reports: int = 0,
    flags: int = 0,
    sensitive: bool = False,
) -> Case:
    """Count a report or a flag into the target's unresolved case — locked, its place in the
    queue updated — or into a new one: one write either way, inside the caller's transaction.
    Two first reports at the same moment both try to create it; the one-per-target constraint
    lets one win and the other joins its case."""
    for _attempt in range(3):
        case = unresolved_cases(target).select_for_update().first()
        if case is None:
            case = _new_case(target, reason=reason, now=now)
        case.reports_count += reports
        case.flags_count += flags
        case.sensitive = case.sensitive or sensitive
        _rerank(case)
        if not case._state.adding:
            case.save(
                update_fields=["reports_count", "flags_count", "sensitive", "priority", "rank"]
            )
            return case
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return case
        except IntegrityError:
            continue  # someone created it between our look and our insert: join theirs
    raise RuntimeError("the target's case could neither be found nor created")


def _new_case(target: Target, *, reason: str, now: datetime) -> Case:
    """An unsaved case for the target; a subject warned or reported before is a repeat target."""
    repeat = target.subject is not None and (
        UserWarning.objects.filter(user=target.subject, withdrawn_at__isnull=True).exists()
        or Case.objects.filter(subject=target.subject).exclude(outcome=CaseOutcome.DISMISS).exists()
    )
    return Case(
        target_type=target.type,
        message=target.message,
        call=target.call,
        subject=target.subject,
        reason=reason,
        repeat_target=repeat,
        created_at=now,
    )


def _rerank(case: Case) -> None:
    case.priority = triage.priority(
        sensitive=case.sensitive,
        repeat_target=case.repeat_target,
        items=case.reports_count + case.flags_count,
    )
    case.rank = triage.rank(case.priority, case.created_at)


# ---------------------------------------------------------------- taking cases
def _claim(case: Case, staff: User, now: datetime) -> None:
    case.status = CaseStatus.IN_REVIEW
    case.assignee = staff
    case.claim_expires_at = now + timedelta(minutes=settings.CASE_CLAIM_MINUTES)
    case.first_action_at = case.first_action_at or now
    case.save(update_fields=["status", "assignee", "claim_expires_at", "first_action_at"])


def review_next(actor: User) -> Case | None:
    """The most urgent case nobody holds, now held by `actor` — or the one they already hold
    (a reviewer works one case at a time). None when the queue is empty."""
    require_staff_power(actor, HANDLE_REPORT)
    now = clock.now()
    with transaction.atomic():
        held = (
            Case.objects.select_for_update()
            .filter(status=CaseStatus.IN_REVIEW, assignee=actor, claim_expires_at__gt=now)
            .order_by("rank", "id")
            .first()
        )
        if held is not None:
            return held
        case = (
            Case.objects.select_for_update(skip_locked=True)
            .filter(status__in=UNRESOLVED)
            .filter(Q(status=CaseStatus.OPEN) | Q(claim_expires_at__lte=now))
            .order_by("rank", "id")
            .first()
        )
        if case is None:
            return None
        _claim(case, actor, now)
        audit_log.record(
            audit.CASE_CLAIMED, actor=actor, target_user=case.subject, obj=case, reason=""
        )
    return case


def assign_case(case: Case, *, actor: User, assignee: User | None) -> Case:
    """Give the case to a staff member who handles reports (themselves included), or back to
    the queue (`assignee=None`). Refused while someone else's claim runs, unless the actor is
    that someone."""
    require_staff_power(actor, HANDLE_REPORT)
    if assignee is not None and HANDLE_REPORT not in staff_powers(assignee):
        raise error_for(NOT_A_HANDLER)
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case.is_open:
            raise Conflict(CASE_RESOLVED)
        if case.held_by_other(actor, now):
            raise Conflict(CASE_CLAIMED)
        if assignee is None:
            _release([case])
            action = audit.CASE_RELEASED
        else:
            _claim(case, assignee, now)
            action = audit.CASE_CLAIMED if assignee.pk == actor.pk else audit.CASE_ASSIGNED
        audit_log.record(
            action,
            actor=actor,
            target_user=case.subject,
            obj=case,
            reason="",
            data={"assignee": assignee.pk if assignee else None},
        )
    return case


def _release(cases: list[Case]) -> None:
    for case in cases:
        case.status, case.assignee, case.claim_expires_at = CaseStatus.OPEN, None, None
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(
        status=CaseStatus.OPEN, assignee=None, claim_expires_at=None
    )


def release_expired_claims(*, now: datetime | None = None) -> int:
    """Claims past their timeout go back to the queue as open (the due-date sweep of
    `claim_expires_at`). Idempotent; "review next" already treats them as free."""
    return sweep(
        lambda at: Case.objects.filter(status=CaseStatus.IN_REVIEW, claim_expires_at__lte=at),
        lambda batch, _now: _release(batch),
        order_by=("claim_expires_at", "id"),
        now=now,
    )


# ---------------------------------------------------------------- deciding
def resolve_case(
    case: Case,
    *,
    actor: User,
    outcome: CaseOutcome | str,
    note: str,
    warning_type: WarningType | None = None,
    member: User | None = None,
) -> Case:
    """Decide the case: dismiss it, or warn, restrict or ban its member through the sanctions
    services (their powers, escalation and notices apply exactly as from the admin's user
    page). The reports and flags follow the outcome, and every reporter is told (DSA Art. 16).

    `member` names whom a call's case is about when the case does not (a flagged transcript):
    one who took part in the call. A case that names its member is decided about them."""
    require_staff_power(actor, HANDLE_REPORT)
    outcome = CaseOutcome(outcome)
    if case.subject_id is not None and member is not None and member.pk != case.subject_id:
        raise error_for(CASE_HAS_NO_SUBJECT)  # a case that names its member decides about them
    member = case.subject or (member if case.target_type == "call" else None)
    if outcome != CaseOutcome.DISMISS:
        if member is None:
            raise error_for(CASE_HAS_NO_SUBJECT)
        if case.call_id and not calls_of(member).filter(pk=case.call_id).exists():
            raise error_for(CASE_HAS_NO_SUBJECT)
    with transaction.atomic():
        if member is not None and outcome != CaseOutcome.DISMISS:
            lock_user(member.pk)  # the sanctions' lock order: the member first
        case = Case.objects.select_for_update().get(pk=case.pk)
        now = clock.now()
        if not case.is_open:
            raise Conflict(CASE_RESOLVED)
        if case.held_by_other(actor, now):
            raise Conflict(CASE_CLAIMED)
        note = note.strip()
        if member is not None and outcome != CaseOutcome.DISMISS:
            _sanction(case, outcome, member=member, actor=actor, note=note, type=warning_type)
        _close(case, actor=actor, outcome=outcome, note=note, member=member, now=now)
    return case


def _sanction(
    case: Case,
    outcome: CaseOutcome,
    *,
    member: User,
    actor: User,
    note: str,
    type: WarningType | None,
) -> None:
    """Carry out the outcome through the sanctions services; what they create is kept on the
    case."""
    if outcome == CaseOutcome.WARN:
        if type is None:
            raise error_for(WARNING_TYPE_REQUIRED)
        case.warning = issue_warning(
            member, actor=actor, warning_type=type, note=note, evidence=_evidence(case)
        )
        case.review = case.warning.review
        return
    grounds = statements.Grounds(
        facts=statements.case_facts(case, member),
        rule=case.reason,
        detected=case.flags_count > 0,
    )
    if outcome == CaseOutcome.RESTRICT:
        case.review = restrict_user(member, actor=actor, reason=note, grounds=grounds)
    elif outcome == CaseOutcome.BAN:
        case.ban = ban_user(member, actor=actor, reason=note, grounds=grounds)


def _evidence(case: Case) -> Evidence:
    if case.target_type == "message":
        return Evidence(message=case.message)
    if case.target_type == "call":
        return Evidence(call=case.call)
    report = case.reports.order_by("created_at").first()
    return Evidence(report=report)


def _close(
    case: Case,
    *,
    actor: User,
    outcome: CaseOutcome,
    note: str,
    member: User | None,
    now: datetime,
) -> None:
    case.status, case.outcome, case.decided_by = CaseStatus.RESOLVED, outcome, actor
    case.decided_at, case.decision_note = now, note
    case.first_action_at = case.first_action_at or now
    case.assignee = case.assignee or actor
    case.claim_expires_at = None
    if member is not None and case.subject_id is None:
        case.subject = member
    case.save()
    followed = ItemStatus.DISMISSED if outcome == CaseOutcome.DISMISS else ItemStatus.RESOLVED
    case.reports.update(status=followed, updated_at=now)
    Flag.objects.filter(case=case).update(status=followed, updated_at=now)
    kind = notices.REPORT_DISMISSED if outcome == CaseOutcome.DISMISS else notices.REPORT_ACTIONED
    reports = Report.objects.filter(case=case).select_related("reporter")
    notify_many(
        kind,
        [
            (report.reporter, {"target_type": report.target_type, "reason": report.reason})
            for report in reports
        ],
    )
    audit_log.record(
        audit.CASE_RESOLVED,
        actor=actor,
        target_user=case.subject,
        obj=case,
        reason=note,
        data={
            "outcome": outcome,
            "reports": case.reports_count,
            "flags": case.flags_count,
            "warning": str(case.warning_id) if case.warning_id else None,
            "review": str(case.review_id) if case.review_id else None,
            "ban": str(case.ban_id) if case.ban_id else None,
        },
    )
