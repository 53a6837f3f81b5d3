"""Reports (C-10, M-10): a member reports a call, a message or a member, and staff open a
reported or flagged call's recording (C-12), each audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404

from accounts import audit as audit_log
from accounts.models import User
from accounts.permissions import may_use_staff_power
from calls import selectors as calls
from calls.models import Call
from core import clock, ratelimit
from core.errors import Conflict
from core.services import notify
from moderation import audit, notices
from moderation.errors import ALREADY_REPORTED, NO_REPORT_OR_FLAG
from moderation.models import ConductRule, Flag, Report, TargetType
from moderation.selectors import Target, other_party
from moderation.services import cases

ACCESS_RECORDING = "accounts.access_call_recording"
# The signed link a staff member's player streams from: one per audited opening.
RECORDING_LINK_SALT = "moderation.recording"


_REPORTED = {
    TargetType.CALL: audit.CALL_REPORTED,
    TargetType.MESSAGE: audit.MESSAGE_REPORTED,
    TargetType.USER: audit.USER_REPORTED,
}


def file_report(target: Target, *, actor: User, reason: ConductRule | str, details: str) -> Report:
    """A member reports what they can see (the caller found it: `selectors.report_target`)
    with a C-9 reason: the report joins the target's case, the reporter is told at once that
    it arrived (DSA Art. 16), and it is audited. At most `REPORT_RATE_LIMIT` an hour (429);
    once per member and open case (409)."""
    ratelimit.check(
        f"moderation-report:{actor.pk}",
        limit=settings.REPORT_RATE_LIMIT,
        window_seconds=3600,
        when_down=ratelimit.WhenDown.ALLOW,
    )
    reason = ConductRule(reason)
    now = clock.now()
    try:
        with transaction.atomic():
            case = cases.join_case(target, reason=reason, now=now, reports=1)
            report = Report.objects.create(
                target_type=target.type,
                call=target.call,
                message=target.message,
                case=case,
                reporter=actor,
                reported_user=target.subject,
                reason=reason,
                details=details.strip(),
                created_at=now,
                updated_at=now,
            )
            audit_log.record(
                _REPORTED[TargetType(target.type)],
                actor=actor,
                target_user=target.subject,
                obj=report,
                reason=report.get_reason_display(),
                data={"case": str(case.pk), "target_type": target.type},
            )
            notify(actor, notices.REPORT_RECEIVED, {"target_type": target.type, "reason": reason})
    except IntegrityError as error:
        if "moderation_report_once" not in str(error):
            raise  # not the once-per-case rule: a real fault, not the member's second click
        raise Conflict(ALREADY_REPORTED) from error
    return report


def report_call(call: Call, *, actor: User, reason: ConductRule | str, details: str) -> Report:
    """C-10: a participant (the caller has checked: `calls.selectors.call_for`) reports the
    call, about the other party when there are two."""
    target = Target(TargetType.CALL, call=call, subject=other_party(call, actor))
    return file_report(target, actor=actor, reason=reason, details=details)


@dataclass(frozen=True)
class Grounds:
    """Why the platform may look at a call's recording: its reports and flags (C-12)."""

    reports: list[str]
    flags: list[str]

    def __bool__(self) -> bool:
        return bool(self.reports or self.flags)


def grounds_for(call: Call) -> Grounds:
    return Grounds(
        reports=[str(pk) for pk in Report.objects.filter(call=call).values_list("pk", flat=True)],
        flags=[str(pk) for pk in Flag.objects.filter(call=call).values_list("pk", flat=True)],
    )


def _may_open(call: Call, staff: User) -> Grounds:
    """C-12's rule, whoever asks: the reviewer's permission through a role AND a report or a
    flag on the call. Refuses (403 with the missing part's code) or returns the grounds."""
    grounds = grounds_for(call)
    may_use_staff_power(
        staff, ACCESS_RECORDING, condition=bool(grounds), otherwise=NO_REPORT_OR_FLAG
    ).enforce()
    return grounds


def open_recording(call: Call, *, actor: User, reason: str) -> str:
    """C-12: a staff member opens a call's recording — only with the reviewer's permission
    through a role (superusers included: being one grants nothing here), only when the call
    was reported or flagged, only within the recording's retention, and every opening is
    audited with who, when, which call and why. Returns the signed token of a stream that
    lives at most RECORDING_URL_SECONDS, for this staff member alone."""
    grounds = _may_open(call, actor)
    recording = calls.readable_recording(call)  # 404 before the end, 410 after the retention
    with transaction.atomic():
        audit_log.record(
            audit.RECORDING_OPENED,
            actor=actor,
            target_user=call.host,
            obj=call,
            reason=reason.strip(),
            data={"reports": grounds.reports, "flags": grounds.flags},
        )
    return signing.dumps(
        {"call": str(recording.call_id), "user": actor.pk}, salt=RECORDING_LINK_SALT
    )


def recording_by_link(token: str, *, viewer: User) -> Call:
    """The call behind a staff member's signed recording link: only theirs, only while it
    lives, and only while they still may (a revoked role ends it at once). Not audited again:
    the opening was."""
    try:
        claim = signing.loads(
            token, salt=RECORDING_LINK_SALT, max_age=settings.RECORDING_URL_SECONDS
        )
    except signing.BadSignature as error:
        raise Http404 from error
    if claim.get("user") != viewer.pk:
        raise Http404
    call = Call.objects.filter(pk=claim.get("call")).first()
    if call is None:
        raise Http404
    _may_open(call, viewer)
    return call
