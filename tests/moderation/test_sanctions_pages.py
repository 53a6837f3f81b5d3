"""Sanctions end to end through pages and the API, set by the moderation services as staff
would: a restricted member sees the notice on every page (never the review's end date) and
finishes what is under way and nothing new; a banned member is out at once; the account page
shows standing and warnings; the banned seller's withdrawal link works once, without a login."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from rest_framework.test import APIClient

from accounts import services as accounts
from accounts.models import User
from core import clock
from marketplace import selectors
from marketplace import services as marketplace
from marketplace.models import Withdrawal
from marketplace.services.holds import LINK_SALT, payout_link_token
from moderation import services
from moderation.models import WarningType
from tests.factories import PASSWORD, UserFactory, make_available_funds, make_gig

pytestmark = pytest.mark.django_db


def restrict_by_warnings(user, agent):
    threats = WarningType.objects.get(code="threats")
    services.issue_warning(user, actor=agent, warning_type=threats, note="staff-only note 1")
    return services.issue_warning(
        user, actor=agent, warning_type=threats, note="staff-only note 2"
    ).review


def api_for(user) -> APIClient:
    """A client for `user` as a request would load them: fresh from the database."""
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


@pytest.fixture
def open_order(seller, buyer):
    return marketplace.place_order(make_gig(seller), actor=buyer, extra_ids=[])


def test_a_restricted_member_sees_the_notice_on_every_page_but_never_the_end_date(
    client, buyer, support_agent
):
    review = restrict_by_warnings(buyer, support_agent)
    client.force_login(buyer)
    for url in ("/gigs/", "/orders/", "/accounts/profile/", "/wallet/"):
        page = client.get(url).content.decode()
        assert 'data-testid="restricted-notice"' in page, url
        assert "finish your active orders" in page
        for shown in (
            review.deadline.strftime("%Y-%m-%d"),
            f"{review.deadline:%B} {review.deadline.day}",
            review.deadline.strftime("%d.%m.%Y"),
        ):
            assert shown not in page


def test_the_account_page_lists_warnings_with_their_rule(client, buyer, support_agent):
    client.force_login(buyer)
    assert 'data-testid="no-warnings"' in client.get("/accounts/profile/").content.decode()
    restrict_by_warnings(buyer, support_agent)
    page = client.get("/accounts/profile/").content.decode()
    assert page.count('data-testid="own-warning"') == 2
    assert "Threats of violence" in page
    assert "Threatening anyone with violence is not allowed." in page
    assert "staff-only note" not in page


def test_after_a_restore_the_notice_is_gone(client, buyer, support_agent, reviewer):
    review = restrict_by_warnings(buyer, support_agent)
    services.decide_review(review, actor=reviewer, outcome="restore", reason="ok")
    client.force_login(buyer)
    assert 'data-testid="restricted-notice"' not in client.get("/gigs/").content.decode()


def test_restricted_members_finish_what_is_under_way_and_start_nothing_new(
    open_order, seller, buyer, outsider, support_agent
):
    make_available_funds(seller, 2000)
    restrict_by_warnings(seller, support_agent)
    restrict_by_warnings(buyer, support_agent)
    as_seller, as_buyer = api_for(seller), api_for(buyer)
    # M-3 allows: deliver, message the other party, see the history, withdraw.
    assert as_seller.post(f"/api/orders/{open_order.pk}/deliver/").status_code == 200
    messages = f"/api/conversations/{open_order.conversation_id}/messages/"
    assert as_buyer.post(messages, {"body": "Thanks!"}, format="json").status_code == 201
    assert as_seller.get("/api/orders/").status_code == 200
    withdraw = {"amount": "20.00", "idempotency_key": "w1"}
    assert as_seller.post("/api/wallet/withdrawals/", withdraw, format="json").status_code == 201
    # ...and refuses anything new.
    other_gig = make_gig(UserFactory.create())
    placed = as_buyer.post("/api/orders/", {"gig": other_gig.pk}, format="json")
    assert (placed.status_code, placed.data["code"]) == (403, "account_restricted")
    new_chat = as_seller.post("/api/conversations/", {"with": outsider.pk}, format="json")
    assert new_chat.status_code == 403
    assert new_chat.data["code"] == "account_restricted"
    # The restricted seller's gigs are hidden from everyone else.
    assert APIClient().get(f"/api/gigs/{open_order.gig_id}/").status_code == 404


def test_a_ban_ends_the_session_and_the_token_at_the_next_request(
    buyer, reviewer, django_capture_on_commit_callbacks
):
    browser = Client()
    browser.force_login(buyer)
    assert browser.get("/accounts/profile/").status_code == 200
    _token, key = accounts.create_api_token(buyer, actor=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        services.ban_user(buyer, actor=reviewer, reason="fraud")
    assert browser.get("/accounts/profile/").status_code == 302  # to the login page
    assert APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    login = Client().post("/accounts/login/", {"username": buyer.email, "password": PASSWORD})
    assert "permanently banned" in login.content.decode()


# ---------------------------------------------------------------- the withdrawal link (M-7)
@pytest.fixture
def window_token(seller, reviewer, django_capture_on_commit_callbacks):
    make_available_funds(seller, 4200)
    with django_capture_on_commit_callbacks(execute=True):
        ban = services.ban_user(seller, actor=reviewer, reason="fraud")
    services.open_payout_windows(now=ban.banned_at + timedelta(days=90))
    return payout_link_token(seller.balance_holds.get())


def test_the_link_shows_the_amount_and_pays_out_once_without_a_login(client, seller, window_token):
    url = f"/payout/{window_token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "$42.00" in page.content.decode()
    done = client.post(url)
    assert 'data-testid="payout-requested"' in done.content.decode()
    assert Withdrawal.objects.get(user=seller).amount_cents == 4200
    again = client.get(url)
    assert again.status_code == 409
    assert "has been used" in again.content.decode()
    assert client.post(url).status_code == 409  # the page says why; nothing is paid twice
    assert Withdrawal.objects.filter(user=seller).count() == 1
    assert selectors.balances(seller).held_cents == 0


def test_a_tampered_or_foreign_link_is_404(client, window_token):
    assert client.get(f"/payout/{window_token}x/").status_code == 404
    other = signing.dumps("00000000-0000-0000-0000-000000000000", salt=LINK_SALT)
    assert client.get(f"/payout/{other}/").status_code == 404


def test_the_link_is_dead_after_7_days(client, seller, window_token):
    hold = seller.balance_holds.get()
    services.close_payout_windows(now=hold.window_closes_at)
    page = client.get(f"/payout/{window_token}/")
    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert client.post(f"/payout/{window_token}/").status_code == 410
    assert not Withdrawal.objects.filter(user=seller).exists()
    assert clock.now() < hold.window_closes_at  # closed by the job, not by the clock


def test_a_german_member_reads_the_notice_and_the_warnings_in_german(client, buyer, support_agent):
    accounts.update_profile(
        buyer, actor=buyer, display_name=buyer.display_name, timezone="Europe/Berlin", language="de"
    )
    restrict_by_warnings(buyer, support_agent)
    client.force_login(buyer)
    page = client.get("/accounts/profile/").content.decode()
    assert "Dein Konto ist eingeschränkt, während wir es überprüfen" in page
    assert "Gewaltandrohungen gegen andere sind nicht erlaubt." in page
    assert "Kontostatus und Verwarnungen" in page


def test_the_withdrawal_page_speaks_the_visitors_language(client, window_token):
    page = client.get(f"/payout/{window_token}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Hebe dein restliches Guthaben ab" in page
    assert "42,00" in page
