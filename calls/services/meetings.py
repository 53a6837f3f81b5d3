"""Calls themselves (C-5…C-8, C-13): start one (booking a host of the pool), invite people,
join, end.

The provider is reached through `calls.providers.video()`. Starting a call asks it for a meeting
inside the transaction that stores the call, so a provider that refuses leaves nothing behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts import audit as audit_log
from accounts.models import User
from calls import audit, eligibility, notices
from calls.errors import (
    CALL_ALREADY_OPEN,
    CALL_ENDED,
    HOST_ONLY,
    INVALID_INVITE,
    NOT_ELIGIBLE,
    CallNotAllowed,
    CallStateError,
    NoCallCapacity,
)
from calls.models import (
    Call,
    CallStatus,
    HostDay,
    Participant,
    ParticipantRole,
    Recording,
)
from calls.providers import ProviderError, video
from core import clock
from core.errors import DomainError
from core.queue import enqueue_after_commit
from core.retry import first_attempt_at
from core.services import notify
from core.sweep import sweep
from marketplace.models import Conversation, Order
from marketplace.permissions import may_message
from marketplace.selectors import has_open_order_between
from marketplace.services.inbox import conversation_between, post_message

logger = logging.getLogger(__name__)
COLLECT_RECORDING = "calls.tasks.collect_recording"
END_MEETING = "calls.tasks.end_provider_meeting"


class InviteError(DomainError):
    """An invite the form or API answers with field errors: `problems` by e-mail address."""

    default = INVALID_INVITE

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(message="; ".join(f"{email}: {why}" for email, why in problems.items()))
        self.problems = problems


# ---------------------------------------------------------------- starting (C-5, C-6, C-7)
def start_call(
    conversation: Conversation,
    *,
    actor: User,
    scheduled_for: datetime | None = None,
    topic: str = "",
) -> Call:
    """The seller starts a call now or at `scheduled_for` (validated by the caller: not in the
    past, at most CALL_MAX_SCHEDULE_DAYS ahead). The conversation's row is locked, so two
    clicks at once start one call (the second answers `call_already_open`); the database's
    one-open-call constraint backs that up."""
    now = clock.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        other = User.objects.get(pk=conversation.other(actor.pk))
        eligibility.may_start_call(actor, other, now=now).enforce(error=NOT_ELIGIBLE)
        if Call.objects.filter(conversation=conversation, status__in=Call.OPEN_STATUSES).exists():
            raise CallStateError(CALL_ALREADY_OPEN)
        start = scheduled_for or now
        end = start + timedelta(minutes=settings.CALL_DURATION_MINUTES)
        topic = topic.strip() or _default_topic(actor, other)
        host = _book_host(start, end, now=now)
        try:
            meeting = video().create_meeting(
                topic=topic,
                start_time=start,
                duration_minutes=settings.CALL_DURATION_MINUTES,
                host_id=host,
            )
        except ProviderError as error:
            logger.warning("the video provider refused a meeting: %s", error)
            raise NoCallCapacity() from error
        try:
            with transaction.atomic():
                call = Call.objects.create(
                    conversation=conversation,
                    host=actor,
                    order=_open_order_between(actor, other),
                    topic=topic,
                    scheduled_for=start,
                    duration_minutes=meeting.duration_minutes,
                    planned_end_at=start + timedelta(minutes=meeting.duration_minutes),
                    provider_meeting_id=meeting.meeting_id,
                    provider_host_id=host or "",
                    provider_join_url=meeting.join_url,
                    created_at=now,
                )
        except IntegrityError as error:  # the constraint caught what the lock could not
            raise CallStateError(CALL_ALREADY_OPEN) from error
        Participant.objects.bulk_create(
            [
                Participant(call=call, user=actor, role=ParticipantRole.HOST, created_at=now),
                Participant(call=call, user=other, role=ParticipantRole.PARTY, created_at=now),
            ]
        )
        _invite(call, conversation, host=actor, guest=other)
        audit_log.record(
            audit.CALL_STARTED,
            actor=actor,
            target_user=other,
            obj=call,
            data={"scheduled_for": start.isoformat(), "instant": scheduled_for is None},
        )
    return call


def _book_host(start: datetime, end: datetime, *, now: datetime) -> str | None:
    """A host of the pool for a call from `start` to `end`: one that has created fewer than
    VIDEO_HOST_DAILY_CREATES meetings today (UTC) and has no open call overlapping that window,
    the least used first. Each candidate's row of the day is locked (SKIP LOCKED) while it is
    checked, and stays locked until the call is stored, so concurrent starts never book one
    host twice and never wait on each other. None without a pool; `NoCallCapacity` with a
    Retry-After when every host is taken."""
    hosts = settings.VIDEO_HOSTS
    if not hosts:
        return None
    today = now.astimezone(UTC).date()
    HostDay.objects.bulk_create([HostDay(host=h, day=today) for h in hosts], ignore_conflicts=True)
    tried: list[str] = []
    while True:
        candidate = (
            HostDay.objects.select_for_update(skip_locked=True)
            .filter(day=today, host__in=hosts, creates__lt=settings.VIDEO_HOST_DAILY_CREATES)
            .exclude(host__in=tried)
            .order_by("creates", "host")
            .first()
        )
        if candidate is None:
            raise NoCallCapacity(retry_after=_seconds_until_a_host_frees(hosts, start, end, now))
        tried.append(candidate.host)
        if not _overlapping(candidate.host, start, end, now).exists():
            candidate.creates += 1
            candidate.save(update_fields=["creates"])
            return candidate.host


def _overlapping(host: str, start: datetime, end: datetime, now: datetime) -> QuerySet[Call]:
    """The host's open calls whose window meets [start, end). A live call may run past its
    planned end (or have started early): it holds its host for a window starting within a
    call's length from now, whatever its planned times."""
    window = Q(scheduled_for__lt=end, planned_end_at__gt=start)
    if start < now + timedelta(minutes=settings.CALL_DURATION_MINUTES):
        window |= Q(status=CallStatus.LIVE)
    return Call.objects.filter(provider_host_id=host, status__in=Call.OPEN_STATUSES).filter(window)


