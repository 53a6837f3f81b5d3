"""Moderation's writes so far: a participant reports a call (C-10), and staff open a reported or
flagged call's recording (C-12), each audited."""

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
from calls.models import Call, ParticipantRole
from core import clock
from core.errors import Conflict
from moderation import audit
from moderation.errors import ALREADY_REPORTED, NO_REPORT_OR_FLAG
from moderation.models import ConductRule, Flag, Report

ACCESS_RECORDING = "accounts.access_call_recording"
# The signed link a staff member's player streams from: one per audited opening.
RECORDING_LINK_SALT = "moderation.recording"


def report_call(call: Call, *, actor: User, reason: ConductRule | str, details: str) -> Report:
    """A participant (the caller has checked: `calls.selectors.call_for`) reports the call
    with a C-9 reason. About the other party when there are two; once per person and call."""
    now = clock.now()
    others = list(
        call.participants.exclude(user=actor)
        .filter(role__in=[ParticipantRole.HOST, ParticipantRole.PARTY])
        .values_list("user_id", flat=True)
    )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                call=call,
                reporter=actor,
                reported_user_id=others[0] if len(others) == 1 else None,
                reason=ConductRule(reason),
                details=details.strip(),
                created_at=now,
                updated_at=now,
            )
            audit_log.record(
                audit.CALL_REPORTED,
                actor=actor,
                target_user=report.reported_user,
                obj=report,
                reason=report.get_reason_display(),
                data={"call": str(call.pk)},
            )
    except IntegrityError as error:
        raise Conflict(ALREADY_REPORTED) from error
    return report


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
