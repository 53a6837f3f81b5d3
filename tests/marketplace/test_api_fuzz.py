"""The API fuzzed from its own OpenAPI schema (schemathesis), as an anonymous visitor, a buyer
and a seller: no 5xx anywhere, and every response's status code, content type and body as the
schema documents them.

The schema is read from the app itself (`/api/schema/`), so an endpoint whose declaration drifts
from what it does fails here. Requests go through the WSGI app in this thread, inside the test's
transaction, against a small marketplace: the seller's gigs with extras, orders between the two in
every state, their conversation with messages, and cleared funds to withdraw. Random ids would all
be 404, so `World.aim` points many requests at the real objects; the message rate limit is lowered
and the fake payment provider declines some charges, so that the 201s, 403s, 409s, 402s and 429s
are reached and checked against the schema as well.
"""

from __future__ import annotations

import random
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts import services as accounts_services
from accounts.models import User
from config.wsgi import application
from marketplace import services
from marketplace.models import GigStatus
from marketplace.providers import ProviderError, locmem
from tests.factories import PASSWORD, UserFactory, make_gig

Case = schemathesis.Case[Any]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Per operation and identity, for the random ("fuzzing") phase; the explicit schema examples
# and the boundary-value ("coverage") phase add their own fixed set of cases.
MAX_EXAMPLES = 30

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    application,
    config=schemathesis.Config.from_dict(
        {
            "seed": 2026,
            "generation": {
                "mode": "all",  # valid input, and invalid input that must be a documented 4xx
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "dictionaries": {
                    "string": {"dictionary": "hostile-strings", "probability": 0.2},
                    "integer": {"dictionary": "hostile-integers", "probability": 0.2},
                },
            },
            # Values that databases and parsers choke on, mixed into what the schema allows.
            "dictionaries": {
                "hostile-strings": {"values": ["\x00", "a\x00b", "%00", "9" * 30]},
                "hostile-integers": {"values": [2**31, 2**63, -(2**63) - 1, 10**30]},
            },
            "phases": {"stateful": {"enabled": False}},
        }
    ),
)


@dataclass(frozen=True)
class World:
    """The real objects, and values that pass validation, that the fuzzer's input is aimed at."""

    tokens: dict[str, str]
    gig_ids: list[int]
    extra_ids: list[int]
    order_ids: list[str]
    conversation_ids: list[str]
    user_ids: list[int]
    emails: list[str]

    def aim(self, case: Case) -> random.Random:
        """Swap most well-formed generated values for real ones, leaving malformed ones alone.

        The choices are a pure function of the generated case (Hypothesis replays a failing
        example and must see the same request); the generator is returned for more of them."""
        rng = random.Random(_fingerprint(case))

        def pick(value: Any, choices: list[Any]) -> Any:
            return rng.choice(choices) if rng.random() < 0.8 else value

        path = case.path_parameters
        body: dict[str, Any] = case.body if isinstance(case.body, dict) else {}
        targets: list[tuple[dict[str, Any], str, Callable[[Any], bool], list[Any]]] = [
            (path, "gig_id", _is_id, self.gig_ids),
            (path, "order_id", _is_uuid, self.order_ids),
            (path, "conversation_id", _is_uuid, self.conversation_ids),
            (case.query or {}, "cursor", _is_str, [""]),  # a random cursor is a 404
            (body, "gig", _is_id, self.gig_ids),
            (body, "with", _is_id, self.user_ids),
            (body, "amount", _is_str, ["0.50", "5.00", "25.00"]),  # a valid tip or withdrawal
            (body, "idempotency_key", _is_str, ["fuzz-withdrawal"]),  # replays, reuse (409)
            (body, "email", _is_str, self.emails),
            (body, "password", _is_str, [PASSWORD]),
        ]
        for values, name, well_formed, choices in targets:
            if name in values and well_formed(values[name]):
                values[name] = pick(values[name], choices)
        extras = body.get("extras")
        if isinstance(extras, list) and all(_is_id(e) for e in extras):
            body["extras"] = [pick(e, self.extra_ids) for e in extras]
        return rng


