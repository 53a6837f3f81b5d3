"""Every page of the demo marketplace as its people see it, at desktop and phone width (each
`shot` also checks sideways scrolling and axe-core), the design system's gallery, and the inbox
and the order page used with the keyboard alone."""

from __future__ import annotations

import re
import shutil

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect

from accounts.models import User
from marketplace import services
from marketplace.models import Order
from tests.browser.conftest import PHONE, ROOT, UPDATE_DOCS
from tests.factories import PASSWORD, UserFactory, make_gig

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\xa0"
GERMAN_DAY = re.compile(
    r"^\d{1,2}\. (Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)\.? \d{4}$"
)
# Whether the chat shows its newest message (scrolled to within a few pixels of the end).
AT_NEWEST = (
    "() => { const log = document.querySelector('.chat-log');"
    " return log.scrollHeight - log.scrollTop - log.clientHeight < 5; }"
)
COMPONENTS = ["buttons", "forms", "messages", "cards", "table", "empty", "chat", "navigation"]


@pytest.fixture
def demo() -> dict[str, User]:
    """The cast of `seed_demo` (README), with the tests' password."""
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    cast = {}
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        cast[user.email.split("@")[0]] = user
    return cast


def test_a_visitor_sees_the_front_pages(visit, shot, demo):
    page = visit(None)
    page.goto("/")
    shot(page, "home", docs=True)
    page.goto("/gigs/")
    expect(page.get_by_role("link", name="A logo that fits your brand")).to_be_visible()
    shot(page, "gigs", docs=True)
    page.goto("/accounts/signup/")
    shot(page, "signup")
    page.goto("/accounts/login/")
    shot(page, "login")


def test_a_german_seller_reads_her_pages_in_german(visit, shot, demo):
    lena = visit(demo["seller"])  # logs in; her account speaks German
    lena.goto("/wallet/")
    expect(lena.get_by_text(f"95,00{NBSP}$")).to_be_visible()  # available, German style
    shot(lena, "wallet-german", docs=True)
    lena.goto("/earnings/")
    expect(lena.get_by_test_id("earnings-asp")).to_have_text(f"127,50{NBSP}$")
    shot(lena, "earnings-german")
    lena.goto("/orders/?role=selling")
    expect(lena.locator("table.responsive tbody tr")).to_have_count(5)
    # German dates: "5. Dez. 2026" (day, abbreviated month with a dot, year).
    expect(lena.locator("table.responsive time").first).to_have_text(GERMAN_DAY)
    shot(lena, "orders-german", docs=True)
    lena.goto("/gigs/mine/")
    shot(lena, "my-gigs-german")
    lena.goto("/inbox/")
    shot(lena, "inbox-german")
    lena.get_by_role("link", name="Bea Buyer").click()
    expect(lena.get_by_text("Blue and gold, please.")).to_be_visible()
    # It opens at the newest message, with the composer in view.
    lena.wait_for_function(AT_NEWEST)
    expect(lena.get_by_label("Nachricht", exact=True)).to_be_in_viewport()
    expect(lena.locator(".new-messages")).to_be_hidden()
    shot(lena, "conversation-german", docs=True)
    lena.wait_for_function(AT_NEWEST)  # still, after the phone-width check


def test_a_buyer_sees_her_orders_notices_and_profile(visit, shot, demo):
    bea = visit(demo["buyer"])
    bea.goto("/orders/")
    shot(bea, "orders")
    bea.get_by_role("link", name="A logo that fits your brand").first.click()
    shot(bea, "order", docs=True)
    bea.goto("/notifications/")
    shot(bea, "notifications")
    bea.goto("/accounts/profile/")
    shot(bea, "profile")
    bea.goto("/wallet/")
    shot(bea, "wallet")


