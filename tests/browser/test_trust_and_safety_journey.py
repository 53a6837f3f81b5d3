"""The trust-and-safety journey in a real browser (M-10, M-11, M-12, C-15): a buyer sends a card
number and an e-mail address and sees the masked message and the tip; the seller reports the
message; a support agent takes the case — the report and the flag in one — from "Review next"
and warns; the buyer reads the statement of reasons and appeals; another reviewer reverses.
Screenshots of every step, at desktop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from marketplace.services.inbox import conversation_between
from moderation.models import Appeal, Case, Statement, UserWarning
from tests.calls.conftest import sell

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_queue_warning_statement_appeal_reversal(
    visit, shot, buyer, seller, support_agent, reviewer
):
    conversation = conversation_between(buyer, seller)

    # 1. The buyer sends a card number and an e-mail address: masked, with the tip.
    member = visit(buyer)
    member.goto(f"/inbox/{conversation.pk}/")
    member.get_by_label("Message").fill(
        "Let's skip the fees: my card is 4242 4242 4242 4242, or mail me at bea.k@example.org"
    )
    member.get_by_role("button", name="Send").click()
    expect(member.get_by_text("card is •••• •••• •••• 4242", exact=False)).to_be_visible()
    expect(member.get_by_test_id("safety-tip")).to_contain_text("never share card numbers")
    shot(member, "buyer-sees-the-masked-message-and-the-tip")

    # 2. The seller reports the message from the link under it.
    other = visit(seller)
    other.goto(f"/inbox/{conversation.pk}/")
    other.get_by_role("link", name="Report", exact=True).click()
    expect(other.get_by_test_id("reported-message")).to_contain_text("•••• 4242")
    other.get_by_label("What happened?").select_option(
        label="Trying to move business off the platform"
    )
    other.get_by_label("Details").fill("Wants to pay me outside the marketplace.")
    shot(other, "seller-reports-the-message")
    other.get_by_role("button", name="Send the report").click()
    expect(other.get_by_text("Our team has your report")).to_be_visible()
    shot(other, "seller-is-told-the-report-arrived")
    other.get_by_role("link", name="Report", exact=True).click()
    expect(other.get_by_test_id("already-reported")).to_contain_text("Our team is looking into it")
    shot(other, "seller-already-reported")
    case = Case.objects.get()
    assert (case.reports_count, case.flags_count, case.sensitive) == (1, 1, True)

    # 3. A support agent takes the most urgent case and warns, seeing what it will do.
    agent = visit(support_agent)
    agent.goto("/admin/moderation/case/")
    shot(agent, "the-queue", docs=True)
    agent.get_by_test_id("review-next").click()
    expect(agent.get_by_test_id("case-context")).to_contain_text("Wants to pay me outside")
    expect(agent.get_by_test_id("case-flag")).to_contain_text("card_number")
    shot(agent, "the-case-in-context", docs=True)
    agent.get_by_test_id("case-decide").click()
    agent.get_by_label("Outcome").select_option(label="Warning issued")
    agent.get_by_label("Warning type").select_option(label="Requests for personal or payment data")
    agent.get_by_label("Note").fill("Sent a card number and an e-mail address to pay outside.")
    agent.get_by_role("button", name="Preview").click()
    expect(agent.get_by_test_id("sanction-preview")).to_contain_text("a reminder of the terms")
    shot(agent, "the-decision-preview")
    agent.get_by_role("button", name="Confirm").click()
    expect(agent.get_by_text("The queue is empty. Well done.")).to_be_visible()
    agent.get_by_test_id("queue-dashboard").click()
    expect(agent.get_by_test_id("dashboard")).to_contain_text(support_agent.email)
    shot(agent, "the-dashboard")
    warning = UserWarning.objects.get(user=buyer)
    statement = Statement.objects.get(warning=warning)
    assert statement.automated is True

    # 4. The buyer reads the statement of reasons from the account page and appeals.
    member.goto("/accounts/profile/")
    member.get_by_test_id("own-decisions").get_by_role("link").first.click()
    expect(member.get_by_test_id("statement")).to_contain_text("automatic detection")
    shot(member, "buyer-reads-the-statement-of-reasons", docs=True)
    member.get_by_label("Why should we look at this decision again?").fill(
        "It was my own card; I did not know sharing it was against the rules."
    )
    member.get_by_role("button", name="Send the appeal").click()
    expect(member.get_by_test_id("appeal-status")).to_contain_text("Pending")
    shot(member, "buyer-appealed")

    # 5. A reviewer who did not decide reverses; the warning no longer counts.
    judge = visit(reviewer)
    appeal = Appeal.objects.get()
    judge.goto(f"/admin/moderation/appeal/{appeal.pk}/change/")
    expect(judge.get_by_test_id("appeal-statement")).to_contain_text("automatic detection")
    judge.get_by_test_id("appeal-decide").click()
    judge.get_by_label("Outcome").select_option(label="Reverse the decision")
    judge.get_by_label("Reason").fill("A first mistake with her own card; reversed with a note.")
    judge.get_by_role("button", name="Preview").click()
    expect(judge.get_by_test_id("sanction-preview")).to_contain_text("The warning is withdrawn")
    shot(judge, "reviewer-reverses-the-warning")
    judge.get_by_role("button", name="Confirm").click()
    expect(judge.get_by_text("The appeal is decided.")).to_be_visible()
    warning.refresh_from_db()
    assert warning.withdrawn_at is not None

    member.goto(f"/account/decisions/{statement.pk}/")
    expect(member.get_by_test_id("appeal-status")).to_contain_text("Reversed")
    shot(member, "buyer-sees-the-reversal")


def test_a_cases_recording_stays_muted_until_the_reviewer_reveals_it(
    visit, shot, seller, buyer, reviewer
):
    from calls import services as calls
    from moderation import services

    sell(seller, buyer)  # an eligible seller: Level 1, a recent order
    call = calls.start_call(conversation_between(seller, buyer), actor=seller)
    calls.join_call(call, actor=buyer)
    call = calls.end_call(call, actor=buyer)
    calls.collect_recording(str(call.pk))
    services.report_call(call, actor=buyer, reason="threats", details="He said he would find me.")
    page = visit(reviewer)
    page.goto(f"/admin/moderation/case/{Case.objects.get().pk}/change/")
    page.get_by_test_id("case-recording").click()
    page.get_by_label("Why do you open this recording?").fill("The report about threats.")
    page.get_by_role("button", name="Open the recording").click()
    player = page.get_by_test_id("staff-player")
    expect(player).to_be_attached()
    assert player.evaluate("media => media.muted") is True
    expect(page.get_by_test_id("concealed-media")).to_have_attribute("data-concealed", "")
    shot(page, "recording-concealed")
    page.get_by_role("button", name="Reveal: show and unmute").click()
    assert player.evaluate("media => media.muted") is False
    expect(page.get_by_test_id("concealed-media")).not_to_have_attribute("data-concealed", "")
    shot(page, "recording-revealed")


def test_a_german_member_reports_and_reads_a_statement_in_german(
    visit, shot, buyer, seller, support_agent
):
    from accounts import services as accounts
    from marketplace.services.inbox import send_message
    from moderation import services
    from moderation.models import WarningType

    german = accounts.update_profile(
        buyer, actor=buyer, display_name=buyer.display_name, timezone="Europe/Berlin", language="de"
    )
    conversation = conversation_between(german, seller)
    send_message(conversation, actor=seller, body="Zahl mir lieber bar, das spart Gebühren.")
    page = visit(german)  # logged in, the pages speak the account's language
    page.goto(f"/inbox/{conversation.pk}/")
    page.get_by_role("link", name="Melden", exact=True).click()
    expect(page.get_by_role("heading", name="Eine Nachricht melden")).to_be_visible()
    shot(page, "report-page-in-german")
    warning = services.issue_warning(
        german,
        actor=support_agent,
        warning_type=WarningType.objects.get(code="off_platform"),
        note="Bank transfer.",
    )
    page.goto(f"/account/decisions/{Statement.objects.get(warning=warning).pk}/")
    expect(page.get_by_test_id("statement")).to_contain_text("Was wir entschieden haben")
    expect(page.get_by_test_id("statement")).to_contain_text("Verwarnung")
    shot(page, "statement-in-german")