def _seconds_until_a_host_frees(
    hosts: list[str], start: datetime, end: datetime, now: datetime
) -> int:
    """When trying again may succeed: as the first overlapping call ends, or at the next UTC
    midnight when every host has used its day (at least a minute, at most an hour)."""
    under_limit = HostDay.objects.filter(
        day=now.astimezone(UTC).date(),
        host__in=hosts,
        creates__lt=settings.VIDEO_HOST_DAILY_CREATES,
    ).values_list("host", flat=True)
    ends = [
        max(
            _overlapping(host, start, end, now).values_list("planned_end_at", flat=True),
            default=now,
        )
        for host in under_limit
    ]
    if ends:
        wait = (min(ends) - now).total_seconds()
    else:
        midnight = datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time(), UTC)
        wait = (midnight - now).total_seconds()
    return int(min(max(wait, 60), 3600))


def _default_topic(host: User, other: User) -> str:
    return f"{host.display_name} & {other.display_name}"


def _open_order_between(seller: User, buyer: User) -> Order | None:
    return (
        Order.objects.filter(
            Q(seller=seller, buyer=buyer) | Q(seller=buyer, buyer=seller),
            status__in=Order.OPEN_STATUSES,
        )
        .order_by("-placed_at")
        .first()
    )


def _invite(call: Call, conversation: Conversation, *, host: User, guest: User) -> None:
    """The invitation in the pair's conversation (for both to see) and a notice to the guest."""
    post_message(
        conversation,
        actor=host,
        kind=notices.CALL_INVITATION,
        body=call.topic,
        payload={
            "call": str(call.id),
            "topic": call.topic,
            "scheduled_for": call.scheduled_for.isoformat(),
            "parties": {
                str(user.pk): {"name": user.display_name, "zone": user.timezone}
                for user in (host, guest)
            },
        },
    )
    notify(
        guest,
        notices.INVITED_TO_CALL,
        {"call": str(call.id), "topic": call.topic, "host": host.display_name},
    )


# ---------------------------------------------------------------- invites (C-8)
def invite_participants(call: Call, *, actor: User, emails: Iterable[str]) -> list[Participant]:
    """The seller invites platform users by e-mail: each becomes a participant and finds the
    invitation in their inbox. Gated like a message (M-3); all or nothing, with what is wrong
    with each address (`InviteError.problems`)."""
    now = clock.now()
    wanted = list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.host_id != actor.pk:
            raise CallNotAllowed(HOST_ONLY)
        if not call.is_open:
            raise CallStateError(CALL_ENDED)
        users = {user.email: user for user in User.objects.filter(email__in=wanted)}
        present = set(call.participants.values_list("user_id", flat=True))
        problems: dict[str, str] = {}
        for email in wanted:
            user = users.get(email)
            if user is None:
                problems[email] = str(_("There is no account with this e-mail address."))
            elif user.pk == actor.pk:
                problems[email] = str(_("You are already in the call."))
            elif user.pk in present:
                problems[email] = str(_("This person is already invited."))
            else:
                gate = may_message(actor, user, has_open_order=has_open_order_between(actor, user))
                if not gate:
                    problems[email] = gate.reason
        room = settings.CALL_MAX_PARTICIPANTS - len(present)
        if not problems and len(wanted) > room:
            problems[wanted[room] if room >= 0 else wanted[0]] = str(
                _("A call can have at most %(max)s participants.")
                % {"max": settings.CALL_MAX_PARTICIPANTS}
            )
        if problems or not wanted:
            raise InviteError(problems or {"": str(_("Enter at least one e-mail address."))})
        added = Participant.objects.bulk_create(
            [
                Participant(
                    call=call,
                    user=users[email],
                    role=ParticipantRole.INVITED,
                    invited_by=actor,
                    created_at=now,
                )
                for email in wanted
            ]
        )
        for email in wanted:
            guest = users[email]
            _invite(call, conversation_between(actor, guest), host=actor, guest=guest)
        audit_log.record(
            audit.PARTICIPANTS_INVITED,
            actor=actor,
            target_user=None,
            obj=call,
            data={"invited": [users[email].pk for email in wanted]},
        )
    return added


