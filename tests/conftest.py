"""The fixed cast every test can use: buyer, seller, outsider, support agent, reviewer."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from accounts import roles, services
from accounts.models import SellerLevel, Standing, User
from calls.providers import locmem as video_locmem
from marketplace.providers import locmem
from tests.factories import UserFactory
from tests.seed import restore_seed_data


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache (Redis in `make test`): throttles live there."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the default language: a request in another one (a German user's
    page) leaves it active in the thread, as Django does between requests."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_providers() -> None:
    """The local-memory payment, payout and video fakes start each test with no calls
    recorded."""
    locmem.reset()
    video_locmem.reset()


@pytest.fixture(autouse=True)
def _seed_data_after_a_flush(request: pytest.FixtureRequest) -> None:
    """A transactional test (a race, a browser journey) starts from an emptied database: the
    roles and warning types the migrations seeded are put back first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        restore_seed_data()


@pytest.fixture
def buyer(db: None) -> User:
    return UserFactory.create(email="buyer@example.test", display_name="Bea Buyer")


@pytest.fixture
def seller(db: None) -> User:
    user = UserFactory.create(email="seller@example.test", display_name="Sol Seller")
    return services.set_seller_level(user, level=SellerLevel.LEVEL_1, actor=None)


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory.create(email="outsider@example.test", display_name="Otto Outsider")


@pytest.fixture
def support_agent(db: None) -> User:
    user = UserFactory.create(email="support@example.test", display_name="Sam Support")
    return services.grant_staff_role(user, role=roles.SUPPORT_AGENT, actor=None)


@pytest.fixture
def reviewer(db: None) -> User:
    user = UserFactory.create(email="reviewer@example.test", display_name="Rita Reviewer")
    return services.grant_staff_role(user, role=roles.REVIEWER, actor=None)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def ban(user: User) -> User:
    return services.set_standing(user, standing=Standing.BANNED, actor=None, reason="test")


@pytest.fixture
def cast(buyer, seller, outsider, support_agent) -> dict[str | None, User | None]:
    """The access-matrix roles by name; None is the anonymous visitor."""
    return {
        "buyer": buyer,
        "seller": seller,
        "outsider": outsider,
        "support_agent": support_agent,
        None: None,
    }
