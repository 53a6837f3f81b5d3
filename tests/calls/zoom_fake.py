"""A local fake of Zoom's HTTP API, served over real HTTP on 127.0.0.1 (a thread), for the
`zoom` backend's tests: the OAuth token endpoint, meetings, their status, recordings, past
instances and file downloads.

It is faithful where the product depends on Zoom's behaviour: tokens expire (401 with code 124),
a host may create 100 meetings a UTC day (then 429), deleting without `action=delete` only
trashes, recordings belong to a meeting instance (UUID), a download needs a valid token. Every
request body and query the client sends, and every body the fake answers, is checked against
Zoom's OpenAPI document (`zoom_contract`); a violation is answered with 400 and recorded in
`violations`, which the fixture asserts empty at the end of each test.

Knobs for the tests: `fail(method, path_pattern, status, times=1, headers=None, body=None)`,
`expire_tokens()`, `hold(seconds)` on the token endpoint, and `end_meeting_with_recording(...)`,
which plays a meeting's life at Zoom (an instance, its files) and returns the `recording.*`
events Zoom would send.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl, quote, unquote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from tests.calls.zoom_contract import Contract, ContractError

ACCOUNT_ID = "fakeAccount01"
CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
DAILY_CREATES = 100


@dataclass
class Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    headers: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class FakeMeeting:
    id: int
    uuid: str
    host_id: str
    topic: str
    start_time: str
    duration: int
    settings: dict[str, Any]
    status: str = "waiting"
    instances: list[str] = field(default_factory=list)
    # Files by instance UUID; the trash keeps what `action=trash` removed.
    recordings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    trash: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        # wsgiref decodes PATH_INFO; Zoom's routing depends on the path as it was sent.
        environ["RAW_PATH"] = self.path.split("?", 1)[0]
        return environ

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _segments(raw_path: str) -> list[str] | None:
    """The path's segments as Zoom's router sees them: each decoded once, and once more when it
    was encoded twice. A UUID that decodes to a leading `/` or a `//` was encoded only once:
    Zoom's router loses it (None), which is why such UUIDs are encoded twice."""
    segments = []
    for raw in raw_path.strip("/").split("/"):
        once = unquote(raw)
        if once.startswith("/") or "//" in once:
            return None
        segments.append(unquote(once) if "%" in once else once)
    return segments