def _fingerprint(case: Case) -> int:
    body = case.body if isinstance(case.body, dict | list | str | int) else None
    seen = repr((case.method, case.path_parameters, case.query, body))
    return zlib.crc32(seen.encode("utf-8", "surrogatepass"))


def _is_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (_is_str(value) and value.isascii() and value.isdigit())


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_uuid(value: Any) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        return False


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """The WSGI app runs in this thread, inside the test's transaction: keep Django from closing
    the connection at each request's start and end (Django's own test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(buyer: User, seller: User, in_process_requests: None, settings: Any) -> World:
    # Low enough that a fuzz run reaches the 429, which must be documented like any answer.
    settings.MESSAGE_RATE_LIMIT = 5
    gig = make_gig(seller, price="50.00", extras={"Express": "20.00", "Source files": "15.00"})
    paused = services.update_gig(
        make_gig(seller, price="30.00", title="Paused gig"), actor=seller, status=GigStatus.PAUSED
    )
    other_seller = UserFactory.create(display_name="Olga Other")
    others_gig = make_gig(other_seller, price="40.00", title="Someone else's gig")

    def order() -> Any:
        return services.place_order(gig, actor=buyer, extra_ids=[])

    active = services.place_order(gig, actor=buyer, extra_ids=[gig.extras.first().pk])
    delivered = services.deliver_order(order(), actor=seller)
    completed = services.accept_order(services.deliver_order(order(), actor=seller), actor=buyer)
    cancelled = services.cancel_order(order(), actor=buyer)
    services.send_message(active.conversation, actor=buyer, body="Hello, a question first.")
    services.send_message(active.conversation, actor=seller, body="Ask away.")
    # The completed order's earning clears, so that a withdrawal can succeed.
    services.clear_pending_earnings(now=timezone.now() + timedelta(days=15))

    return World(
        tokens={
            "buyer": accounts_services.create_api_token(buyer, actor=buyer)[1],
            "seller": accounts_services.create_api_token(seller, actor=seller)[1],
        },
        gig_ids=[gig.pk, paused.pk, others_gig.pk],
        extra_ids=[e.pk for e in gig.extras.all()],
        order_ids=[str(o.pk) for o in (active, delivered, completed, cancelled)],
        conversation_ids=[str(active.conversation_id)],
        user_ids=[buyer.pk, seller.pk, other_seller.pk],
        emails=[buyer.email, seller.email],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("identity", ["anonymous", "buyer", "seller"])
@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    # The world is a function-scoped fixture on purpose: each operation starts from it afresh.
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
def test_every_response_is_documented(case: Case, identity: str, world: World):
    rng = world.aim(case)
    headers = {}
    if identity != "anonymous":
        headers["Authorization"] = f"Token {world.tokens[identity]}"
    # The card is declined now and then (a 402 for orders and tips).
    locmem.state.fail_next = (
        ProviderError("Card declined.", retryable=False) if rng.random() < 0.25 else None
    )
    try:
        case.call_and_validate(headers=headers, checks=CHECKS)
    finally:
        locmem.state.fail_next = None


# ---------------------------------------------------------------- what the fuzzer found, pinned
@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["production", "make-run"])
@pytest.mark.parametrize("url", ["/api/orders/not-a-uuid/", "/api/no-such-thing/", "/api/orders"])
def test_an_api_url_that_matches_no_route_is_a_json_404_and_a_page_stays_a_page(
    client, settings, debug, url
):
    settings.DEBUG = debug  # with DEBUG on, Django answers its HTML debug page unless routed
    api = client.get(url)
    page = client.get("/no-such-page/")
    assert (api.status_code, api["Content-Type"]) == (404, "application/json")
    assert api.json()["code"] == "not_found"
    assert (page.status_code, page["Content-Type"].split(";")[0]) == (404, "text/html")


@pytest.mark.django_db
def test_a_search_with_a_nul_character_is_a_400_not_a_database_error(client):
    response = client.get("/api/gigs/", {"q": "logo\x00"})
    assert response.status_code == 400
    assert "q" in response.json()["fields"]
