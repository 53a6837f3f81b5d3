"""Notices as people meet them: the header's unread count, the notices page in the reader's
language, a notice that leads to its order; and the devices on the profile page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts import services as accounts_services
from marketplace import services
from tests.factories import make_gig

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_party_is_told_in_their_language_and_a_notice_leads_to_the_order(
    visit, shot, buyer, seller
):
    accounts_services.update_profile(
        seller, actor=seller, display_name="Sol Seller", timezone="Europe/Berlin", language="de"
    )
    gig = make_gig(seller, title="Logo design")
    order = services.place_order(gig, actor=buyer, extra_ids=[])

    # The seller (German) sees one unread notice in the header and reads it in German.
    seller_page = visit(seller)
    badge = seller_page.get_by_test_id("unread-notices")
    expect(badge).to_contain_text("1")
    seller_page.get_by_role("link", name="Benachrichtigungen").click()
    expect(seller_page.get_by_text("Auftrag aufgegeben: Logo design")).to_be_visible()
    shot(seller_page, "seller-notices-german")
    seller_page.get_by_role("link", name="Auftrag aufgegeben").click()
    expect(seller_page).to_have_url(f"{seller_page.url.split('/orders/')[0]}/orders/{order.id}/")
    expect(seller_page.get_by_test_id("unread-notices")).to_have_count(0)
    seller_page.get_by_role("button", name="Liefern").click()

    # The buyer (English) is told about the delivery, on a phone.
    buyer_page = visit(buyer)
    buyer_page.set_viewport_size({"width": 390, "height": 844})
    buyer_page.goto("/notifications/")
    expect(buyer_page.get_by_text(f"Order delivered: {order.title}")).to_be_visible()
    shot(buyer_page, "buyer-notices-phone")
    buyer_page.get_by_role("button", name="Mark all as read").click()
    expect(buyer_page.get_by_text("All notifications are marked as read.")).to_be_visible()
    expect(buyer_page.get_by_test_id("unread-notices")).to_have_count(0)


def test_a_user_revokes_an_app_token_from_the_profile_page(visit, shot, buyer):
    accounts_services.create_api_token(buyer, actor=buyer, name="Reading app on my tablet")
    page = visit(buyer)
    page.goto("/accounts/profile/")
    token = page.get_by_test_id("api-token")
    expect(token).to_contain_text("Reading app on my tablet")
    shot(page, "profile-devices")
    token.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("The token is revoked")).to_be_visible()
    expect(page.get_by_text("No app or device has a token.")).to_be_visible()
