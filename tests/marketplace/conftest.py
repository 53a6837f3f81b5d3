from __future__ import annotations

import pytest

from marketplace import services
from tests.factories import make_gig


@pytest.fixture
def gig(seller):
    return make_gig(seller, price="50.00", extras={"Express": "20.00", "Source files": "15.00"})


@pytest.fixture
def order(gig, buyer):
    return services.place_order(gig, actor=buyer, extra_ids=[])


@pytest.fixture
def delivered(order, seller):
    return services.deliver_order(order, actor=seller)


@pytest.fixture
def completed(delivered, buyer):
    return services.accept_order(delivered, actor=buyer)
