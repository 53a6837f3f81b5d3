"""The `zoom` backend (issue: Zoom, point 1) against a local fake of Zoom's HTTP API that checks
every body against Zoom's OpenAPI document: the meeting's settings, the start URL kept from
members, the shared token and its renewal, retries that honour Retry-After and never repeat a
create Zoom may have done, permanent deletion of every instance, and UUIDs encoded twice."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from calls.providers import MEDIA, TRANSCRIPT, video
from calls.providers.zoom import MAX_INLINE_WAIT, ZoomError, ZoomVideoBackend, path_id

START = datetime(2026, 12, 7, 15, 30, tzinfo=UTC)


def backend() -> ZoomVideoBackend:
    chosen = video()
    assert isinstance(chosen, ZoomVideoBackend)
    return chosen


def create(host: str = "pool01") -> str:
    return (
        backend()
        .create_meeting(topic="Lena & Bea", start_time=START, duration_minutes=40, host_id=host)
        .meeting_id
    )


def waits(zoom_backend: ZoomVideoBackend) -> list[float]:
    slept: list[float] = []
    zoom_backend.client.sleep = slept.append
    zoom_backend.client.tokens.sleep = lambda seconds: None
    return slept


def test_a_meeting_is_recorded_in_the_cloud_open_before_the_host_and_never_e2ee(zoom):
    meeting = backend().create_meeting(
        topic="Lena & Bea", start_time=START, duration_minutes=40, host_id="pool01"
    )
    (sent,) = zoom.of("POST", r"/v2/users/pool01/meetings$")
    body = json.loads(sent["body"])
    assert body["type"] == 2
    assert (body["start_time"], body["timezone"], body["duration"]) == (
        "2026-12-07T15:30:00Z",
        "UTC",
        40,
    )
    assert body["settings"]["auto_recording"] == "cloud"
    assert body["settings"]["join_before_host"] is True
    assert body["settings"]["waiting_room"] is False
    assert body["settings"]["encryption_type"] != "e2ee"
    assert meeting.meeting_id == str(zoom.meetings[int(meeting.meeting_id)].id)
    assert meeting.join_url.startswith("https://fake.zoom.test/j/")
    assert "zak=" not in repr(meeting)  # the host's start URL is not kept
    assert (meeting.host_id, meeting.start_time, meeting.duration_minutes) == ("pool01", START, 40)


def test_a_meeting_needs_a_host_of_the_pool(zoom):
    with pytest.raises(ZoomError) as refused:
        backend().create_meeting(topic="x", start_time=START, duration_minutes=40, host_id=None)
    assert not refused.value.retryable
    assert zoom.of("POST") == []


def test_one_token_serves_every_worker_through_the_shared_cache(zoom):
    create()
    ZoomVideoBackend().fetch_recordings(create())  # another process's backend, same cache
    assert zoom.token_requests == 1
    (token_request,) = [r for r in zoom.requests if r["path"] == "/oauth/token"]
    assert token_request["headers"]["authorization"].startswith("Basic ")
    assert token_request["body"] == b"grant_type=account_credentials&account_id=fakeAccount01"


def test_a_rejected_token_is_renewed_once(zoom):
    meeting = create()
    zoom.expire_tokens()  # Zoom answers 401, code 124
    assert backend().fetch_recordings(meeting) == []
    assert zoom.token_requests == 2
    zoom.fail("GET", r"/recordings$", 401, times=2, body={"code": 124, "message": "Invalid"})
    with pytest.raises(ZoomError) as refused:
        backend().fetch_recordings(meeting)
    assert refused.value.status == 401
    assert zoom.token_requests == 3  # renewed once, not in a loop


def test_ten_workers_starting_cold_fetch_one_token(zoom):
    zoom.token_delay = 0.3
    backends = [ZoomVideoBackend() for _ in range(10)]
    errors: list[BaseException] = []

    def work(one: ZoomVideoBackend) -> None:
        try:
            one.fetch_recordings("85000000001")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(one,)) for one in backends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert zoom.token_requests == 1


def test_wrong_credentials_are_not_worth_retrying(zoom, settings):
    settings.ZOOM_CLIENT_SECRET = "wrong"
    with pytest.raises(ZoomError) as refused:
        create()
    assert (refused.value.status, refused.value.retryable) == (401, False)


def test_429_waits_as_long_as_zoom_asks_then_succeeds(zoom):
    slept = waits(backend())
    zoom.fail("POST", r"/meetings$", 429, headers={"Retry-After": "2"})
    create()
    assert slept == [2.0]
    assert len(zoom.of("POST", r"/meetings$")) == 2  # refused, then done


def test_a_wait_longer_than_a_request_can_hold_is_the_callers_to_schedule(zoom):
    slept = waits(backend())
    zoom.fail("POST", r"/meetings$", 429, headers={"Retry-After": "3600"})
    with pytest.raises(ZoomError) as refused:
        create()
    assert refused.value.retryable
    assert refused.value.retry_after == 3600 > MAX_INLINE_WAIT
    assert slept == []


def test_server_errors_are_retried_with_backoff_on_reads_but_a_create_is_never_repeated(zoom):
    slept = waits(backend())
    meeting = create()
    zoom.fail("GET", r"/recordings$", 503, times=2)
    assert backend().fetch_recordings(meeting) == []
    assert len(slept) == 2
    assert slept[0] < slept[1]
    zoom.fail("POST", r"/meetings$", 500)
    with pytest.raises(ZoomError) as failed:
        create()
    assert failed.value.retryable  # Zoom may or may not have made it: no second create
    assert len(zoom.of("POST", r"/meetings$")) == 2  # the first create, and this one once


def test_retries_are_bounded(zoom):
    slept = waits(backend())
    meeting = create()
    zoom.fail("GET", r"/recordings$", 502, times=10)
    with pytest.raises(ZoomError) as failed:
        backend().fetch_recordings(meeting)
    assert failed.value.retryable
    assert len(zoom.of("GET", r"/recordings$")) == 3 == len(slept) + 1


def test_an_unreachable_zoom_is_a_retryable_error(settings):
    settings.VIDEO_BACKEND = "calls.providers.zoom.ZoomVideoBackend"
    settings.ZOOM_OAUTH_URL = "http://127.0.0.1:9/oauth/token"  # discard port: refused
    with pytest.raises(ZoomError) as failed:
        backend().fetch_recordings("1")
    assert failed.value.retryable


def test_recordings_are_listed_downloaded_and_deleted_for_good(zoom):
    meeting = create()
    zoom.end_meeting_with_recording(meeting, media=b"\x00mp4" * 1000, transcript=b"WEBVTT\n")
    files = {file.kind: file for file in backend().fetch_recordings(meeting)}
    assert set(files) == {MEDIA, TRANSCRIPT}
    assert (files[MEDIA].extension, files[MEDIA].size_bytes) == ("mp4", 4000)
    assert b"".join(backend().download(files[MEDIA])) == b"\x00mp4" * 1000
    assert b"".join(backend().download(files[TRANSCRIPT])) == b"WEBVTT\n"
    backend().delete_recordings(meeting)
    assert zoom.files == {}  # gone, not in a trash
    assert all(not trashed for m in zoom.meetings.values() for trashed in m.trash.values())
    deletes = zoom.of("DELETE", r"/recordings$")
    assert deletes
    assert all(d["query"] == {"action": "delete"} for d in deletes)
    backend().delete_recordings(meeting)  # nothing left: not an error


def test_every_instance_of_a_rejoined_meeting_loses_its_recording(zoom):
    meeting = create()
    zoom.end_meeting_with_recording(meeting, media=b"first")
    zoom.end_meeting_with_recording(meeting, media=b"second")  # rejoined: a new instance
    assert len(zoom.meetings[int(meeting)].instances) == 2
    backend().delete_recordings(meeting)
    assert zoom.files == {}


@pytest.mark.parametrize("uuid", ["/ajXp112QmuoKj4854875==", "ajXp112//QmuoKj4854875==", "ab/cd=="])
def test_uuids_zoom_cannot_route_are_encoded_twice(zoom, uuid):
    meeting = create()
    zoom.meetings[int(meeting)].uuid = uuid
    zoom.end_meeting_with_recording(meeting, media=b"m")
    backend().delete_recordings(meeting)  # deletes by each instance's UUID
    assert zoom.files == {}
    paths = [d["raw_path"] for d in zoom.of("DELETE", r"/recordings$")]
    twice = uuid.startswith("/") or "//" in uuid
    assert any(("%252F" if twice else "%2F") in path for path in paths)
    assert path_id(uuid).count("%25") == (uuid.count("/") + 2 if twice else 0)


def test_a_download_with_a_bad_token_is_refused(zoom):
    meeting = create()
    zoom.end_meeting_with_recording(meeting, media=b"m")
    (file,) = backend().fetch_recordings(meeting)
    forged = type(file)(**{**file.__dict__, "download_token": "forged"})
    with pytest.raises(ZoomError) as refused:
        b"".join(backend().download(forged))
    assert (refused.value.status, refused.value.retryable) == (401, False)


def test_ending_a_meeting_that_is_over_is_not_an_error(zoom):
    meeting = create()
    zoom.start_meeting(meeting)
    backend().end_meeting(meeting)
    assert zoom.meetings[int(meeting)].status == "finished"
    backend().end_meeting(meeting)  # 400 "not in progress": already over
    (first, _second) = zoom.of("PUT", r"/status$")
    assert json.loads(first["body"]) == {"action": "end"}


def test_the_fake_refuses_what_zoom_does_not_know(zoom):
    """The contract check can fail: a field Zoom's document does not list is refused."""
    token = backend().client.tokens.get()
    answer = httpx.post(
        f"{zoom.url}/v2/users/pool01/meetings",
        json={"topic": "x", "type": 2, "auto_record": "cloud"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 400
    assert "auto_record" in zoom.violations.pop()


def test_start_times_are_sent_in_utc(zoom):
    berlin = START.astimezone(ZoneInfo("Europe/Berlin"))
    backend().create_meeting(topic="t", start_time=berlin, duration_minutes=40, host_id="pool01")
    (sent,) = zoom.of("POST", r"/meetings$")
    assert json.loads(sent["body"])["start_time"] == "2026-12-07T15:30:00Z"


def test_the_token_is_cached_until_shortly_before_its_hour_is_over(zoom, monkeypatch):
    from calls.providers import zoom as zoom_module

    timeouts: list[float] = []
    real_set = zoom_module._cache_set

    def recording_set(key: str, value: str, timeout: float) -> None:
        timeouts.append(timeout)
        real_set(key, value, timeout)

    monkeypatch.setattr(zoom_module, "_cache_set", recording_set)
    create()
    assert timeouts == [3599 - zoom_module.RENEW_BEFORE]


def test_files_are_downloaded_from_zoom_s_hosts_only(zoom):
    meeting = create()
    zoom.end_meeting_with_recording(meeting, media=b"m")
    (file,) = backend().fetch_recordings(meeting)
    elsewhere = type(file)(**{**file.__dict__, "download_url": "http://169.254.169.254/latest"})
    with pytest.raises(ZoomError) as refused:
        b"".join(backend().download(elsewhere))
    assert not refused.value.retryable
    assert zoom.of("GET", r"^/rec/download/") == []  # nothing was sent anywhere


def test_files_are_never_downloaded_in_clear_when_the_api_is_https(zoom, settings):
    """The download carries a token: with the real (https) API, an http file URL is refused
    before anything is sent, even from a Zoom host."""
    meeting = create()
    zoom.end_meeting_with_recording(meeting, media=b"m")
    (file,) = backend().fetch_recordings(meeting)
    settings.ZOOM_API_URL = "https://api.zoom.us/v2"
    settings.ZOOM_DOWNLOAD_HOSTS = ["zoom.us"]
    clear = type(file)(**{**file.__dict__, "download_url": "http://us06web.zoom.us/rec/x"})
    with pytest.raises(ZoomError) as refused:
        b"".join(backend().download(clear))
    assert "not https" in str(refused.value)
    assert not refused.value.retryable
