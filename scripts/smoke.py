"""Smoke test of a running `make run` stack (standard library only; used by .ci/run).

Waits for / to answer 200, checks the admin and the API docs, logs a demo user in on the page
and through the API, waits until beat has made the worker run the heartbeat job, and has the
demo seller call the demo buyer on the local video backend until the worker has collected the
recording and it plays.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
DEMO = ("buyer@demo.test", "demo-pass-2026")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def fetch(
    path: str,
    data: dict[str, str] | None = None,
    json_body: object = None,
    token: str = "",
    raw: bool = False,
) -> tuple[int, str]:
    body = None
    headers = {"Accept-Language": "en"}
    if token:
        headers["Authorization"] = f"Token {token}"
    if data is not None:
        body = urllib.parse.urlencode(data).encode()
        headers["Referer"] = BASE + path
    if json_body is not None:
        body = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(BASE + path, data=body, headers=headers)  # noqa: S310
    try:
        with opener.open(request, timeout=10) as response:
            content = response.read()
            return response.status, content[:4].hex() if raw else content.decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def wait_for(description: str, check, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            if check():
                print(f"ok: {description}")
                return
        except OSError as error:  # not listening yet
            last = error
        time.sleep(1)
    sys.exit(f"FAILED: {description} (last error: {last})")


def expect(path: str, status: int, contains: str = "") -> str:
    got, body = fetch(path)
    if got != status or contains not in body:
        sys.exit(f"FAILED: GET {path} answered {got}, expected {status} with {contains!r}")
    print(f"ok: GET {path} -> {status}")
    return body


wait_for("/ answers 200", lambda: fetch("/")[0] == 200, timeout=300)
expect("/admin/login/", 200, "Marketplace support")
expect("/api/docs/", 200, "swagger-ui")
expect("/api/schema/", 200, "/api/me/")

login_page = expect("/accounts/login/", 200)
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
if not token:
    sys.exit("FAILED: no CSRF token on the login page")
status, _ = fetch(
    "/accounts/login/",
    data={"csrfmiddlewaretoken": token.group(1), "username": DEMO[0], "password": DEMO[1]},
)
if status != 302:
    sys.exit(f"FAILED: demo login answered {status}, expected a redirect")
expect("/accounts/profile/", 200, DEMO[0])
print(f"ok: {DEMO[0]} logged in on the page")
# The demo buyer's marketplace on the embedded default: the seeded conversation and orders.
expect("/gigs/", 200, "Lena Leveled")
expect("/orders/", 200, "Lena Leveled")
expect("/inbox/", 200, "Lena Leveled")
expect("/wallet/", 200, "$20.00")
# Lena delivered Bea's first order: Bea was told, in the account.
expect("/notifications/", 200, "Order delivered: A logo that fits your brand")

status, body = fetch("/api/auth/token/", json_body={"email": DEMO[0], "password": DEMO[1]})
if status != 200 or "token" not in json.loads(body):
    sys.exit(f"FAILED: token endpoint answered {status}: {body}")
print("ok: the API issued a token")


def heartbeat_seen() -> bool:
    status, body = fetch("/healthz/")
    return status == 200 and json.loads(body)["scheduler"]["healthy"] is True


wait_for("beat made the worker run the heartbeat job", heartbeat_seen, timeout=120)

# A call, end to end on the local video backend: Lena starts it, Bea (logged in above) joins,
# Lena ends it, the worker collects the recording, and it plays for Bea.
status, body = fetch(
    "/api/auth/token/", json_body={"email": "seller@demo.test", "password": DEMO[1]}
)
lena = json.loads(body)["token"]
status, body = fetch("/api/conversations/", token=lena)
conversation = next(
    row["id"] for row in json.loads(body)["results"] if row["other"]["display_name"] == "Bea Buyer"
)
status, body = fetch(f"/api/conversations/{conversation}/calls/", json_body={}, token=lena)
if status != 201:
    sys.exit(f"FAILED: starting a call answered {status}: {body}")
call = json.loads(body)["id"]
print("ok: Lena started a call with Bea")
status, _ = fetch(f"/calls/{call}/join/")
if status != 302:
    sys.exit(f"FAILED: Bea's join link answered {status}")
status, body = fetch(f"/api/calls/{call}/end/", json_body={}, token=lena)
if status != 200 or json.loads(body)["status"] != "ended":
    sys.exit(f"FAILED: ending the call answered {status}: {body}")


def recording_available() -> bool:
    status, body = fetch(f"/api/calls/{call}/", token=lena)
    recording = json.loads(body).get("recording") or {}
    return status == 200 and recording.get("status") == "available"


wait_for("the worker collected the call's recording", recording_available, timeout=120)
status, magic = fetch(f"/api/calls/{call}/recording/", raw=True)
if status != 200 or magic != b"RIFF".hex():
    sys.exit(f"FAILED: the recording answered {status} starting with {magic}")
print("ok: the recording plays for Bea")
print("smoke test passed")
