"""Zoom's webhooks, read and checked: pure functions, no database.

- **Signature**: `x-zm-signature` is `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with
  the app's secret token. It is computed over the raw request bytes (never re-serialised JSON)
  and compared in constant time; a request without it, with a wrong one, or with a timestamp
  outside the tolerance (stale or from the future) is refused with 401.
- **`endpoint.url_validation`** is answered with the plain token and its HMAC (Zoom re-validates
  every 72 hours; six failures disable the subscription). It is signed like every event.
- **Events** carry no id. Each one handled is reduced to a `Notice` with a business key that
  Zoom's retries repeat: the meeting instance's UUID and the event type (and the participant
  for a join). `payload.object.id` is a string in `meeting.*` events and a number in
  `recording.*` ones: normalised to the string of the number.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

MAX_BODY_BYTES = 64 * 1024
URL_VALIDATION = "endpoint.url_validation"
MEETING_STARTED = "meeting.started"
PARTICIPANT_JOINED = "meeting.participant_joined"
MEETING_ENDED = "meeting.ended"
RECORDING_COMPLETED = "recording.completed"
TRANSCRIPT_COMPLETED = "recording.transcript_completed"
HANDLED = frozenset(
    {MEETING_STARTED, PARTICIPANT_JOINED, MEETING_ENDED, RECORDING_COMPLETED, TRANSCRIPT_COMPLETED}
)


class Refused(Exception):
    """A request the endpoint answers without recording anything: 401 when it is not Zoom's
    (or not any more), 400 when it is malformed."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Notice:
    event: str
    # What Zoom's retries of this event repeat: unique in the event log.
    key: str
    meeting_id: str
    meeting_uuid: str
    body: dict[str, Any]


def signature(secret: str, timestamp: str, body: bytes) -> str:
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    body: bytes,
    *,
    signature_header: str | None,
    timestamp_header: str | None,
    secret: str,
    now: float,
    tolerance_seconds: int,
) -> None:
    if not secret:
        raise Refused(401, "webhook_unconfigured", "No webhook secret is configured.")
    if not signature_header or not timestamp_header:
        raise Refused(401, "signature_missing", "The request is not signed.")
    try:
        sent_at = int(timestamp_header)
    except ValueError:
        raise Refused(
            401, "timestamp_invalid", "The request's timestamp is not a number."
        ) from None
    if sent_at > 10**11:  # milliseconds (Zoom's samples use both)
        sent_at //= 1000
    if abs(now - sent_at) > tolerance_seconds:
        raise Refused(401, "timestamp_outside_tolerance", "The request is too old or too new.")
    if not hmac.compare_digest(
        signature(secret, timestamp_header, body).encode(), signature_header.encode()
    ):
        raise Refused(401, "signature_invalid", "The signature does not match.")


def url_validation_answer(body: dict[str, Any], secret: str) -> dict[str, str]:
    payload = body.get("payload") if isinstance(body, dict) else None
    plain = payload.get("plainToken") if isinstance(payload, dict) else None
    if not isinstance(plain, str) or not plain:
        raise Refused(400, "malformed", "The validation request has no plainToken.")
    encrypted = hmac.new(secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain, "encryptedToken": encrypted}


def load(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, "malformed", "The body is not JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise Refused(400, "malformed", "The body has no event.")
    return data


def notice_of(data: dict[str, Any]) -> Notice | None:
    """The notice of an event the product handles, None for any other event."""
    event = data["event"]
    if event not in HANDLED:
        return None
    payload = data.get("payload")
    meeting = payload.get("object") if isinstance(payload, dict) else None
    if not isinstance(meeting, dict):
        raise Refused(400, "malformed", "The event has no payload object.")
    meeting_id, uuid = meeting.get("id"), meeting.get("uuid")
    if isinstance(meeting_id, bool) or not isinstance(meeting_id, int | str):
        raise Refused(400, "malformed", "The event's meeting has no id.")
    digits = str(meeting_id)
    if not (digits.isascii() and digits.isdigit()) or not isinstance(uuid, str) or not uuid:
        raise Refused(400, "malformed", "The event's meeting id or UUID is malformed.")
    key = f"{event}:{uuid}"
    if event == PARTICIPANT_JOINED:
        participant = meeting.get("participant")
        if not isinstance(participant, dict):
            raise Refused(400, "malformed", "The join has no participant.")
        who = participant.get("participant_uuid") or participant.get("user_id") or ""
        key = f"{key}:{who}:{participant.get('join_time', '')}"
    if event in (RECORDING_COMPLETED, TRANSCRIPT_COMPLETED):
        files = meeting.get("recording_files")
        if not isinstance(files, list) or not all(
            isinstance(f, dict) and isinstance(f.get("id"), str) and f.get("download_url")
            for f in files
        ):
            raise Refused(400, "malformed", "The recording's files are malformed.")
        if not isinstance(data.get("download_token", ""), str):
            raise Refused(400, "malformed", "The download token is malformed.")
    return Notice(
        event=event, key=key[:300], meeting_id=str(int(digits)), meeting_uuid=uuid, body=data
    )
