"""The gig search on Postgres can use its trigram indexes (migration 0004)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from marketplace import selectors
from marketplace.models import Gig
from tests.factories import make_gig

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lookup", "index"),
    [
        ("title__icontains", "marketplace_gig_title_trgm"),
        ("description__icontains", "marketplace_gig_description_trgm"),
    ],
)
def test_the_trigram_indexes_match_the_expressions_django_generates(lookup, index):
    assert connection.vendor == "postgresql", "make test runs on Postgres"
    # An index on a slightly different expression (a missing cast, LOWER for UPPER) is silently
    # never used. With a few rows a scan is cheapest, so forbid scans and see which index the
    # planner can take for the ORM's own `icontains`.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = Gig.objects.filter(**{lookup: "zanzibar"}).only("id").explain()
    assert index in plan


def test_the_search_finds_title_and_description_whatever_the_case(seller):
    make_gig(seller, title="Logo design")
    make_gig(seller, title="Business cards")
    assert [g.title for g in selectors.public_gigs(search="LOGO D")] == ["Logo design"]
    assert len(selectors.public_gigs(search="design logos")) == 2  # both descriptions
