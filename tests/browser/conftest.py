"""The browser harness: Playwright for Python driving Debian's Chromium against the live server.

Every journey gets `visit(user)`: a fresh browser context (its own cookies, English unless
asked otherwise) already logged in through the real login page, and `shot(page, name)`, which
keeps a numbered screenshot under test-artifacts/browser/<test name>/ for people to look at.
Calls and moderation journeys reuse these fixtures.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

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
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
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
def visit(browser: Browser, live_server: object) -> Iterator[Callable[..., Page]]:
    contexts: list[BrowserContext] = []
    base_url = str(live_server)

    def open_as(user: User | None, *, locale: str = "en-US") -> Page:
        context = browser.new_context(base_url=base_url, locale=locale)
        context.set_default_timeout(POLL_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            page.goto("/accounts/login/")
            page.get_by_label("E-mail address").fill(user.email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            # Logged in, in whatever language the account speaks.
            expect(page.locator("form[action='/accounts/logout/'] button")).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken = 0

    def take(page: Page, name: str) -> Path:
        nonlocal taken
        taken += 1
        path = folder / f"{taken:02}-{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
