"""The browser harness: Playwright for Python driving Debian's Chromium against the live server.

Every journey gets `visit(user)`: a fresh browser context (its own cookies, English unless
asked otherwise) already logged in through the real login page, and `shot(page, name)`, which
checks the page as it is and keeps screenshots under test-artifacts/browser/<test name>/ for
people to look at: at desktop width (1280 px) and at a phone's (390 px), it fails on sideways
scrolling and on any serious or critical accessibility violation axe-core finds (the npm
package, injected from node_modules/). Any Content-Security-Policy violation the browser
reports fails the journey. Calls and moderation journeys reuse these fixtures.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from accounts.models import User
from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google, which this closed
# network refuses; the rest are what headless Chromium needs as root in a container.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# `make screenshots` sets this: the shots marked for the docs are copied there too.
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
UPDATE_DOCS = os.environ.get("UPDATE_SCREENSHOTS") == "1"
DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)
# htmx polls every 3 s; a message must show up on the other side well within this.
POLL_TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}; `make browser` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM
    # calls when it sees one. The tests' ORM calls (set-up, checks, the database flush) are
    # plain synchronous code, so allowing them is safe for exactly as long as the loop lives.
    # Package scope: the loop stops once the browser journeys are done.
    allowed = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            yield browser
            browser.close()
    finally:
        if allowed is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allowed


@pytest.fixture
def csp_violations() -> list[str]:
    """What the browser's console said about the Content-Security-Policy, from every page."""
    return []


@pytest.fixture
def visit(
    browser: Browser, live_server: object, csp_violations: list[str]
) -> Iterator[Callable[..., Page]]:
    contexts: list[BrowserContext] = []
    base_url = str(live_server)

    def open_as(user: User | None, *, locale: str = "en-US") -> Page:
        context = browser.new_context(base_url=base_url, locale=locale, viewport=DESKTOP)
        context.set_default_timeout(POLL_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        # A report without a source URL comes from code the test evaluated through DevTools:
        # axe-core itself sets inline styles while it checks some pages (the admin's), which
        # the page's CSP reports but is not the page's doing.
        page.on(
            "console",
            lambda message: (
                csp_violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text and message.location.get("url")
                else None
            ),
        )
        if user is not None:
            page.goto("/accounts/login/")
            page.get_by_label("E-mail address").fill(user.email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            # Logged in, in whatever language the account speaks.
            expect(page.locator("form[action='/accounts/logout/'] button")).to_be_attached()
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert csp_violations == [], "the Content-Security-Policy refused something"


def axe_violations(page: Page) -> list[str]:
    """Serious and critical accessibility violations on the page as it is now (axe-core).
    Evaluated through DevTools, so the page's own CSP does not apply to the checker."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def sideways_scroll(page: Page) -> int:
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken = 0

    def take(page: Page, name: str, *, docs: bool = False) -> Path:
        """Check the page at desktop and phone width, keeping a screenshot of each (`docs`:
        also the README's, when `make screenshots` asks)."""
        nonlocal taken
        taken += 1
        path = folder / f"{taken:02}-{name}.png"
        problems = []
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            target = path if label == "desktop" else path.with_name(f"{path.stem}-phone.png")
            page.screenshot(path=target, full_page=True)
            if docs and UPDATE_DOCS:
                DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                shutil.copy(target, DOCS_SCREENSHOTS / f"{name}-{label}.png")
            if (extra := sideways_scroll(page)) > 0:
                problems.append(f"{label}: the page scrolls sideways by {extra}px")
            problems += [f"{label}: {found}" for found in axe_violations(page)]
        page.set_viewport_size(DESKTOP)
        assert problems == [], f"{name} ({page.url})"
        return path

    return take