def test_a_seller_sees_her_gig_as_buyers_do(visit, shot, demo):
    lena = visit(demo["seller"])
    lena.goto("/gigs/mine/")
    lena.get_by_role("link", name="A logo that fits your brand").first.click()
    expect(lena.get_by_role("button", name="Jetzt bestellen")).to_be_disabled()
    expect(lena.get_by_role("link", name="Gig bearbeiten")).to_be_visible()
    shot(lena, "own-gig-german")


def test_a_forgotten_password_is_reset_from_the_e_mail(visit, shot, demo, mailoutbox):
    page = visit(None)
    page.goto("/accounts/login/")
    page.get_by_role("link", name=re.compile("Forgot", re.IGNORECASE)).click()
    shot(page, "password-reset")
    page.get_by_label("E-mail address").fill(demo["buyer"].email)
    page.get_by_role("button", name="Send the link").click()
    shot(page, "password-reset-sent")
    link = re.search(r"https?://\S+/reset/\S+/", mailoutbox[-1].body)
    assert link is not None, mailoutbox[-1].body
    page.goto(link.group(0))
    shot(page, "password-reset-new")
    page.get_by_label("New password", exact=True).fill("a fresh long passphrase")
    page.get_by_label("New password confirmation").fill("a fresh long passphrase")
    page.get_by_role("button", name=re.compile("password", re.IGNORECASE)).click()
    shot(page, "password-reset-done")
    demo["buyer"].refresh_from_db()
    assert demo["buyer"].check_password("a fresh long passphrase")


def test_support_agents_work_in_the_admin(visit, shot, demo):
    agent = visit(demo["support"])
    agent.goto("/admin/")
    shot(agent, "admin-index")
    agent.goto("/admin/marketplace/order/")
    expect(agent.locator("#result_list tbody tr").first).to_be_visible()
    shot(agent, "admin-orders")
    agent.locator("#result_list tbody tr th a").first.click()
    shot(agent, "admin-order")


def test_the_design_gallery_shows_every_component(visit, shot):
    # German and staff: the longest header there is (German words, the support admin link).
    german = UserFactory.create(email="gestalter@example.test", is_staff=True, language="de")
    page = visit(german)
    page.goto("/design/")
    shot(page, "design-gallery-german")
    # The pictures for docs/design.md, in the docs' language.
    page = visit(UserFactory.create(email="designer@example.test", is_staff=True))
    page.goto("/design/")
    path = shot(page, "design-gallery")
    pictures = [(f"#component-{component}", f"component-{component}") for component in COMPONENTS]
    pictures.append((".site-header", "component-frame"))
    for selector, name in pictures:
        page.locator(selector).screenshot(path=path.with_name(f"{name}.png"))
    # On a phone: the header folds behind its menu button, tables become stacked cards.
    page.set_viewport_size(PHONE)
    for selector, name in (
        (".site-header", "component-frame"),
        ("#component-table", "component-table"),
    ):
        page.locator(selector).screenshot(path=path.with_name(f"{name}-phone.png"))
        pictures.append((selector, f"{name}-phone"))
    if UPDATE_DOCS:
        folder = ROOT / "docs" / "design"
        folder.mkdir(exist_ok=True)
        for _selector, name in pictures:
            shutil.copy(path.with_name(f"{name}.png"), folder / f"{name}.png")