class FakeZoom:
    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.lock = threading.Lock()
        self.tokens: dict[str, float] = {}  # access token -> expiry (monotonic)
        self.token_requests = 0
        self.token_delay = 0.0
        self.meetings: dict[int, FakeMeeting] = {}
        self.files: dict[str, bytes] = {}
        self.download_tokens: set[str] = set()
        self.creates: dict[tuple[str, str], int] = defaultdict(int)
        self.failures: list[Failure] = []
        self.requests: list[dict[str, Any]] = []
        self.violations: list[str] = []
        self.next_id = 85_000_000_000
        self.server = make_server(
            "127.0.0.1", 0, self.app, server_class=_Server, handler_class=_Handler
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ------------------------------------------------------------ lifecycle
    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeZoom:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------ knobs
    def fail(
        self,
        method: str,
        path_pattern: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        self.failures.append(
            Failure(method, re.compile(path_pattern), status, times, headers or {}, body)
        )

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def of(self, method: str, path_pattern: str = "") -> list[dict[str, Any]]:
        pattern = re.compile(path_pattern)
        return [r for r in self.requests if r["method"] == method and pattern.search(r["path"])]

    def start_meeting(self, meeting_id: str | int) -> str:
        """Someone joined: the meeting runs as a new instance (the first has the meeting's own
        UUID). Returns the instance's UUID."""
        meeting = self.meetings[int(meeting_id)]
        instance = (
            meeting.uuid
            if not meeting.instances
            else base64.b64encode(secrets.token_bytes(16)).decode()
        )
        meeting.instances.append(instance)
        meeting.status = "started"
        return instance

    def end_meeting_with_recording(
        self, meeting_id: str | int, *, media: bytes, transcript: bytes | None = None
    ) -> str:
        """The meeting ran (a new instance) and Zoom finished its files: returns the instance's
        UUID. `recording_event` builds the webhook Zoom would then send."""
        meeting = self.meetings[int(meeting_id)]
        if meeting.status != "started":
            self.start_meeting(meeting_id)
        instance = meeting.instances[-1]
        meeting.status = "finished"
        files = [self._file(meeting, instance, "MP4", media, "shared_screen_with_speaker_view")]
        if transcript is not None:
            files.append(
                self._file(meeting, instance, "TRANSCRIPT", transcript, "audio_transcript")
            )
        meeting.recordings[instance] = files
        return instance

    def recording_event(
        self, meeting_id: str | int, instance: str, *, event: str
    ) -> dict[str, Any]:
        meeting = self.meetings[int(meeting_id)]
        token = secrets.token_urlsafe(24)
        self.download_tokens.add(token)
        wanted = "TRANSCRIPT" if event == "recording.transcript_completed" else None
        files = [
            f
            for f in meeting.recordings[instance]
            if (f["file_type"] == "TRANSCRIPT") == bool(wanted)
        ]
        return {
            "event": event,
            "event_ts": int(time.time() * 1000),
            "download_token": token,
            "payload": {
                "account_id": ACCOUNT_ID,
                "object": self._listing(meeting, instance, files, api=False),
            },
        }

    def _file(
        self, meeting: FakeMeeting, instance: str, file_type: str, content: bytes, kind: str
    ) -> dict[str, Any]:
        file_id = f"REC-{secrets.token_hex(6)}"
        self.files[file_id] = content
        extension = "VTT" if file_type == "TRANSCRIPT" else file_type
        return {
            "id": file_id,
            "meeting_id": instance,
            "recording_start": meeting.start_time,
            "recording_end": meeting.start_time,
            "file_type": file_type,
            "file_size": len(content),
            "file_extension": extension,
            "play_url": f"{self.url}/rec/play/{file_id}",
            "download_url": f"{self.url}/rec/download/{file_id}",
            "status": "completed",
            "recording_type": kind,
        }

    def _listing(
        self, meeting: FakeMeeting, instance: str, files: list[dict[str, Any]], *, api: bool
    ) -> dict[str, Any]:
        """A recording listing: the API's or a webhook's, whose shapes differ. The webhook has
        `share_url` and a numeric `type`; the API document types `type` as a string whose enum
        holds numbers, which no value satisfies, so the API listing leaves it out."""
        listing: dict[str, Any] = {
            "uuid": instance,
            "id": meeting.id,
            "account_id": ACCOUNT_ID,
            "host_id": meeting.host_id,
            "topic": meeting.topic,
            "start_time": meeting.start_time,
            "duration": meeting.duration,
            "total_size": sum(f["file_size"] for f in files),
            "recording_count": len(files),
            "recording_files": files,
        }
        if not api:
            listing["share_url"] = f"{self.url}/rec/share/{meeting.id}"
            listing["type"] = 2
        return listing

    # ------------------------------------------------------------ WSGI
    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        raw_path = environ["RAW_PATH"]
        path = environ["PATH_INFO"]
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        record = {
            "method": method,
            "path": path,
            "raw_path": raw_path,
            "query": query,
            "body": raw,
            "headers": headers,
        }
        with self.lock:
            self.requests.append(record)
        status, answer_headers, body = self._answer(method, raw_path, query, raw, headers)
        start_response(f"{status} X", list(answer_headers.items()))
        return [body]

    def _answer(
        self, method: str, path: str, query: dict[str, str], raw: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        for failure in list(self.failures):
            if failure.method == method and failure.pattern.search(path):
                failure.times -= 1
                if failure.times <= 0:
                    self.failures.remove(failure)
                payload = failure.body or {"code": failure.status, "message": "failure on demand"}
                return _json(failure.status, payload, failure.headers)
        if path == "/oauth/token" and method == "POST":
            return self._token(raw, headers)
        if path.startswith("/rec/download/") and method == "GET":
            return self._download(path.rsplit("/", 1)[1], headers)
        if not path.startswith("/v2/"):
            return _json(404, {"code": 404, "message": "no such endpoint"})
        if not self._authorised(headers):
            return _json(401, {"code": 124, "message": "Invalid access token."})
        segments = _segments(path[len("/v2") :])
        if segments is None:
            self.violations.append(f"{method} {path}: a UUID Zoom cannot route (encode it twice)")
            return _json(404, {"code": 3001, "message": "Meeting does not exist."})
        api_path = "/" + "/".join(quote(segment, safe="") for segment in segments)
        try:
            body = json.loads(raw) if raw else None
            self.contract.check_request(method, api_path, body)
            self.contract.check_query(method, api_path, query)
        except (ContractError, ValueError) as error:
            self.violations.append(str(error))
            return _json(400, {"code": 300, "message": str(error)})
        status, answer = self._api(method, segments, query, body)
        try:
            if status < 400:
                self.contract.check_response(method, api_path, status, answer)
        except ContractError as error:
            self.violations.append(f"the fake itself: {error}")
        return _json(status, answer) if answer is not None else (status, {}, b"")

    def _token(self, raw: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.token_requests += 1
        if self.token_delay:
            time.sleep(self.token_delay)
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = dict(parse_qsl(raw.decode()))
        if headers.get("authorization") != f"Basic {expected}":
            return _json(
                401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
            )
        if form != {"grant_type": "account_credentials", "account_id": ACCOUNT_ID}:
            return _json(
                400, {"reason": "Unsupported grant type", "error": "unsupported_grant_type"}
            )
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = time.monotonic() + 3600
        return _json(
            200,
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": 3599,
                "scope": "meeting:write:admin recording:write:admin",
                "api_url": self.url,
            },
        )

    def _authorised(self, headers: dict[str, str]) -> bool:
        token = headers.get("authorization", "").removeprefix("Bearer ")
        with self.lock:
            return self.tokens.get(token, 0) > time.monotonic()

    def _download(self, file_id: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        token = headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.download_tokens and not self._authorised(headers):
            return _json(401, {"code": 124, "message": "Invalid access token."})
        if file_id not in self.files:
            return _json(404, {"code": 3301, "message": "There is no recording for this meeting."})
        return 200, {"Content-Type": "application/octet-stream"}, self.files[file_id]

    def _api(
        self, method: str, segments: list[str], query: dict[str, str], body: Any
    ) -> tuple[int, dict[str, Any] | None]:
        if (
            method == "POST"
            and len(segments) == 3
            and segments[0] == "users"
            and segments[2] == "meetings"
        ):
            return self._create(segments[1], body)
        if segments[0] == "meetings" and len(segments) >= 2:
            meeting = self._find(segments[1])
            rest = segments[2:]
            if meeting is None:
                if rest == ["recordings"]:
                    return 404, {"code": 3301, "message": "There is no recording for this meeting."}
                return 404, {"code": 3001, "message": "Meeting does not exist."}
            if method == "PUT" and rest == ["status"]:
                if meeting.status != "started" and body.get("action") == "end":
                    return 400, {"code": 3000, "message": "Meeting is not in progress."}
                meeting.status = "finished"
                return 204, None
            if rest == ["recordings"]:
                return self._recordings(method, meeting, segments[1], query)
        if method == "GET" and segments[0] == "past_meetings" and segments[2:] == ["instances"]:
            meeting = self._find(segments[1])
            if meeting is None:
                return 404, {"code": 3001, "message": "Meeting does not exist."}
            return 200, {
                "meetings": [
                    {"uuid": uuid, "start_time": meeting.start_time} for uuid in meeting.instances
                ]
            }
        return 404, {"code": 404, "message": f"the fake does not serve {method} {segments}"}

    def _find(self, key: str) -> FakeMeeting | None:
        if key.isdigit():
            return self.meetings.get(int(key))
        return next(
            (m for m in self.meetings.values() if key in m.instances or key == m.uuid), None
        )

    def _create(self, host: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        day = datetime.now(UTC).date().isoformat()
        with self.lock:
            if self.creates[(host, day)] >= DAILY_CREATES:
                return 429, {"code": 429, "message": "You have reached the maximum per-day limit."}
            self.creates[(host, day)] += 1
            self.next_id += 1
            meeting_id = self.next_id
        meeting = FakeMeeting(
            id=meeting_id,
            uuid=base64.b64encode(secrets.token_bytes(16)).decode(),
            host_id=host,
            topic=body.get("topic", ""),
            start_time=body.get("start_time", ""),
            duration=body.get("duration", 60),
            settings=body.get("settings", {}),
        )
        self.meetings[meeting_id] = meeting
        return 201, {
            "id": meeting_id,
            "host_email": f"{host}@pool.example.test",
            "topic": meeting.topic,
            "type": 2,
            "start_time": meeting.start_time,
            "duration": meeting.duration,
            "timezone": body.get("timezone", "UTC"),
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "join_url": f"https://fake.zoom.test/j/{meeting_id}?pwd={secrets.token_urlsafe(8)}",
            "start_url": f"https://fake.zoom.test/s/{meeting_id}?zak={secrets.token_urlsafe(16)}",
            "password": "",
            "settings": meeting.settings,
        }

    def _recordings(
        self, method: str, meeting: FakeMeeting, key: str, query: dict[str, str]
    ) -> tuple[int, dict[str, Any] | None]:
        # A meeting id means its latest instance; a UUID that instance.
        instance = (
            key if not key.isdigit() else (meeting.instances[-1] if meeting.instances else "")
        )
        files = meeting.recordings.get(instance)
        if not files:
            return 404, {"code": 3301, "message": "There is no recording for this meeting."}
        if method == "GET":
            return 200, self._listing(meeting, instance, files, api=True)
        if method == "DELETE":
            removed = meeting.recordings.pop(instance)
            if query.get("action", "trash") == "trash":
                meeting.trash[instance] = removed
            else:
                for f in removed:
                    self.files.pop(f["id"], None)
            return 204, None
        return 404, {"code": 404, "message": "no such operation"}


def _json(
    status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    return (
        status,
        {"Content-Type": "application/json", **(headers or {})},
        json.dumps(payload).encode(),
    )
