"""C-11, C-12, J-1: a call's recording is there for its participants only, only after the call
and for exactly 30 days; staff open it only for a reported or flagged call, with the reviewer's
permission (superusers included), each opening audited once; the expiry job deletes the files
here and at the provider, keeps the rows, and is safe to run twice and at once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from accounts import roles
from accounts.models import AuditEntry
from calls import services
from calls.models import Recording, RecordingStatus
from calls.providers import ProviderError
from calls.providers import locmem as provider
from marketplace.services.inbox import conversation_between
from moderation import services as moderation
from moderation.models import Flag
from tests.calls.conftest import sell
from tests.clients import as_user, client_for
from tests.concurrency import at_once, race
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

END = timezone.now().replace(microsecond=0) - timedelta(days=40)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


@pytest.fixture
def ended(start_call, eligible_seller, invited, django_capture_on_commit_callbacks):
    """A call with an invited guest, ended at END, its recording collected."""
    with time_machine.travel(END - timedelta(minutes=30), tick=False):
        call = start_call()
        services.invite_participants(call, actor=eligible_seller, emails=[invited.email])
        services.join_call(call, actor=eligible_seller)
    with (
        time_machine.travel(END, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.end_call(call, actor=eligible_seller)
    recording = Recording.objects.get(call=call)
    assert recording.status == RecordingStatus.AVAILABLE
    return call


def stored_names(recording: Recording) -> list[str]:
    return [str(name) for name in (recording.media.name, recording.transcript.name) if name]


def stored(recording: Recording) -> list[Path]:
    root = Path(settings.RECORDINGS_ROOT)
    return [root / name for name in (recording.media.name, recording.transcript.name) if name]


def participant_status(call, user, at) -> int:
    with time_machine.travel(at, tick=False):
        return int(as_user(user).get(f"/api/calls/{call.pk}/recording/").status_code)


def staff_status(call, user, at, reason="report 1") -> int:
    with time_machine.travel(at, tick=False):
        response = as_user(user).post(
            f"/api/moderation/calls/{call.pk}/recording/", {"reason": reason}, format="json"
        )
    return int(response.status_code)


MOMENTS = {
    "end - 1s": END - SECOND,
    "end + 1s": END + SECOND,
    "end + 30d - 1s": END + 30 * DAY - SECOND,
    "end + 30d + 1s": END + 30 * DAY + SECOND,
}


@pytest.mark.parametrize(
    ("moment", "expected"),
    [("end - 1s", 404), ("end + 1s", 200), ("end + 30d - 1s", 200), ("end + 30d + 1s", 410)],
)
def test_participants_play_it_after_the_call_for_30_days(
    ended, eligible_seller, buyer, invited, outsider, support_agent, reviewer, moment, expected
):
    at = MOMENTS[moment]
    for participant in (eligible_seller, buyer, invited):
        assert participant_status(ended, participant, at) == expected, participant
    # Whoever is not in the call gets 404 on the participants' path, whatever the time.
    for other in (outsider, support_agent, reviewer):
        assert participant_status(ended, other, at) == 404
    assert participant_status(ended, None, at) == 401


def test_the_file_is_real_audio_served_with_ranges(ended, buyer):
    with time_machine.travel(END + DAY, tick=False):
        whole = as_user(buyer).get(f"/api/calls/{ended.pk}/recording/")
        body = b"".join(whole.streaming_content)
        assert whole["Content-Type"] == "audio/wav"
        assert whole["Accept-Ranges"] == "bytes"
        assert whole["Cache-Control"] == "private, no-store"
        assert body[:4] == b"RIFF"
        assert body[8:12] == b"WAVE"
        part = client_for(buyer).get(f"/calls/{ended.pk}/recording/", HTTP_RANGE="bytes=4-11")
        assert part.status_code == 206
        assert part["Content-Range"] == f"bytes 4-11/{len(body)}"
        assert b"".join(part.streaming_content) == body[4:12]
        tail = client_for(buyer).get(f"/calls/{ended.pk}/recording/", HTTP_RANGE="bytes=-4")
        assert b"".join(tail.streaming_content) == body[-4:]
        beyond = client_for(buyer).get(
            f"/calls/{ended.pk}/recording/", HTTP_RANGE=f"bytes={len(body)}-"
        )
        assert beyond.status_code == 416
        transcript = client_for(buyer).get(f"/calls/{ended.pk}/transcript/")
        assert b"WEBVTT" in b"".join(transcript.streaming_content)


def test_nobody_plays_a_call_that_has_not_ended(start_call, buyer):
    call = start_call()
    assert as_user(buyer).get(f"/api/calls/{call.pk}/recording/").status_code == 404
    assert client_for(buyer).get(f"/calls/{call.pk}/recording/").status_code == 404


def test_the_window_holds_even_if_the_expiry_job_never_ran(ended, buyer):
    with time_machine.travel(END + 31 * DAY, tick=False):
        response = as_user(buyer).get(f"/api/calls/{ended.pk}/recording/")
        assert response.status_code == 410
        assert response.json()["code"] == "recording_expired"
        assert client_for(buyer).get(f"/calls/{ended.pk}/recording/").status_code == 410
    # The files were still there: the refusal came from the read-time check.
    assert all(path.exists() for path in stored(Recording.objects.get(call=ended)))


# ---------------------------------------------------------------- staff (C-12)
@pytest.fixture
def superuser(db):
    return UserFactory.create(is_staff=True, is_superuser=True)


def test_staff_need_a_report_or_flag_and_the_reviewer_permission(
    ended, buyer, support_agent, reviewer, superuser, outsider
):
    at = END + DAY
    assert staff_status(ended, outsider, at) == 404  # not staff: nothing to learn here
    assert staff_status(ended, support_agent, at) == 403  # never, report or not
    assert staff_status(ended, reviewer, at) == 403  # no report yet
    assert staff_status(ended, superuser, at) == 403
    assert not AuditEntry.objects.filter(action="moderation.recording_opened").exists()

    moderation.report_call(ended, actor=buyer, reason="off_platform", details="asked for email")
    assert staff_status(ended, support_agent, at) == 403
    assert staff_status(ended, superuser, at) == 403  # a superuser is granted nothing here
    assert staff_status(ended, reviewer, at) == 201
    superuser.groups.add(Group.objects.get(name=roles.REVIEWER))
    superuser = type(superuser).objects.get(pk=superuser.pk)  # a new request's user
    assert staff_status(ended, superuser, at) == 201
    opened = AuditEntry.objects.filter(action="moderation.recording_opened").order_by("id")
    assert [(entry.actor_id, entry.reason) for entry in opened] == [
        (reviewer.pk, "report 1"),
        (superuser.pk, "report 1"),
    ]
    assert opened[0].object_id == str(ended.pk)
    assert opened[0].data["reports"]


def test_a_flag_is_grounds_too_and_the_window_binds_staff(ended, reviewer):
    Flag.objects.create(call=ended, detector="transcript_scan", finding="email_address")
    assert staff_status(ended, reviewer, END - SECOND) == 404
    assert staff_status(ended, reviewer, END + 30 * DAY + SECOND) == 410
    assert staff_status(ended, reviewer, END + 30 * DAY - SECOND) == 201
    assert AuditEntry.objects.filter(action="moderation.recording_opened").count() == 1


def test_each_opening_is_audited_once_however_the_player_fetches(ended, buyer, reviewer):
    moderation.report_call(ended, actor=buyer, reason="threats", details="...")
    with time_machine.travel(END + DAY, tick=False):
        link = as_user(reviewer).post(
            f"/api/moderation/calls/{ended.pk}/recording/", {"reason": "case 7"}, format="json"
        )
        url = link.json()["url"].replace("http://testserver", "")
        player = client_for(reviewer)
        for range_header in ("bytes=0-", "bytes=0-99", "bytes=100-"):
            response = player.get(url, HTTP_RANGE=range_header)
            assert response.status_code == 206
        # The link is the reviewer's alone.
        assert client_for(buyer).get(url).status_code == 404
    assert AuditEntry.objects.filter(action="moderation.recording_opened").count() == 1
    with time_machine.travel(END + DAY + timedelta(minutes=6), tick=False):
        assert client_for(reviewer).get(url).status_code == 404  # the link lived 5 minutes


def test_staff_must_say_why(ended, buyer, reviewer):
    moderation.report_call(ended, actor=buyer, reason="threats", details="...")
    with time_machine.travel(END + DAY, tick=False):
        response = as_user(reviewer).post(
            f"/api/moderation/calls/{ended.pk}/recording/", {"reason": ""}, format="json"
        )
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


# ---------------------------------------------------------------- expiry (J-1)
def test_expiry_deletes_the_bytes_keeps_the_rows_and_runs_once(ended, start_call):
    recording = Recording.objects.get(call=ended)
    files = stored(recording)
    assert len(files) == 2
    assert all(path.exists() for path in files)
    assert services.expire_recordings(now=END + 30 * DAY - SECOND) == 0
    assert services.expire_recordings(now=END + 30 * DAY) == 1
    assert not any(path.exists() for path in files)
    recording.refresh_from_db()
    assert recording.status == RecordingStatus.DELETED
    assert recording.deleted_at == END + 30 * DAY
    # The provider's copy went when ours was complete (at the end), not again at expiry.
    assert recording.provider_deleted_at == END
    assert (recording.media.name, recording.transcript.name) == ("", "")
    assert provider.state.of("delete_recordings") == [{"meeting_id": ended.provider_meeting_id}]
    assert services.expire_recordings(now=END + 31 * DAY) == 0  # the second run: nothing
    assert len(provider.state.of("delete_recordings")) == 1


def test_a_file_already_gone_is_not_an_error(ended):
    recording = Recording.objects.get(call=ended)
    for path in stored(recording):
        path.unlink()
    assert services.expire_recordings(now=END + 31 * DAY) == 1
    assert Recording.objects.get(call=ended).status == RecordingStatus.DELETED


def test_a_recording_never_collected_expires_too(
    start_call, buyer, django_capture_on_commit_callbacks
):
    call = start_call()
    services.join_call(call, actor=buyer)
    provider.state.fail_next["fetch_recordings"] = ProviderError("down", retryable=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.end_call(call, actor=None)
    recording = Recording.objects.get(call=call)
    assert recording.status == RecordingStatus.PENDING
    assert recording.attempts == 1
    later = timezone.now() + timedelta(days=31)
    assert services.expire_recordings(now=later) == 1
    assert Recording.objects.get(call=call).status == RecordingStatus.DELETED
    assert services.retry_recordings(now=later) == 0  # nothing left to collect


def test_the_providers_copy_goes_once_ours_is_complete_and_is_asked_again_if_it_stays(
    start_call, buyer, django_capture_on_commit_callbacks
):
    call = start_call()
    services.join_call(call, actor=buyer)
    provider.state.fail_next["delete_recordings"] = ProviderError("503", retryable=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.end_call(call, actor=buyer)  # collected: media and transcript
    recording = Recording.objects.get(call=call)
    assert recording.status == RecordingStatus.AVAILABLE
    assert recording.provider_deleted_at is None  # the provider failed: due again later
    assert services.retry_provider_deletions(now=timezone.now() + timedelta(minutes=6)) == 1
    recording.refresh_from_db()
    assert recording.provider_deleted_at is not None
    assert len(provider.state.of("delete_recordings")) == 2


def test_without_a_transcript_the_provider_has_time_to_finish_one(start_call, buyer, settings):
    call = start_call()
    services.join_call(call, actor=buyer)
    call = services.end_call(call, actor=buyer)  # its collection task does not run here
    listed = provider.LocmemVideoBackend().fetch_recordings(call.provider_meeting_id)
    services.collect_recording(str(call.pk), files=[f for f in listed if f.kind == "media"])
    recording = Recording.objects.get(call=call)
    assert recording.status == RecordingStatus.AVAILABLE
    assert recording.provider_deleted_at is None
    assert call.ended_at is not None
    assert recording.next_attempt_at == call.ended_at + timedelta(
        minutes=settings.TRANSCRIPT_WAIT_MINUTES
    )


def test_a_provider_that_keeps_its_copy_at_expiry_is_asked_again(ended):
    files = stored(Recording.objects.get(call=ended))
    Recording.objects.filter(call=ended).update(provider_deleted_at=None)  # not yet gone
    provider.state.fail_next["delete_recordings"] = ProviderError("503", retryable=True)
    assert services.expire_recordings(now=END + 31 * DAY) == 1
    recording = Recording.objects.get(call=ended)
    assert recording.status == RecordingStatus.DELETED
    assert recording.provider_deleted_at is None
    assert not any(path.exists() for path in files)  # ours are gone all the same
    assert services.retry_provider_deletions(now=END + 31 * DAY + timedelta(minutes=6)) == 1
    recording.refresh_from_db()
    assert recording.provider_deleted_at is not None
    assert len(provider.state.of("delete_recordings")) == 3  # at the end, at expiry, again


def test_a_lost_collection_task_is_done_by_the_sweep(start_call, buyer):
    call = start_call()
    services.join_call(call, actor=buyer)
    services.end_call(call, actor=None)  # the on-commit task never runs here
    recording = Recording.objects.get(call=call)
    assert recording.status == RecordingStatus.PENDING
    assert services.retry_recordings(now=timezone.now()) == 0  # the task's grace first
    assert services.retry_recordings(now=timezone.now() + timedelta(minutes=3)) == 1
    assert Recording.objects.get(call=call).status == RecordingStatus.AVAILABLE


@race
def test_two_expiry_runs_at_once_delete_each_file_once(
    seller, buyer, django_capture_on_commit_callbacks, monkeypatch
):
    sell(seller, buyer)
    conversation = conversation_between(seller, buyer)
    for _ in range(12):
        call = services.start_call(conversation, actor=seller)
        services.join_call(call, actor=buyer)
        with django_capture_on_commit_callbacks(execute=True):
            services.end_call(call, actor=seller)
    names = [name for recording in Recording.objects.all() for name in stored_names(recording)]
    assert len(names) == 24
    # As if the provider's copies were still there: expiry must delete each once.
    Recording.objects.update(provider_deleted_at=None)
    provider.state.requests.clear()
    deleted: list[str] = []
    real_delete = FileSystemStorage.delete

    def counting_delete(storage: FileSystemStorage, name: str) -> None:
        deleted.append(name)
        real_delete(storage, name)

    monkeypatch.setattr(FileSystemStorage, "delete", counting_delete)
    later = timezone.now() + timedelta(days=31)
    counts = at_once(
        lambda: services.expire_recordings(now=later, batch_size=3),
        lambda: services.expire_recordings(now=later, batch_size=3),
    )
    assert sum(counts) == 12
    assert Recording.objects.filter(status=RecordingStatus.DELETED).count() == 12
    deletions = [request["meeting_id"] for request in provider.state.of("delete_recordings")]
    assert len(deletions) == len(set(deletions)) == 12
    assert sorted(deleted) == sorted(names)  # every file once, none twice
    assert not any(Path(settings.RECORDINGS_ROOT, name).exists() for name in names)


class SigningStorage:
    """A storage that signs URLs like S3's (django-storages): recordings redirect there."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []

    def url(self, name: str, expire: int) -> str:
        self.asked.append((name, expire))
        return f"https://bucket.example/{name}?X-Amz-Expires={expire}"


def test_a_signing_storage_gets_a_presigned_url_of_at_most_five_minutes(ended, buyer):
    from calls import files

    recording = Recording.objects.get(call=ended)
    storage = SigningStorage()
    field = recording.media
    field.storage = storage  # type: ignore[assignment]
    with time_machine.travel(END + DAY, tick=False):
        request = client_for(buyer).get("/").wsgi_request
        response = files.serve(request, field, content_type="audio/wav", filename="x.wav")
    assert response.status_code == 302
    assert response["Location"].startswith("https://bucket.example/calls/")
    assert storage.asked == [(field.name, 300)]
    assert response["Cache-Control"] == "private, no-store"
