"""A seller calls a buyer from the inbox, end to end on the local video backend (C-5…C-11): the
seller sees why the camera button works, starts the call, the buyer sees the invitation without
a reload, both join, one ends it, the recording plays for both, the buyer reports the call; a
seller who may not call sees the button switched off and why."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from calls.models import Call, CallStatus
from moderation.models import Report
from tests.browser.conftest import POLL_TIMEOUT_MS
from tests.calls.conftest import sell
from tests.factories import UserFactory, make_gig

pytestmark = pytest.mark.django_db(transaction=True)

# Whether the page's <audio> has loaded the recording far enough to know its length.
PLAYABLE = (
    "() => { const a = document.querySelector('[data-testid=recording-player]');"
    " return !!a && a.readyState >= 1 && a.duration > 0 && !a.error; }"
)


def open_conversation(page: Page, name: str) -> None:
    page.goto("/inbox/")
    page.get_by_role("link", name=name).click()


def test_a_seller_calls_a_buyer_and_both_play_the_recording(visit, shot, seller, buyer):
    sell(seller, buyer, price="75.00")
    seller_page, buyer_page = visit(seller), visit(buyer)
    open_conversation(buyer_page, seller.display_name)

    # The seller sees why she may call, and starts the call now.
    open_conversation(seller_page, buyer.display_name)
    expect(seller_page.locator("#call-why")).to_contain_text("$75.00, at least $50.00")
    shot(seller_page, "call-button", docs=True)
    seller_page.get_by_text(f"Start a video call with {buyer.display_name}").click()
    shot(seller_page, "seller-call-form")
    seller_page.get_by_role("button", name="Start the call").click()
    expect(seller_page.get_by_text("Your call is set up")).to_be_visible()
    call = Call.objects.get()

    # The buyer's open conversation shows the invitation without a reload.
    invitation = buyer_page.locator(f"#call-{call.pk}")
    expect(invitation).to_be_visible(timeout=POLL_TIMEOUT_MS)
    expect(invitation).to_contain_text("The call is recorded")
    shot(buyer_page, "call-invitation", docs=True)

    # Both join: each lands in the call room of the local backend.
    invitation.get_by_role("link", name="Join").click()
    expect(buyer_page.get_by_role("region", name="Call room")).to_be_visible()
    seller_page.locator(f"#call-{call.pk}").get_by_role("link", name="Join").click()
    expect(seller_page.get_by_role("region", name="Call room")).to_be_visible()
    shot(seller_page, "seller-in-the-call")
    call.refresh_from_db()
    assert call.status == CallStatus.LIVE
    assert call.participants.filter(joined_at__isnull=False).count() == 2

    # The buyer ends it; the recording plays for both.
    buyer_page.get_by_role("button", name="End the call for everyone").click()
    expect(buyer_page.get_by_test_id("call-status")).to_have_text("Ended")
    buyer_page.wait_for_function(PLAYABLE)
    shot(buyer_page, "call-recording", docs=True)
    seller_page.goto(f"/calls/{call.pk}/")
    seller_page.wait_for_function(PLAYABLE)
    shot(seller_page, "seller-recording")

    # The buyer reports the call.
    buyer_page.get_by_label("What happened?").select_option("off_platform")
    buyer_page.get_by_label("Details").fill("Asked me to pay by bank transfer instead.")
    buyer_page.get_by_role("button", name="Send the report").click()
    expect(buyer_page.get_by_test_id("call-reported")).to_be_visible()
    shot(buyer_page, "buyer-reported")
    report = Report.objects.get()
    assert (report.reporter_id, report.reported_user_id) == (buyer.pk, seller.pk)


def test_a_seller_who_may_not_call_sees_the_button_switched_off_and_why(visit, shot, buyer):
    newcomer = UserFactory.create(display_name="Nina Newcomer")
    make_gig(newcomer, title="Proofreading")
    sell(newcomer, buyer, price="20.00")
    page = visit(newcomer)
    open_conversation(page, buyer.display_name)
    button = page.get_by_role("button", name=re.compile("Video call"))
    expect(button).to_be_disabled()
    why = page.locator("#call-why")
    expect(why).to_contain_text("Calls need a seller level")
    expect(why).to_contain_text("$20.00; $50.00 is needed")
    shot(page, "seller-may-not-call")
    # The buyer is told who can call.
    buyer_page = visit(buyer)
    open_conversation(buyer_page, "Nina Newcomer")
    expect(buyer_page.locator("#call-why")).to_have_text(
        "Only sellers can start a call; the seller can call you."
    )
    shot(buyer_page, "buyer-cannot-call")
