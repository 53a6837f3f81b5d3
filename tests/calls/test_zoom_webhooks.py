"""Zoom's webhooks (issue: Zoom, points 3-5 and 7): the signature over the raw body (every
known-answer vector of `../shared/zoom/`), the URL validation, refusals that record nothing
and queue nothing, events logged once by their business key, and one final state whatever the
order of the five events — the recording and its transcript stored once, Zoom's copy then
deleted for good."""

from __future__ import annotations

import copy
import itertools
import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User
from calls import services, webhooks
from calls.models import Call, CallStatus, EventOutcome, ProviderEvent, Recording, RecordingStatus
from marketplace.services.inbox import conversation_between
from tests.calls.zoom_contract import sample, signature_vectors
from tests.calls.zoom_fake import FakeZoom
from tests.clients import as_user
from tests.concurrency import at_once, race
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret-for-tests"
URL = "/webhooks/zoom/"


@pytest.fixture(autouse=True)
def webhook_secret(settings) -> None:
    settings.ZOOM_WEBHOOK_SECRET = SECRET


def post(
    body: bytes | dict[str, Any],
    *,
    secret: str = SECRET,
    timestamp: str | None = None,
    signed_body: bytes | None = None,
    headers: dict[str, str | None] | None = None,
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    stamp = timestamp if timestamp is not None else str(int(time.time()))
    signature = webhooks.signature(secret, stamp, signed_body if signed_body is not None else raw)
    sent: dict[str, str] = {"x-zm-signature": signature, "x-zm-request-timestamp": stamp}
    for name, value in (headers or {}).items():
        if value is None:
            sent.pop(name, None)
        else:
            sent[name] = value
    return Client().post(URL, data=raw, content_type="application/json", headers=sent)


# ---------------------------------------------------------------- the signature
def test_every_known_answer_vector():
    vectors = signature_vectors()
    for vector in vectors["vectors"]:
        computed = webhooks.signature(
            vectors["secret"], vector["timestamp"], vector["body"].encode()
        )
        assert computed == vector["signature"]


def test_the_url_validation_is_answered_with_the_hmac_of_the_plain_token():
    body = sample("endpoint.url_validation")
    answer = post(body)
    assert answer.status_code == 200
    plain = body["payload"]["plainToken"]
    expected = webhooks.url_validation_answer(body, SECRET)
    assert answer.json() == {"plainToken": plain, "encryptedToken": expected["encryptedToken"]}
    assert len(expected["encryptedToken"]) == 64
    assert post(body, secret="not-ours").status_code == 401


def refusals() -> list[tuple[str, dict[str, Any]]]:
    return [
        ("forged", {"signed_body": b'{"event": "meeting.ended"}'}),
        ("stale", {"offset": -301}),
        ("future", {"offset": 301}),
        ("missing signature", {"headers": {"x-zm-signature": None}}),
        ("missing timestamp", {"headers": {"x-zm-request-timestamp": None}}),
        ("wrong secret", {"secret": "someone-elses"}),
        ("re-serialised JSON", {"reserialise": True}),
        ("truncated body", {"truncate": True}),
        ("timestamp not a number", {"timestamp": "yesterday"}),
    ]


@pytest.mark.parametrize(("case", "how"), refusals(), ids=[case for case, _ in refusals()])
def test_requests_that_are_not_zoom_s_are_401_and_record_nothing(
    case, how, django_capture_on_commit_callbacks
):
    how = dict(how)
    if "offset" in how:
        how["timestamp"] = str(int(time.time()) + how.pop("offset"))
    body = json.dumps(sample("meeting.ended"), indent=2).encode()
    if how.pop("reserialise", False):
        # Signed as Zoom sent it; a proxy that re-serialises the JSON changes the bytes.
        how["signed_body"] = body
        body = json.dumps(json.loads(body)).encode()
    if how.pop("truncate", False):
        how["signed_body"] = body
        body = body[:-10]
    with django_capture_on_commit_callbacks() as queued:
        answer = post(body, **how)
    assert answer.status_code == 401, case
    assert answer.json()["code"].startswith(("signature", "timestamp"))
    assert not ProviderEvent.objects.exists()
    assert queued == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "malformed"),
        (b'["a list"]', "malformed"),
        (json.dumps({"event": "meeting.ended", "payload": {}}).encode(), "malformed"),
        (
            json.dumps({"event": "meeting.ended", "payload": {"object": {"id": "1"}}}).encode(),
            "malformed",
        ),
        (b'{"event": "recording.completed", "pad": "' + b"x" * 70_000 + b'"}', "too_large"),
    ],
)
def test_malformed_or_oversized_signed_requests_are_400_and_record_nothing(
    body, code, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        answer = post(body)
    assert (answer.status_code, answer.json()["code"]) == (400, code)
    assert not ProviderEvent.objects.exists()
    assert queued == []


def test_only_post_is_allowed():
    assert Client().get(URL).status_code == 405


def test_events_the_product_does_not_handle_are_acknowledged_and_not_kept():
    answer = post({"event": "meeting.sharing_started", "payload": {"object": {}}})
    assert (answer.status_code, answer.json()) == (200, {"status": "ignored"})
    assert not ProviderEvent.objects.exists()


def test_an_event_is_logged_once_however_often_zoom_sends_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        for _ in range(3):
            assert post(sample("meeting.ended")).status_code == 200
    assert ProviderEvent.objects.count() == 1
    assert len(queued) == 1  # one task for the one event


@pytest.fixture
def drains(monkeypatch) -> list[str]:
    """The drain tasks handed to the broker (which refuses them while `refuse` holds True)."""
    from calls.services import provider_events

    sent: list[str] = []

    def send_now(task_name: str, *args: Any) -> bool:
        if sent and sent[-1] == "refuse":
            sent.pop()
            return False
        sent.append(task_name)
        return True

    monkeypatch.setattr(provider_events, "send_now", send_now)
    return sent


def started(n: int) -> dict[str, Any]:
    body = copy.deepcopy(sample("meeting.started"))
    body["payload"]["object"]["uuid"] = f"burst-{n}"
    return body


def test_a_burst_of_events_queues_one_drain_and_a_later_event_the_next(
    drains, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            post(started(n))
    assert ProviderEvent.objects.count() == 5
    assert drains == [services.DRAIN_EVENTS]  # one drain for the burst
    assert services.drain_provider_events() == 5  # it applies them all (unknown meetings)
    assert set(ProviderEvent.objects.values_list("outcome", flat=True)) == {
        EventOutcome.UNKNOWN_MEETING
    }
    with django_capture_on_commit_callbacks(execute=True):
        post(started(5))  # after the drain started: it queues the next one
    assert drains == [services.DRAIN_EVENTS] * 2


def test_a_drain_the_broker_refused_leaves_no_flag_behind(
    drains, django_capture_on_commit_callbacks
):
    drains.append("refuse")
    with django_capture_on_commit_callbacks(execute=True):
        post(started(0))  # the broker refuses its drain
    assert drains == []
    with django_capture_on_commit_callbacks(execute=True):
        post(started(1))  # so the next event queues one at once
    assert drains == [services.DRAIN_EVENTS]


def test_events_whose_drain_was_lost_are_applied_by_the_retry_job(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        post(sample("meeting.ended"))  # the broker lost the drain task
    with time_machine.travel(timedelta(minutes=3)):
        call_command("runjob", "retry_provider_events")
    assert ProviderEvent.objects.get().outcome == EventOutcome.UNKNOWN_MEETING


def test_an_event_for_an_unknown_meeting_is_kept_and_ignored():
    post(sample("recording.completed"))
    event = ProviderEvent.objects.get()
    assert event.meeting_id == "85012345678"  # a number in recording events, normalised
    services.apply_provider_event(event.pk)
    event.refresh_from_db()
    assert event.outcome == EventOutcome.UNKNOWN_MEETING


def test_meeting_ids_are_the_same_string_in_meeting_and_recording_events():
    started = webhooks.notice_of(sample("meeting.started"))
    completed = webhooks.notice_of(sample("recording.completed"))
    assert started is not None
    assert completed is not None
    assert started.meeting_id == completed.meeting_id == "85012345678"


def test_this_is_the_one_csrf_exempt_view_of_the_product():
    from rest_framework.views import APIView

    def views(resolver: URLResolver) -> list[Any]:
        found = []
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                found += views(pattern)
            elif isinstance(pattern, URLPattern):
                found.append(pattern.callback)
        return found

    exempt = [
        view
        for view in views(get_resolver())
        if getattr(view, "csrf_exempt", False)
        # DRF's views are exempt at Django's level and check CSRF in SessionAuthentication.
        and not issubclass(getattr(view, "cls", object), APIView)
    ]
    # The API's catch-all 404 is exempt too, and answers every request the same: not found.
    assert sorted(view.__name__ for view in exempt) == ["no_such_endpoint", "zoom_webhook"]


# ---------------------------------------------------------------- the journey on Zoom
@pytest.fixture
def zoom_call(zoom: FakeZoom, eligible_seller: User, buyer: User, settings) -> Any:
    settings.VIDEO_HOSTS = ["pool01"]

    def make(seller: User = eligible_seller, other: User = buyer) -> Call:
        return services.start_call(conversation_between(seller, other), actor=seller)

    return make


def meeting_event(name: str, call: Call, zoom: FakeZoom, **participant: str) -> dict[str, Any]:
    body = copy.deepcopy(sample(name))
    meeting = zoom.meetings[int(call.provider_meeting_id)]
    body["payload"]["object"].update(id=str(meeting.id), uuid=meeting.uuid)
    if participant:
        body["payload"]["object"]["participant"].update(participant)
    return body


def five_events(call: Call, zoom: FakeZoom, buyer: User) -> dict[str, dict[str, Any]]:
    meeting = call.provider_meeting_id
    instance = zoom.end_meeting_with_recording(
        meeting,
        media=b"\x00\x00\x00\x18ftypmp42" * 500,
        transcript=b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n",
    )
    return {
        "meeting.started": meeting_event("meeting.started", call, zoom),
        "meeting.participant_joined": meeting_event(
            "meeting.participant_joined", call, zoom, email=buyer.email, participant_uuid="p-1"
        ),
        "meeting.ended": meeting_event("meeting.ended", call, zoom),
        "recording.completed": zoom.recording_event(meeting, instance, event="recording.completed"),
        "recording.transcript_completed": zoom.recording_event(
            meeting, instance, event="recording.transcript_completed"
        ),
    }


def final_state(call: Call) -> tuple[Any, ...]:
    call.refresh_from_db()
    recording = Recording.objects.get(call=call)
    return (
        call.status,
        call.started_at is not None,
        recording.status,
        recording.media.read() if recording.media.name else None,
        recording.transcript.read() if recording.transcript.name else None,
        recording.provider_deleted_at is not None,
        tuple(sorted(p.joined_at is not None for p in call.participants.all())),
        tuple(
            sorted(
                ProviderEvent.objects.filter(meeting_id=call.provider_meeting_id).values_list(
                    "outcome", flat=True
                )
            )
        ),
    )


def test_the_whole_call_on_zoom_ends_with_our_copy_and_none_at_zoom(
    zoom, zoom_call, buyer, django_capture_on_commit_callbacks
):
    call = zoom_call()
    events = five_events(call, zoom, buyer)
    for name in events:
        with django_capture_on_commit_callbacks(execute=True):
            assert post(events[name]).status_code == 200
    state = final_state(call)
    assert state[:3] == (CallStatus.ENDED, True, RecordingStatus.AVAILABLE)
    assert state[3].startswith(b"\x00\x00\x00\x18ftyp")
    assert state[4].startswith(b"WEBVTT")
    assert state[5] is True  # Zoom's copy deleted once ours was complete
    assert zoom.files == {}
    assert state[7] == (EventOutcome.APPLIED,) * 5
    downloads = [r for r in zoom.requests if r["path"].startswith("/rec/download/")]
    assert len(downloads) == 2  # each file once


def test_every_order_of_the_five_events_ends_in_the_same_state(
    zoom, zoom_call, eligible_seller, settings, django_capture_on_commit_callbacks
):
    settings.VIDEO_HOSTS = ["pool01", "pool02"]  # 120 meetings: more than one host's day
    states = set()
    for order in itertools.permutations(range(5)):
        other = UserFactory.create()
        call = zoom_call(eligible_seller, other)
        events = list(five_events(call, zoom, other).values())
        for index in order:
            with django_capture_on_commit_callbacks(execute=True):
                assert post(events[index]).status_code == 200
        states.add(final_state(call))
        zoom.files.clear()
    assert len(states) == 1
    (state,) = states
    assert state[2] == RecordingStatus.AVAILABLE


@race
def test_the_same_recording_event_five_times_at_once_downloads_once(zoom, settings, seller, buyer):
    from tests.calls.conftest import sell

    settings.VIDEO_HOSTS = ["pool01"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    sell(seller, buyer)
    call = services.start_call(conversation_between(seller, buyer), actor=seller)
    instance = zoom.end_meeting_with_recording(call.provider_meeting_id, media=b"m" * 4096)
    event = zoom.recording_event(call.provider_meeting_id, instance, event="recording.completed")
    answers = at_once(*[lambda: post(event).status_code] * 5)
    assert answers == [200] * 5
    assert ProviderEvent.objects.count() == 1
    assert Recording.objects.filter(call=call).count() == 1
    downloads = [r for r in zoom.requests if r["path"].startswith("/rec/download/")]
    assert len(downloads) == 1
    assert Recording.objects.get(call=call).media.read() == b"m" * 4096


def test_support_reads_the_webhook_log_without_its_download_tokens(support_agent):
    post(sample("recording.completed"))
    event = ProviderEvent.objects.get()
    client = Client()
    client.force_login(support_agent)
    listing = client.get("/admin/calls/providerevent/")
    assert listing.status_code == 200
    assert "recording.completed" in listing.content.decode()
    page = client.get(f"/admin/calls/providerevent/{event.pk}/change/").content.decode()
    assert "REC-FILE-mp4-0001" in page
    assert "sample-download-token" not in page


# ---------------------------------------------------------------- reconciliation
def test_reconciliation_recovers_a_dropped_recording_completed(
    zoom, zoom_call, buyer, settings, django_capture_on_commit_callbacks
):
    call = zoom_call()
    with django_capture_on_commit_callbacks(execute=True):
        post(meeting_event("meeting.started", call, zoom))  # then every later event is lost
    zoom.end_meeting_with_recording(
        call.provider_meeting_id, media=b"v" * 2048, transcript=b"WEBVTT\n"
    )
    call.refresh_from_db()
    assert call.status == CallStatus.LIVE
    later = call.planned_end_at + timedelta(minutes=settings.CALL_OVERRUN_MINUTES)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("runjob", "reconcile_recordings")
    call.refresh_from_db()
    recording = Recording.objects.get(call=call)
    assert call.status == CallStatus.ENDED
    assert recording.status == RecordingStatus.AVAILABLE
    assert recording.media.read() == b"v" * 2048  # fetched through the API, with our token
    assert zoom.files == {}  # and Zoom's copy deleted for good
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("runjob", "reconcile_recordings")  # again: nothing changes
    assert Recording.objects.get(call=call).available_at == recording.available_at


def test_a_reconciliation_after_downtime_catches_up(
    zoom, zoom_call, eligible_seller, settings, django_capture_on_commit_callbacks
):
    settings.VIDEO_HOSTS = ["pool01", "pool02", "pool03"]
    calls = [zoom_call(eligible_seller, UserFactory.create()) for _ in range(3)]
    for call in calls:
        services.join_call(call, actor=eligible_seller)
        zoom.end_meeting_with_recording(call.provider_meeting_id, media=b"x" * 100)
    days_later = max(c.planned_end_at for c in calls) + timedelta(days=3)
    with (
        time_machine.travel(days_later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("runjob", "reconcile_recordings")
    assert set(Call.objects.values_list("status", flat=True)) == {CallStatus.ENDED}
    assert set(Recording.objects.values_list("status", flat=True)) == {RecordingStatus.AVAILABLE}


def test_the_whole_journey_on_the_zoom_backend(
    zoom, eligible_seller, buyer, outsider, settings, django_capture_on_commit_callbacks
):
    """Start from the API, join through our link to Zoom's, Zoom's five events, play the
    recording: every outside request went to the fake Zoom and passed its contract check."""
    settings.VIDEO_HOSTS = ["pool01"]
    conversation = conversation_between(eligible_seller, buyer)
    started = as_user(eligible_seller).post(
        f"/api/conversations/{conversation.pk}/calls/", {}, format="json"
    )
    assert started.status_code == 201, started.json()
    call = Call.objects.get(pk=started.json()["id"])
    assert "zoom" not in started.json()["join_url"]  # our checked link, not Zoom's
    browser = Client()
    browser.force_login(buyer)
    joined = browser.get(f"/calls/{call.pk}/join/")
    assert joined.status_code == 302
    assert joined["Location"] == call.provider_join_url
    assert joined["Location"].startswith("https://fake.zoom.test/j/")
    for event in five_events(call, zoom, buyer).values():
        with django_capture_on_commit_callbacks(execute=True):
            assert post(event).status_code == 200
    played = as_user(buyer).get(f"/api/calls/{call.pk}/recording/")
    assert played.status_code == 200
    assert b"".join(played.streaming_content).startswith(b"\x00\x00\x00\x18ftyp")
    assert as_user(outsider).get(f"/api/calls/{call.pk}/recording/").status_code == 404
    assert zoom.files == {}  # nothing left at Zoom
    created = json.loads(zoom.of("POST", r"/meetings$")[0]["body"])
    assert created["settings"]["auto_recording"] == "cloud"


def test_a_download_shorter_than_zoom_announced_is_not_kept_and_tried_again(
    zoom, zoom_call, buyer, django_capture_on_commit_callbacks
):
    call = zoom_call()
    events = five_events(call, zoom, buyer)
    completed = events["recording.completed"]
    media = completed["payload"]["object"]["recording_files"][0]
    zoom.files[media["id"]] = zoom.files[media["id"]][:-100]  # the transfer breaks off
    with django_capture_on_commit_callbacks(execute=False):
        post(events["meeting.ended"])
        post(completed)
    for event in ProviderEvent.objects.order_by("pk"):
        services.apply_provider_event(event.pk)
    recording = Recording.objects.get(call=call)
    assert recording.status == RecordingStatus.PENDING
    assert (recording.media.name, recording.attempts) == ("", 1)
    assert recording.next_attempt_at is not None
    assert not list(Path(settings.RECORDINGS_ROOT).rglob(f"{call.pk}-*"))  # nothing half-kept


def test_a_card_number_said_in_the_call_is_stored_masked_and_the_call_flagged(
    zoom, zoom_call, buyer, django_capture_on_commit_callbacks
):
    from moderation.models import Flag

    call = zoom_call()
    transcript = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nMy card is 4242 4242 4242 4242.\n"
    instance = zoom.end_meeting_with_recording(
        call.provider_meeting_id, media=b"m" * 100, transcript=transcript
    )
    for name in ("recording.completed", "recording.transcript_completed"):
        event = zoom.recording_event(call.provider_meeting_id, instance, event=name)
        with django_capture_on_commit_callbacks(execute=True):
            post(event)
    stored = Recording.objects.get(call=call).transcript.read().decode()
    assert "•••• •••• •••• 4242" in stored
    assert "4242 4242 4242 4242" not in stored
    flag = Flag.objects.get(call=call)
    assert (flag.detector, flag.finding) == ("transcript_scan", "card_number")


@pytest.mark.parametrize(
    "body",
    [
        {"event": "endpoint.url_validation", "payload": "not an object"},
        {"event": "meeting.started", "payload": {"object": {"id": "²", "uuid": "u"}}},
    ],
)
def test_odd_signed_bodies_are_400_not_500(body):
    answer = post(body)
    assert (answer.status_code, answer.json()["code"]) == (400, "malformed")


def test_retry_after_as_a_date_without_a_zone_is_read_as_utc():
    import httpx

    from calls.providers.zoom import _retry_after

    answer = httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 -0000"})
    assert (_retry_after(answer) or 0) > 0


def test_one_failing_event_does_not_hold_up_the_others(monkeypatch):
    from calls.services import provider_events

    with time_machine.travel("2026-12-07 10:00Z", tick=False):
        for n in range(3):
            body = copy.deepcopy(sample("meeting.started"))
            body["payload"]["object"]["uuid"] = f"retry-{n}"
            services.record_provider_event(webhooks.notice_of(body))  # type: ignore[arg-type]
    bad = ProviderEvent.objects.get(meeting_uuid="retry-1")
    real = provider_events.apply_provider_event

    def failing(event_id: int, **kwargs: Any) -> Any:
        if event_id == bad.pk:
            raise RuntimeError("a bug in one event")
        return real(event_id, **kwargs)

    monkeypatch.setattr(provider_events, "apply_provider_event", failing)
    with time_machine.travel("2026-12-07 10:05Z", tick=False):
        services.retry_provider_events()
    outcomes = dict(ProviderEvent.objects.values_list("meeting_uuid", "outcome"))
    assert outcomes == {
        "retry-0": EventOutcome.UNKNOWN_MEETING,
        "retry-1": EventOutcome.PENDING,
        "retry-2": EventOutcome.UNKNOWN_MEETING,
    }
    bad.refresh_from_db()
    assert bad.attempts == 1


def test_a_meeting_rejoined_after_zoom_s_copy_went_loses_the_new_recording_too(
    zoom, zoom_call, buyer, django_capture_on_commit_callbacks
):
    call = zoom_call()
    for event in five_events(call, zoom, buyer).values():
        with django_capture_on_commit_callbacks(execute=True):
            post(event)
    assert zoom.files == {}
    again = zoom.end_meeting_with_recording(call.provider_meeting_id, media=b"second")
    event = zoom.recording_event(call.provider_meeting_id, again, event="recording.completed")
    with django_capture_on_commit_callbacks(execute=True):
        post(event)
    assert zoom.files == {}  # the new instance's recording deleted for good as well
    assert Recording.objects.get(call=call).media.read().startswith(b"\x00\x00\x00\x18ftyp")