def tab_to(page: Page, matches: str, *, limit: int = 40) -> None:
    """Press Tab until the focused element's accessible text matches (a keyboard user's way)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.innerText || e.value || e.getAttribute('aria-label') || e.id || ''); }"
        )
        if re.search(matches, focused):
            return
    pytest.fail(f"Tab never reached {matches!r}")


def test_the_inbox_and_the_order_page_work_with_the_keyboard_alone(visit, shot, buyer, seller):
    gig = make_gig(seller, title="Keyboard logo")
    buyer_page, seller_page = visit(buyer), visit(seller)
    # The buyer orders and writes with the keyboard only.
    buyer_page.goto(f"/gigs/{gig.id}/")
    tab_to(buyer_page, r"^Skip to content$")  # the first stop skips the navigation
    tab_to(buyer_page, r"^Order now$")
    buyer_page.keyboard.press("Enter")
    expect(buyer_page.get_by_test_id("order-status")).to_have_text("Active")
    order = Order.objects.get()
    # From the inbox's list to the conversation, by keyboard too.
    buyer_page.goto("/inbox/")
    tab_to(buyer_page, rf"^{seller.display_name}$")
    buyer_page.keyboard.press("Enter")
    expect(buyer_page).to_have_url(re.compile(rf"/inbox/{order.conversation_id}/$"))
    tab_to(buyer_page, r"^id_body$")
    buyer_page.keyboard.type("Typed without a mouse")
    tab_to(buyer_page, r"^Send$")
    buyer_page.keyboard.press("Enter")
    expect(buyer_page.locator(".bubble.mine").last).to_contain_text("Typed without a mouse")
    # The seller delivers from the order page with the keyboard only.
    seller_page.goto(f"/orders/{order.id}/")
    tab_to(seller_page, r"^Deliver$")
    seller_page.keyboard.press("Enter")
    expect(seller_page.get_by_test_id("order-status")).to_have_text("Delivered")
    shot(seller_page, "delivered-by-keyboard")


def top_of(page: Page, text: str) -> float:
    """Where a message is in the chat's window, in pixels from the window's top."""
    return float(
        page.evaluate(
            "text => { const log = document.querySelector('.chat-log');"
            " const item = [...log.querySelectorAll('[data-message]')]"
            ".find(e => e.textContent.includes(text));"
            " return item.getBoundingClientRect().top - log.getBoundingClientRect().top; }",
            text,
        )
    )


def test_the_chat_keeps_the_readers_place_as_messages_come_and_earlier_ones_load(
    visit, shot, buyer, seller
):
    order = services.place_order(make_gig(seller, title="Long talk"), actor=buyer, extra_ids=[])
    for i in range(60):
        services.post_message(order.conversation, actor=seller, body=f"note {i:02}")
    page = visit(buyer)
    page.goto(f"/inbox/{order.conversation_id}/")
    page.wait_for_function(AT_NEWEST)
    expect(page.get_by_text("note 59")).to_be_in_viewport()
    # Reading further up: a new message arrives below and the text read does not move.
    page.evaluate("() => { document.querySelector('.chat-log').scrollTop = 200; }")
    reading = page.locator(".chat-log [data-message]").nth(3).locator(".body > p").inner_text()
    before = top_of(page, reading)
    services.send_message(order.conversation, actor=seller, body="a new one")
    expect(page.locator(".new-messages")).to_be_visible()
    expect(page.locator("#chat-status")).to_have_text("New messages: 1")  # said, once
    assert abs(top_of(page, reading) - before) < 2
    # Earlier messages load above, and again the text read stays where it was.
    page.evaluate("() => { document.querySelector('.chat-log').scrollTop = 0; }")
    first = page.locator(".chat-log [data-message]").first.locator(".body > p").inner_text()
    before = top_of(page, first)
    page.get_by_role("link", name="Earlier messages").click()
    expect(page.get_by_text("note 00")).to_be_attached()
    assert abs(top_of(page, first) - before) < 2
    # The link that had the focus is gone (no earlier page is left): the chat keeps it.
    expect(page.locator(".chat-log")).to_be_focused()
    expect(page.locator(".day-break")).to_have_count(1)  # one separator for the one day
    # The jump to the newest message.
    page.locator(".new-messages").click()
    expect(page.get_by_text("a new one")).to_be_in_viewport()
    shot(page, "long-conversation")


def test_the_api_docs_run_under_the_content_security_policy(visit):
    """Swagger UI is not ours (no axe check), but it runs under our policy: its script from our
    origin, its one inline style with the nonce; any violation fails the journey."""
    page = visit(None)
    page.goto("/api/docs/")
    expect(page.get_by_text("Marketplace API").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
