"""Zoom, the production video provider (C-2, C-7, C-11), over Zoom's REST API (v2).

What Zoom requires, and where it is honoured here (the facts are in `../shared/zoom/README.md`):

- **Server-to-Server OAuth.** A token lives an hour and has no refresh token. `AccessTokens` keeps
  one in the shared cache for every worker, renews it `RENEW_BEFORE` ahead of its end, and once
  more when Zoom answers 401 or error code 124. One worker fetches while the others wait for it
  (a lock in the cache), so a cold start does not stampede the token endpoint.
- **Meetings** are scheduled (`type` 2) on a host user of the platform's account, always
  recorded to the cloud, joinable before the host without a waiting room (nobody from the
  platform attends), never end-to-end encrypted (which disables cloud recording). The host's
  `start_url` is dropped here: it never reaches a member.
- **Recordings** are deleted with `action=delete` (Zoom's default moves them to a trash for 30
  more days, which would break the 30-day promise), for every instance of the meeting.
- **UUIDs** that start with `/` or contain `//` are encoded twice in a path.
- **HTTP**: explicit connect and read timeouts; bounded retries with backoff on 429, 5xx and
  network errors, honouring `Retry-After`. A create is not idempotent at Zoom, so it is retried
  only when Zoom cannot have acted on it (429, or no connection made).
"""

from __future__ import annotations

import logging
import random
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from django.conf import settings
from django.core.cache import cache

from calls.providers import MEDIA, TRANSCRIPT, Meeting, ProviderError, RecordingFile

logger = logging.getLogger(__name__)

# A token is replaced this long before Zoom's hour is over: a request never carries a token that
# expires on the way.
RENEW_BEFORE = 300
# The longest wait a request sleeps through itself (Retry-After or backoff). A longer one — Zoom's
# daily limit — is the caller's to schedule (`ZoomError.retry_after`).
MAX_INLINE_WAIT = 10.0
INVALID_TOKEN = 124

# Zoom's file types, as the product keeps them: what participants play and the transcript.
_KINDS = {"MP4": MEDIA, "M4A": MEDIA, "TRANSCRIPT": TRANSCRIPT}
# The preferred media file of a meeting, when Zoom made several (video over audio only).
_MEDIA_RANK = {"MP4": 0, "M4A": 1}
_CONTENT_TYPES = {"MP4": "video/mp4", "M4A": "audio/mp4", "TRANSCRIPT": "text/vtt"}


