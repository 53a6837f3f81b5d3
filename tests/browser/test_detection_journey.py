"""C-15 in a real browser (the first steps of the trust-and-safety journey): a buyer sends a
card number and an e-mail address; the buyer sees the number masked and the safety tip under
the message, the seller sees only the masked number; the message is flagged for the queue."""

from __future__ import annotations

from playwright.sync_api import expect

from marketplace.services.inbox import conversation_between
from moderation.models import Flag
from tests.browser.conftest import POLL_TIMEOUT_MS


def test_a_card_number_is_masked_for_both_and_the_sender_learns_why(visit, shot, buyer, seller):
    conversation = conversation_between(buyer, seller)
    buyer_page = visit(buyer)
    seller_page = visit(seller)
    buyer_page.goto(f"/inbox/{conversation.pk}/")
    seller_page.goto(f"/inbox/{conversation.pk}/")
    buyer_page.get_by_label("Message").fill(
        "Easier if I pay you directly: card 4242 4242 4242 4242, or mail me at bea.k@example.org"
    )
    buyer_page.get_by_role("button", name="Send").click()
    expect(buyer_page.get_by_text("card •••• •••• •••• 4242", exact=False)).to_be_visible()
    expect(buyer_page.get_by_test_id("safety-tip")).to_contain_text("never share card numbers")
    shot(buyer_page, "buyer-sees-masked-message-and-tip")
    expect(seller_page.get_by_text("card •••• •••• •••• 4242", exact=False)).to_be_visible(
        timeout=POLL_TIMEOUT_MS
    )
    expect(seller_page.get_by_test_id("safety-tip")).to_have_count(0)
    assert "4242 4242" not in seller_page.content()
    shot(seller_page, "seller-sees-only-the-masked-number")
    flag = Flag.objects.get()
    assert flag.finding == "email,card_number"