# ---------------------------------------------------------------- joining and ending
def join_call(call: Call, *, actor: User) -> str:
    """A participant joins: the provider's join URL, which only this checked path hands out.
    The first join makes a scheduled call live."""
    now = clock.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if not call.is_open:
            raise CallStateError(CALL_ENDED)
        Participant.objects.filter(call=call, user=actor, joined_at__isnull=True).update(
            joined_at=now
        )
        _go_live(call, now)
    return call.provider_join_url


def _go_live(call: Call, now: datetime) -> None:
    """A scheduled call goes live (the caller holds its row's lock)."""
    if call.status == CallStatus.SCHEDULED:
        call.status, call.started_at = CallStatus.LIVE, now
        call.save(update_fields=["status", "started_at"])


def mark_call_started(call: Call, *, joined_email: str = "", now: datetime | None = None) -> Call:
    """The provider says the meeting runs, or someone joined it (a webhook): a scheduled call
    goes live, and a participant recognised by e-mail is marked joined. Safe in any order and
    any number of times: an ended call stays ended."""
    now = now or clock.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if joined_email:
            Participant.objects.filter(
                call=call, user__email__iexact=joined_email, joined_at__isnull=True
            ).update(joined_at=now)
        _go_live(call, now)
    return call


def end_call(call: Call, *, actor: User | None) -> Call:
    """Either participant ends the call (or the system, for the provider's own end). Ending
    twice is harmless. A call someone joined gets its recording, due at once: collected from the
    provider after commit, readable by the participants until the end plus the retention (C-11);
    a call nobody joined just closes, so the conversation can have a new one."""
    now = clock.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status == CallStatus.ENDED:
            return call
        call.status, call.ended_at = CallStatus.ENDED, now
        call.save(update_fields=["status", "ended_at"])
        # Nobody joined a call that never went live: there is nothing to record or collect.
        if call.started_at is not None:
            Recording.objects.create(
                call=call,
                expires_at=now + timedelta(days=settings.RECORDING_RETENTION_DAYS),
                created_at=now,
                next_attempt_at=first_attempt_at(now),
            )
        audit_log.record(
            audit.CALL_ENDED,
            actor=actor,
            target_user=call.host,
            obj=call,
            data={"minutes": int((now - (call.started_at or now)).total_seconds() // 60)},
        )
        enqueue_after_commit(END_MEETING, str(call.pk))
        if call.started_at is not None:
            if call.order_id:
                notify(
                    call.host, notices.SUMMARY_PROMPT, {"call": str(call.id), "topic": call.topic}
                )
            enqueue_after_commit(COLLECT_RECORDING, str(call.pk))
    return call


def _overdue_calls(now: datetime) -> QuerySet[Call]:
    grace = timedelta(minutes=settings.CALL_OVERRUN_MINUTES)
    return Call.objects.filter(status__in=Call.OPEN_STATUSES, planned_end_at__lte=now - grace)


def end_overdue_calls(*, now: datetime | None = None) -> int:
    """Calls the provider should have ended long ago — its `meeting.ended` was lost (Zoom gives
    up after three retries), or nobody came — are ended by the system: the host is free again,
    the provider is told, and a call someone joined gets its recording through the provider's
    API (`collect_recording`). A run after downtime ends every overdue call."""

    def act(batch: list[Call], at: datetime) -> None:
        for call in batch:
            end_call(call, actor=None)

    return sweep(_overdue_calls, act, order_by=("planned_end_at", "pk"), now=now, batch_size=50)


def end_provider_meeting(call_id: str) -> None:
    """Tell the provider the meeting is over (the fast path; a provider also ends an empty
    meeting by itself)."""
    call = Call.objects.get(pk=call_id)
    try:
        video().end_meeting(call.provider_meeting_id)
    except ProviderError:
        logger.warning("could not end meeting of call %s at the provider", call_id, exc_info=True)
