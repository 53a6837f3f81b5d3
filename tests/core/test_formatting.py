"""Money, dates and numbers in the reader's language and time zone, from one helper, on pages
and in e-mails: `127,50 $` and `4. Dez. 2026, 18:14` for a German reader in Berlin, `$127.50`
and `Dec 4, 2026, 6:14 PM` for an English one."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from accounts import services as accounts_services
from core import formatting
from marketplace import services
from tests.clients import client_for
from tests.factories import make_available_funds, make_gig

pytestmark = pytest.mark.django_db

# 17:14 UTC is 18:14 in Berlin (winter time) and 02:14 the next day in Tokyo.
WHEN = datetime(2026, 12, 4, 17, 14, tzinfo=UTC)
NBSP, NNBSP = "\xa0", "\u202f"  # CLDR's spaces: before "$" in German, before "PM" in English


def prefer(user, *, language, zone):
    return accounts_services.update_profile(
        user, actor=user, display_name=user.display_name, timezone=zone, language=language
    )


@pytest.mark.parametrize(
    ("language", "zone", "money", "moment"),
    [
        ("de", "Europe/Berlin", f"127,50{NBSP}$", "4. Dez. 2026, 18:14"),
        ("en", "Europe/Berlin", "$127.50", f"Dec 4, 2026, 6:14{NNBSP}PM"),
        ("en", "Asia/Tokyo", "$127.50", f"Dec 5, 2026, 2:14{NNBSP}AM"),
        ("de", "America/New_York", f"127,50{NBSP}$", "4. Dez. 2026, 12:14"),
    ],
)
def test_the_helper_writes_as_the_reader_reads(language, zone, money, moment):
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        assert formatting.money(12750) == money
        assert formatting.money(Decimal("127.50")) == money
        assert formatting.moment(WHEN) == moment


def test_large_and_negative_amounts_and_nothing_to_show():
    with translation.override("de"):
        assert formatting.money(-123456) == f"-1.234,56{NBSP}$"
        assert formatting.number(12345) == "12.345"
        assert formatting.money(None) == formatting.moment(None) == "\u2013"
    with translation.override("en"):
        assert formatting.money(-123456) == "-$1,234.56"
        assert formatting.money(1) == "$0.01"


def test_a_german_seller_reads_german_money_and_dates_in_her_zone(seller, buyer):
    prefer(seller, language="de", zone="Europe/Berlin")
    make_available_funds(seller, 12750)
    with time_machine.travel(WHEN, tick=False):
        order = services.place_order(make_gig(seller, price="60.00"), actor=buyer, extra_ids=[])
    client = client_for(seller)
    assert f"127,50{NBSP}$" in client.get("/wallet/").content.decode()
    page = client.get(f"/orders/{order.id}/").content.decode()
    assert f"60,00{NBSP}$" in page
    assert "4. Dez. 2026, 18:14" in page
    assert "$" + "60.00" not in page
    # The buyer, in English and UTC, reads the same order his way.
    page = client_for(buyer).get(f"/orders/{order.id}/").content.decode()
    assert "$60.00" in page
    assert f"Dec 4, 2026, 5:14{NNBSP}PM" in page


def test_a_visitor_reads_the_browsers_language_and_utc(seller):
    make_gig(seller, price="1234.50", title="Big logo")
    page = client_for(None).get("/gigs/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f"1.234,50{NBSP}$" in page


def test_an_email_is_written_in_the_recipients_language_and_zone(
    seller, buyer, django_capture_on_commit_callbacks
):
    prefer(seller, language="de", zone="Asia/Tokyo")
    with (
        translation.override("en"),
        time_machine.travel(WHEN, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.place_order(make_gig(seller, title="Logo"), actor=buyer, extra_ids=[])
    (email,) = mail.outbox
    assert "5. Dez. 2026, 02:14" in email.body
