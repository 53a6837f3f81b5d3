"""The calls tests' cast: a seller who may call (Level 1, a $60 sale today), the buyer they
sold to, and helpers that make the figures eligibility reads through the real services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from accounts.models import User
from calls import services
from calls.models import Call
from marketplace import services as marketplace
from marketplace.models import Order
from marketplace.services.inbox import conversation_between
from tests.calls import zoom_fake
from tests.calls.zoom_contract import contract
from tests.calls.zoom_fake import FakeZoom
from tests.factories import UserFactory, make_gig


def sell(
    seller: User,
    buyer: User,
    *,
    price: str = "60.00",
    extras: dict[str, str] | None = None,
    at: datetime | None = None,
    complete: bool = True,
    tip_cents: int = 0,
) -> Order:
    """An order placed with `seller` (at `at`), delivered and accepted unless `complete` is
    False; extras and a tip are taken too, so tests can show that they do not count."""

    def run() -> Order:
        gig = make_gig(seller, price=price, extras=extras, title=f"Gig at {price}")
        order = marketplace.place_order(
            gig, actor=buyer, extra_ids=[extra.id for extra in gig.extras.all()]
        )
        if complete:
            order = marketplace.accept_order(
                marketplace.deliver_order(order, actor=seller), actor=buyer
            )
            if tip_cents:
                order = marketplace.tip_order(order, actor=buyer, amount_cents=tip_cents)
        return order

    if at is None:
        return run()
    with time_machine.travel(at, tick=False):
        return run()


@pytest.fixture
def eligible_seller(seller: User, buyer: User) -> User:
    """Level 1, an eligibility ASP of $60.00, an order placed today."""
    sell(seller, buyer)
    return seller


@pytest.fixture
def start_call(eligible_seller: User, buyer: User) -> Callable[..., Call]:
    def start(**kwargs: object) -> Call:
        conversation = conversation_between(eligible_seller, buyer)
        return services.start_call(conversation, actor=eligible_seller, **kwargs)  # type: ignore[arg-type]

    return start


@pytest.fixture
def invited(db: None) -> User:
    return UserFactory.create(email="guest@example.test", display_name="Gina Guest")


@pytest.fixture
def zoom(settings: Any) -> Iterator[FakeZoom]:
    """The `zoom` backend, talking over HTTP to a fake Zoom that checks every body against
    Zoom's OpenAPI document. The test fails if the backend sent anything Zoom would refuse."""
    fake = FakeZoom(contract()).start()
    settings.VIDEO_BACKEND = "calls.providers.zoom.ZoomVideoBackend"
    settings.ZOOM_API_URL = f"{fake.url}/v2"
    settings.ZOOM_OAUTH_URL = f"{fake.url}/oauth/token"
    settings.ZOOM_ACCOUNT_ID = zoom_fake.ACCOUNT_ID
    settings.ZOOM_CLIENT_ID = zoom_fake.CLIENT_ID
    settings.ZOOM_CLIENT_SECRET = zoom_fake.CLIENT_SECRET
    settings.ZOOM_DOWNLOAD_HOSTS = ["127.0.0.1"]
    token_key = f"calls:zoom:token:{zoom_fake.ACCOUNT_ID}"
    cache.delete_many([token_key, f"{token_key}:lock"])
    try:
        yield fake
    finally:
        fake.stop()
        cache.delete_many([token_key, f"{token_key}:lock"])
    assert fake.violations == [], "requests Zoom's contract does not allow"
