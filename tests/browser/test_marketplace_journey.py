"""A buyer and a seller in two browsers: find, order with an extra, deliver, accept, tip, talk,
and the seller's earnings with both averages (K-1…K-4)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from marketplace.models import Gig, Order, OrderStatus
from tests.browser.conftest import POLL_TIMEOUT_MS
from tests.factories import make_gig

pytestmark = pytest.mark.django_db(transaction=True)


def test_buyer_and_seller_complete_an_order_and_talk_without_reloading(visit, shot, buyer, seller):
    make_gig(seller, title="Logo design", price="50.00", extras={"Express": "20.00"})
    make_gig(seller, title="Business cards", price="30.00")
    buyer_page, seller_page = visit(buyer), visit(seller)

    # The buyer finds the gig by searching and orders it with the Express extra.
    buyer_page.goto("/gigs/")
    buyer_page.get_by_label("Search", exact=True).fill("logo design")
    buyer_page.get_by_role("button", name="Search").click()
    expect(buyer_page.get_by_role("link", name="Business cards")).to_have_count(0)
    shot(buyer_page, "buyer-search")
    buyer_page.get_by_role("link", name="Logo design").click()
    buyer_page.get_by_role("checkbox", name=re.compile(r"Express")).check()
    shot(buyer_page, "buyer-gig")
    buyer_page.get_by_role("button", name="Order now").click()
    expect(buyer_page.get_by_text("Your order has been placed.")).to_be_visible()
    expect(buyer_page.get_by_test_id("order-status")).to_have_text("Active")
    shot(buyer_page, "buyer-order-placed")
    order = Order.objects.get()
    assert order.total_cents == 7000

    # The seller finds it among their orders and delivers.
    seller_page.goto("/orders/")
    seller_page.get_by_role("link", name="Logo design").click()
    seller_page.get_by_role("button", name="Deliver").click()
    expect(seller_page.get_by_test_id("order-status")).to_have_text("Delivered")
    shot(seller_page, "seller-delivered")

    # The buyer accepts the delivery and adds a tip.
    buyer_page.reload()
    buyer_page.get_by_role("button", name="Accept delivery").click()
    expect(buyer_page.get_by_test_id("order-status")).to_have_text("Completed")
    buyer_page.get_by_label("Tip (USD)").fill("10.00")
    buyer_page.get_by_role("button", name="Add a tip").click()
    expect(buyer_page.get_by_text("$80.00")).to_be_visible()
    shot(buyer_page, "buyer-accepted-and-tipped")
    order.refresh_from_db()
    assert (order.status, order.tip_cents) == (OrderStatus.COMPLETED, 1000)

    # Both open the conversation; each message appears on the other side without a reload.
    buyer_page.get_by_role("link", name="Message the other party").click()
    seller_page.goto("/inbox/")
    seller_page.get_by_role("link", name=buyer.display_name).click()
    buyer_page.get_by_label("Message").fill("Thank you, the logo is perfect!")
    buyer_page.get_by_role("button", name="Send").click()
    expect(seller_page.get_by_text("Thank you, the logo is perfect!")).to_be_visible(
        timeout=POLL_TIMEOUT_MS
    )
    shot(seller_page, "seller-sees-message")
    seller_page.get_by_label("Message").fill("<b>Glad</b> you like it")
    seller_page.get_by_role("button", name="Send").click()
    expect(buyer_page.get_by_text("<b>Glad</b> you like it")).to_be_visible(timeout=POLL_TIMEOUT_MS)
    shot(buyer_page, "buyer-sees-reply")

    # The seller's earnings: $80 with extra and tip, $50 for call eligibility, and why.
    seller_page.goto("/earnings/")
    expect(seller_page.get_by_test_id("earnings-asp")).to_have_text("$80.00")
    expect(seller_page.get_by_test_id("eligibility-asp")).to_have_text("$50.00")
    expect(seller_page.get_by_text(re.compile("counts the base price only"))).to_be_visible()
    shot(seller_page, "seller-earnings")


def cover_png() -> dict[str, object]:
    buffer = BytesIO()
    Image.new("RGB", (800, 600), (30, 90, 200)).save(buffer, "PNG")
    return {"name": "cover.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_a_seller_offers_a_gig_with_an_extra_and_pauses_it(
    visit, shot, seller, buyer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    seller_page = visit(seller)
    seller_page.goto("/gigs/mine/")
    seller_page.get_by_role("link", name="Offer a new gig").click()
    seller_page.get_by_label("Title").fill("Podcast editing")
    seller_page.get_by_label("Description").fill("One episode, up to an hour.")
    seller_page.get_by_label("Base price (USD)").fill("40.00")
    seller_page.locator("#id_extras-0-name").fill("Show notes")
    seller_page.get_by_role("button", name="Save gig").click()
    # The server's check (an extra needs a price) comes back next to the field, input kept.
    expect(seller_page.get_by_text("An extra needs a price.")).to_be_visible()
    expect(seller_page.get_by_label("Title")).to_have_value("Podcast editing")
    shot(seller_page, "form-error")
    seller_page.locator("#id_extras-0-price").fill("15.00")
    # A second extra: the form adds a row when asked (one row to start with, up to 10).
    expect(seller_page.locator(".extra-row")).to_have_count(1)
    seller_page.get_by_role("button", name="Add an extra").click()
    seller_page.locator("#id_extras-1-name").fill("Transcript")
    seller_page.locator("#id_extras-1-price").fill("25.00")
    seller_page.get_by_label("Cover picture (optional)").set_input_files(cover_png())
    seller_page.get_by_role("button", name="Save gig").click()
    expect(seller_page.get_by_text("Your gig has been saved.")).to_be_visible()
    shot(seller_page, "gig-saved")

    buyer_page = visit(buyer)
    buyer_page.goto("/gigs/")
    buyer_page.get_by_role("link", name="Podcast editing").click()
    expect(buyer_page.get_by_role("checkbox", name=re.compile(r"Show notes"))).to_be_visible()
    expect(buyer_page.get_by_role("checkbox", name=re.compile(r"Transcript"))).to_be_visible()
    cover = buyer_page.get_by_role("img", name=re.compile("Cover picture"))
    expect(cover).to_be_visible()
    # Visible is not loaded: wait for the picture itself (a busy machine serves it later).
    width = cover.evaluate(
        "image => image.complete ? image.naturalWidth : new Promise(done =>"
        " image.addEventListener('load', () => done(image.naturalWidth), {once: true}))"
    )
    assert width == 800  # served, re-encoded
    shot(buyer_page, "gig-with-cover")
    # The seller's edit page shows the cover and offers to remove or replace it.
    seller_page.goto(f"/gigs/{Gig.objects.get(title='Podcast editing').id}/edit/")
    expect(seller_page.get_by_label("Remove the picture")).to_be_visible()
    shot(seller_page, "gig-edit-with-cover")

    seller_page.goto("/gigs/mine/")
    seller_page.get_by_role("button", name="Pause").click()
    expect(seller_page.get_by_text("The gig is paused.")).to_be_visible()
    shot(seller_page, "gig-paused")
    buyer_page.goto("/gigs/")
    expect(buyer_page.get_by_role("link", name="Podcast editing")).to_have_count(0)
