"""A Content-Security-Policy on every response: scripts and styles from our origin or with the
request's nonce only, nothing inline without it, no plugins, never framed. (The browser journeys
fail on any violation a page causes.)"""

from __future__ import annotations

import re

import pytest

from marketplace import services
from tests.clients import client_for
from tests.factories import make_gig

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    rules = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            rules[name] = value
    return rules


@pytest.mark.parametrize("url", ["/", "/gigs/", "/accounts/login/", "/api/gigs/", "/healthz/"])
def test_every_answer_carries_the_policy(client, url):
    rules = policy(client.get(url))
    assert rules["default-src"] == "'self'"
    assert rules["frame-ancestors"] == "'none'"
    assert rules["object-src"] == "'none'"
    assert rules["script-src"].startswith("'self'")
    assert "unsafe-inline" not in rules["script-src"] + rules["style-src"]
    assert "unsafe-eval" not in rules["script-src"]


def test_pages_have_no_inline_script_or_style(buyer, seller):
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    client = client_for(buyer)
    pages = ["/", "/gigs/", "/orders/", f"/orders/{order.id}/", f"/inbox/{order.conversation_id}/"]
    for url in pages:
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert "<style" not in page, url
        assert not re.search(r"\sstyle=", page), url
        assert not re.search(r"\son[a-z]+=", page), url  # no inline event handlers


def test_the_api_docs_use_the_nonce_for_their_one_inline_style(client):
    response = client.get("/api/docs/")
    nonce = re.search(r"'nonce-([^']+)'", policy(response)["style-src"])
    assert nonce is not None
    assert f'<style nonce="{nonce.group(1)}">' in response.content.decode()
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_the_design_gallery_is_for_staff_and_make_run_only(buyer, support_agent, client, settings):
    assert client.get("/design/").status_code == 404
    assert client_for(buyer).get("/design/").status_code == 404
    page = client_for(support_agent).get("/design/")
    assert page.status_code == 200
    assert 'id="component-chat"' in page.content.decode()
    settings.DEBUG = True
    assert client.get("/design/").status_code == 200


def test_error_pages_are_pages_of_the_product(buyer, client):
    missing = client_for(buyer).get("/orders/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "This page does not exist" in page
    assert 'href="/static/css/site.css"' in page
    assert 'class="site-header"' in page
    german = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="de")
    assert german.status_code == 404
    assert 'lang="de"' in german.content.decode()
