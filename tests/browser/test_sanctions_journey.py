"""Sanctions in a real browser (M-1…M-5, M-9): a support agent issues two warnings of the same
type in the admin, seeing the preview each time; the member then sees the restriction notice and
cannot order; the support agent sees the review but neither its deadline nor a way to decide; a
reviewer restores; the notice is gone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Standing, User
from moderation.models import Review, ReviewOutcome
from tests.factories import UserFactory, make_gig

pytestmark = pytest.mark.django_db(transaction=True)


def warn_in_the_admin(page: Page, member: User, *, expect_preview: str) -> None:
    page.goto(f"/admin/accounts/user/{member.pk}/change/")
    page.get_by_test_id("admin-warn").click()
    page.get_by_label("Type").select_option(label="Threats of violence")
    page.get_by_label("Note").fill("Threatened the seller in a call.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("sanction-preview")).to_contain_text(expect_preview)


def test_two_warnings_restrict_and_a_reviewer_restores(visit, shot, buyer, support_agent, reviewer):
    gig = make_gig(UserFactory.create(display_name="Sol Seller"), title="A logo in a day")
    agent = visit(support_agent)

    # The first warning: the preview says it is a reminder; confirmed.
    warn_in_the_admin(agent, buyer, expect_preview="a reminder of the terms of service")
    shot(agent, "admin-warning-preview", docs=True)
    agent.get_by_role("button", name="Confirm").click()
    expect(agent.get_by_text("Warning issued: Reminder of the terms.")).to_be_visible()

    # The second, of the same type: the preview says the account will be restricted.
    warn_in_the_admin(agent, buyer, expect_preview="the account will be restricted")
    shot(agent, "admin-second-warning-preview")
    agent.get_by_role("button", name="Confirm").click()
    expect(agent.get_by_text("Warning issued: Account restricted.")).to_be_visible()
    assert User.objects.get(pk=buyer.pk).standing == Standing.RESTRICTED
    review = Review.objects.get(user=buyer)

    # The member sees the notice on every page and cannot order.
    member = visit(buyer)
    member.goto(f"/gigs/{gig.pk}/")
    notice = member.get_by_test_id("restricted-notice")
    expect(notice).to_contain_text("finish your active orders")
    # The gig page says why instead of offering the order button.
    expect(member.get_by_role("button", name="Order now")).to_have_count(0)
    expect(member.locator(".message.warning")).to_contain_text("you can finish open orders only")
    shot(member, "member-restricted", docs=True)
    member.goto("/accounts/profile/")
    expect(member.get_by_test_id("own-warning")).to_have_count(2)
    shot(member, "member-warnings")

    # Support sees the review, without its deadline and without a way to decide.
    agent.goto(f"/admin/accounts/user/{buyer.pk}/change/")
    agent.get_by_test_id("admin-open-review").click()
    expect(agent.locator("#review_form")).to_contain_text("Warnings")  # its cause
    expect(agent.get_by_text("Deadline")).to_have_count(0)
    expect(agent.get_by_test_id("admin-decide")).to_have_count(0)
    shot(agent, "admin-review-as-support")

    # A reviewer sees the deadline and restores.
    rita = visit(reviewer)
    rita.goto(f"/admin/moderation/review/{review.pk}/change/")
    expect(rita.get_by_text("Deadline")).to_be_visible()
    rita.get_by_test_id("admin-decide").click()
    rita.get_by_label("Outcome").select_option(label="Restored")
    rita.get_by_label("Reason").fill("First restriction; the member apologised.")
    rita.get_by_role("button", name="Preview").click()
    expect(rita.get_by_test_id("sanction-preview")).to_contain_text("active again")
    shot(rita, "admin-decision-preview", docs=True)
    rita.get_by_role("button", name="Confirm").click()
    expect(rita.get_by_text("The review is decided.")).to_be_visible()
    review.refresh_from_db()
    assert review.outcome == ReviewOutcome.RESTORE

    # The notice is gone.
    member.goto(f"/gigs/{gig.pk}/")
    expect(member.get_by_test_id("restricted-notice")).to_have_count(0)
    shot(member, "member-restored")
