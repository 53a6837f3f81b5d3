"""The harness's own checks can fail: a page that breaks the Content-Security-Policy is caught,
while axe-core's own inline styles (evaluated through DevTools) are not held against a page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

BROKEN = """<!doctype html><html lang="en"><head><title>Probe</title></head>
<body><main><h1 style="color: red">Probe</h1><script>document.title = "ran";</script></main>
</body></html>"""


def test_an_inline_script_and_style_without_a_nonce_are_reported(visit, csp_violations):
    page = visit(None)

    def broken(route: Route) -> None:
        route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'; style-src 'self'"},
            body=BROKEN,
        )

    page.route("**/csp-probe/", broken)
    page.goto("/csp-probe/")
    page.wait_for_timeout(200)
    assert page.title() == "Probe"  # the inline script did not run
    reported = list(csp_violations)
    csp_violations.clear()  # caught on purpose: the journey's own end check stays quiet
    assert any("inline script" in line for line in reported), reported
    assert any("inline style" in line for line in reported), reported


def test_the_checkers_own_styles_are_not_the_pages(visit, csp_violations):
    page = visit(None)
    page.goto("/")
    page.evaluate("() => { document.body.setAttribute('style', 'margin: 0'); }")
    page.wait_for_timeout(200)
    assert csp_violations == []
    assert axe_violations(page) == []