class ZoomError(ProviderError):
    """Zoom refused or failed: the HTTP status, Zoom's own error code, and how long Zoom asked
    us to wait when it said."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, retryable=retryable)
        self.status = status
        self.code = code
        self.retry_after = retry_after


@dataclass(frozen=True)
class ZoomConfig:
    account_id: str
    client_id: str
    client_secret: str
    api_url: str
    oauth_url: str
    connect_timeout: float
    read_timeout: float
    max_attempts: int
    download_hosts: tuple[str, ...]

    @classmethod
    def from_settings(cls) -> ZoomConfig:
        return cls(
            account_id=settings.ZOOM_ACCOUNT_ID,
            client_id=settings.ZOOM_CLIENT_ID,
            client_secret=settings.ZOOM_CLIENT_SECRET,
            api_url=settings.ZOOM_API_URL.rstrip("/"),
            oauth_url=settings.ZOOM_OAUTH_URL,
            connect_timeout=settings.ZOOM_CONNECT_TIMEOUT_SECONDS,
            read_timeout=settings.ZOOM_READ_TIMEOUT_SECONDS,
            max_attempts=max(1, settings.ZOOM_MAX_ATTEMPTS),
            download_hosts=tuple(settings.ZOOM_DOWNLOAD_HOSTS),
        )


def path_id(meeting: str) -> str:
    """A meeting id or UUID as a path segment: a UUID that starts with `/` or contains `//`
    is encoded twice (Zoom decodes once before routing)."""
    once = quote(meeting, safe="")
    return quote(once, safe="") if meeting.startswith("/") or "//" in meeting else once


def _zoom_code(response: httpx.Response) -> int | None:
    try:
        code = response.json().get("code")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, int) else None


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, says RFC 5322
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class AccessTokens:
    """The account's access token, shared by every worker through the cache."""

    def __init__(self, config: ZoomConfig, http: httpx.Client, sleep: Callable[[float], None]):
        self.config = config
        self.http = http
        self.sleep = sleep
        self.key = f"calls:zoom:token:{config.account_id}"
        self.lock_key = f"{self.key}:lock"

    def get(self) -> str:
        token = _cache_get(self.key)
        if token:
            return token
        # The lock outlives the slowest fetch (connect + read timeouts), and only its holder
        # removes it.
        hold = self.config.connect_timeout + self.config.read_timeout + 5
        deadline = time.monotonic() + hold
        mine = secrets.token_hex(8)
        while True:
            if _cache_add(self.lock_key, hold, mine):
                try:
                    return _cache_get(self.key) or self._fetch()
                finally:
                    if _cache_get(self.lock_key) in (mine, None):
                        _cache_delete(self.lock_key)
            self.sleep(0.05)
            token = _cache_get(self.key)
            if token:
                return token
            if time.monotonic() > deadline:  # the fetching worker died or hangs
                return self._fetch()

    def renew(self, rejected: str) -> str:
        """A new token after Zoom rejected `rejected` — unless another worker already replaced
        it, whose token is then used."""
        if _cache_get(self.key) == rejected:
            _cache_delete(self.key)
        return self.get()

    def _fetch(self) -> str:
        try:
            response = self.http.post(
                self.config.oauth_url,
                auth=(self.config.client_id, self.config.client_secret),
                data={"grant_type": "account_credentials", "account_id": self.config.account_id},
            )
        except httpx.TransportError as error:
            raise ZoomError(f"token endpoint unreachable: {error}", retryable=True) from error
        if response.status_code != 200:
            raise ZoomError(
                f"token refused: HTTP {response.status_code}",
                # Wrong credentials stay wrong; Zoom's own trouble passes.
                retryable=response.status_code == 429 or response.status_code >= 500,
                status=response.status_code,
            )
        try:
            body = response.json()
            token = str(body["access_token"])
            lifetime = int(body.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ZoomError(
                f"token endpoint answered no token: {error!r}", retryable=True
            ) from error
        _cache_set(self.key, token, max(lifetime - RENEW_BEFORE, 30))
        return token


# The cache is shared (Redis) in production. Without it each request fetches its own token:
# slower, never wrong.
def _cache_get(key: str) -> str | None:
    try:
        value = cache.get(key)
    except Exception:  # any cache failure means "not cached"
        logger.warning("cache unavailable for the Zoom token", exc_info=True)
        return None
    return value if isinstance(value, str) else None


def _cache_set(key: str, value: str, timeout: float) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.warning("cache unavailable for the Zoom token", exc_info=True)


def _cache_add(key: str, timeout: float, value: str = "1") -> bool:
    try:
        return bool(cache.add(key, value, timeout=timeout))
    except Exception:  # no cache, no lock: fetch
        return True


def _cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("cache unavailable for the Zoom token", exc_info=True)


class ZoomClient:
    """Zoom's REST API with the account's token, timeouts and bounded retries."""

    def __init__(self, config: ZoomConfig, *, sleep: Callable[[float], None] = time.sleep):
        self.config = config
        self.sleep = sleep
        self.http = httpx.Client(
            timeout=httpx.Timeout(config.read_timeout, connect=config.connect_timeout),
            headers={"Accept": "application/json"},
        )
        self.tokens = AccessTokens(config, self.http, sleep)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        idempotent: bool = True,
    ) -> httpx.Response:
        """Send, renew the token once if Zoom rejects it, retry what can be retried; a 2xx
        response or a `ZoomError`."""
        url = f"{self.config.api_url}{path}"
        token = self.tokens.get()
        renewed = False
        attempt = 0
        while True:
            attempt += 1
            try:
                auth = {"Authorization": f"Bearer {token}"}
                response = self.http.request(method, url, json=json, params=params, headers=auth)
            except httpx.TransportError as error:
                # A request that never connected cannot have been acted on.
                sent = not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
                if attempt < self.config.max_attempts and (idempotent or not sent):
                    self.sleep(self._backoff(attempt))
                    continue
                raise ZoomError(f"{method} {path}: {error!r}", retryable=True) from error
            code = _zoom_code(response) if response.is_error else None
            if (response.status_code == 401 or code == INVALID_TOKEN) and not renewed:
                token, renewed = self.tokens.renew(token), True
                attempt -= 1  # a renewal is not a retry
                continue
            if response.status_code == 429 or (response.status_code >= 500 and idempotent):
                wait = _retry_after(response)
                pause = self._backoff(attempt) if wait is None else wait
                if attempt < self.config.max_attempts and pause <= MAX_INLINE_WAIT:
                    self.sleep(pause)
                    continue
                raise ZoomError(
                    f"{method} {path}: HTTP {response.status_code}",
                    retryable=True,
                    status=response.status_code,
                    code=code,
                    retry_after=wait,
                )
            if response.is_error:
                raise ZoomError(
                    f"{method} {path}: HTTP {response.status_code}, code {code}",
                    # An ambiguous 5xx on a create: Zoom may have made the meeting; the caller
                    # decides (a new start) rather than this client creating two.
                    retryable=response.status_code >= 500,
                    status=response.status_code,
                    code=code,
                )
            return response

    def stream(self, url: str, *, token: str) -> Iterator[bytes]:
        """A file's bytes, chunk by chunk (recordings run to gigabytes). Only from Zoom's own
        hosts: the request carries a token that opens the account's recordings."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if not any(host == d or host.endswith(f".{d}") for d in self.config.download_hosts):
            raise ZoomError(f"download from {host!r} refused: not a Zoom host", retryable=False)
        # The token must not cross the network in clear: as safe as the API itself (https in
        # production; a local fake of the API over http may serve its files over http).
        if parts.scheme != "https" and urlsplit(self.config.api_url).scheme == "https":
            raise ZoomError(f"download over {parts.scheme!r} refused: not https", retryable=False)
        try:
            with self.http.stream(
                "GET", url, headers={"Authorization": f"Bearer {token}"}, follow_redirects=True
            ) as response:
                if response.is_error:
                    raise ZoomError(
                        f"download: HTTP {response.status_code}",
                        retryable=response.status_code == 429 or response.status_code >= 500,
                        status=response.status_code,
                    )
                yield from response.iter_bytes(chunk_size=1024 * 1024)
        except httpx.TransportError as error:
            raise ZoomError(f"download: {error!r}", retryable=True) from error

    @staticmethod
    def _backoff(attempt: int) -> float:
        base: float = min(MAX_INLINE_WAIT, 0.5 * 2 ** (attempt - 1))
        return base * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not a secret


def _zoom_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: str | None, default: datetime) -> datetime:
    if not value:
        return default
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def recording_files(listing: dict[str, Any], *, download_token: str = "") -> list[RecordingFile]:
    """What the product keeps of a meeting's recording listing — from the API or a
    `recording.*` webhook, which share the shape: the best media file and the transcript, once
    Zoom has finished them."""
    files = [
        f
        for f in listing.get("recording_files", [])
        if f.get("file_type") in _KINDS and f.get("status", "completed") == "completed"
    ]
    files.sort(key=lambda f: _MEDIA_RANK.get(f["file_type"], 9))
    chosen: dict[str, RecordingFile] = {}
    for f in files:
        kind = _KINDS[f["file_type"]]
        chosen.setdefault(
            kind,
            RecordingFile(
                file_id=str(f["id"]),
                kind=kind,
                content_type=_CONTENT_TYPES[f["file_type"]],
                extension=str(f.get("file_extension") or f["file_type"]).lower(),
                size_bytes=int(f.get("file_size") or 0),
                download_url=str(f["download_url"]),
                download_token=download_token,
            ),
        )
    return list(chosen.values())


class ZoomVideoBackend:
    def __init__(self) -> None:
        self.client = ZoomClient(ZoomConfig.from_settings())

    def create_meeting(
        self, *, topic: str, start_time: datetime, duration_minutes: int, host_id: str | None
    ) -> Meeting:
        if not host_id:
            raise ZoomError("a Zoom meeting needs a host user of the pool", retryable=False)
        body = {
            "topic": topic[:200],
            "type": 2,
            "start_time": _zoom_time(start_time),
            "timezone": "UTC",
            "duration": duration_minutes,
            "settings": {
                "auto_recording": "cloud",
                "join_before_host": True,
                "jbh_time": 0,
                "waiting_room": False,
                # Never "e2ee": end-to-end encryption turns cloud recording off.
                "encryption_type": "enhanced_encryption",
                "approval_type": 2,
                "host_video": False,
                "participant_video": True,
                "mute_upon_entry": False,
            },
        }
        response = self.client.request(
            "POST", f"/users/{quote(host_id, safe='')}/meetings", json=body, idempotent=False
        )
        data = response.json()
        # `start_url` carries the host's key: it is not kept, and never reaches a member.
        return Meeting(
            meeting_id=str(data["id"]),
            join_url=str(data["join_url"]),
            host_id=str(data.get("host_id") or host_id),
            start_time=_parse_time(data.get("start_time"), start_time),
            duration_minutes=int(data.get("duration") or duration_minutes),
        )

    def end_meeting(self, meeting_id: str) -> None:
        try:
            self.client.request(
                "PUT", f"/meetings/{path_id(meeting_id)}/status", json={"action": "end"}
            )
        except ZoomError as error:
            if error.status not in (400, 404):  # not running any more, or gone: ended
                raise

    def fetch_recordings(self, meeting_id: str) -> list[RecordingFile]:
        try:
            response = self.client.request("GET", f"/meetings/{path_id(meeting_id)}/recordings")
        except ZoomError as error:
            if error.status == 404:  # nothing recorded (yet)
                return []
            raise
        return recording_files(response.json())

    def download(self, file: RecordingFile) -> Iterator[bytes]:
        return self.client.stream(
            file.download_url, token=file.download_token or self.client.tokens.get()
        )

    def delete_recordings(self, meeting_id: str) -> None:
        """Every instance's recordings, permanently: a meeting rejoined after it ended is a new
        instance with its own recording."""
        instances = [meeting_id]
        try:
            listing = self.client.request(
                "GET", f"/past_meetings/{path_id(meeting_id)}/instances"
            ).json()
            instances += [str(m["uuid"]) for m in listing.get("meetings", []) if m.get("uuid")]
        except ZoomError as error:
            if error.status != 404:
                raise
        for instance in dict.fromkeys(instances):
            try:
                self.client.request(
                    "DELETE",
                    f"/meetings/{path_id(instance)}/recordings",
                    params={"action": "delete"},
                )
            except ZoomError as error:
                if error.status != 404:  # no recording (3301) or no meeting: nothing to delete
                    raise
