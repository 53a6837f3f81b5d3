"""What a review of the queue, statements and appeals found, each pinned: the member's lock does
not block rows that point at them (no deadlock with a case held meanwhile); a ban reversed
after its withdrawal window closed gives the unclaimed money back; a reversed restriction is
no repeat offence; a case that names its member cannot be decided about someone else; a forged
queue cursor is 404; a seller whose gigs are hidden cannot be named."""

from __future__ import annotations

import base64
import json
import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction

from accounts import audit as audit_log
from accounts.models import Standing, User
from core import clock
from marketplace import selectors as money
from marketplace.models import BalanceHold, HoldStatus
from marketplace.services.inbox import conversation_between, send_message
from moderation import audit, services
from moderation.models import Case, Statement, WarningType
from moderation.selectors import Target
from moderation.services.common import locked_member
from tests.clients import as_user, client_for
from tests.concurrency import race
from tests.factories import UserFactory, make_available_funds, make_gig

pytestmark = pytest.mark.django_db


def kind(code: str) -> WarningType:
    return WarningType.objects.get(code=code)


@race
def test_a_sanction_holding_the_member_never_deadlocks_with_a_case_holder(reviewer):
    """A (a decision) holds the member's row and then wants the case; B (review next, an
    assignment, a report) holds the case and writes a row pointing at the member. The member's
    lock must let B's row through, or each waits for the other."""
    reporter, sender = UserFactory.create(), UserFactory.create()
    message = send_message(conversation_between(reporter, sender), actor=sender, body="Pay cash")
    services.file_report(
        Target("message", message=message, subject=sender),
        actor=reporter,
        reason="off_platform",
        details="Cash.",
    )
    case = Case.objects.get()
    member_locked, case_locked = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def decide() -> None:
        try:
            with transaction.atomic():
                locked_member(sender, actor=reviewer)
                member_locked.set()
                case_locked.wait(5)
                Case.objects.select_for_update().get(pk=case.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def hold_case() -> None:
        try:
            with transaction.atomic():
                member_locked.wait(5)
                Case.objects.select_for_update().get(pk=case.pk)
                case_locked.set()
                audit_log.record(
                    audit.CASE_CLAIMED, actor=reviewer, target_user=sender, obj=case, reason=""
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide), threading.Thread(target=hold_case)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []


def test_a_ban_reversed_after_its_window_closed_returns_the_unclaimed_money(
    seller, reviewer, django_capture_on_commit_callbacks
):
    from accounts import roles
    from accounts import services as accounts

    second = accounts.grant_staff_role(
        UserFactory.create(email="judge@example.test"), role=roles.REVIEWER, actor=None
    )
    make_available_funds(seller, 6000)
    with django_capture_on_commit_callbacks(execute=True):
        ban = services.ban_user(seller, actor=reviewer, reason="Counterfeit fonts.")
    services.open_payout_windows(now=ban.banned_at + timedelta(days=90))
    services.close_payout_windows(now=ban.banned_at + timedelta(days=98))
    assert BalanceHold.objects.get(user=seller).status == HoldStatus.CLOSED
    assert money.balances(seller).available_cents == 0
    appeal = services.file_appeal(
        Statement.objects.get(ban=ban), user=seller, text="The fonts were licensed."
    )
    services.decide_appeal(appeal, actor=second, outcome="reversed", reason="Licensed.")
    assert User.objects.get(pk=seller.pk).standing == Standing.ACTIVE
    assert money.balances(seller).available_cents == 6000
    assert BalanceHold.objects.get(user=seller).status == HoldStatus.RELEASED


def test_a_reversed_restriction_is_no_repeat_offence(buyer, support_agent, reviewer):
    services.issue_warning(buyer, actor=support_agent, warning_type=kind("threats"), note="1")
    second = services.issue_warning(
        buyer, actor=support_agent, warning_type=kind("threats"), note="2"
    )
    appeal = services.file_appeal(
        Statement.objects.get(review=second.review), user=buyer, text="Not me."
    )
    services.decide_appeal(appeal, actor=reviewer, outcome="reversed", reason="Hacked.")
    preview = services.preview_warning(buyer, actor=support_agent, warning_type=kind("threats"))
    assert preview.outcome.repeat is False


def test_a_call_case_that_names_its_member_is_decided_about_them(
    start_call, buyer, seller, reviewer
):
    call = start_call()
    services.report_call(call, actor=buyer, reason="threats", details="He threatened me.")
    case = Case.objects.get()
    assert case.subject == seller
    page = client_for(reviewer).get(f"/admin/moderation/case/{case.pk}/decide/").content.decode()
    assert 'name="member"' not in page  # nobody to choose: the case names the seller
    wrong = as_user(reviewer).post(
        f"/api/moderation/queue/{case.pk}/resolve/",
        {"outcome": "restrict", "note": "x", "user": buyer.pk},
        format="json",
    )
    assert (wrong.status_code, wrong.json()["code"]) == (400, "case_has_no_subject")
    assert User.objects.get(pk=buyer.pk).standing == Standing.ACTIVE
    done = client_for(reviewer).post(
        f"/admin/moderation/case/{case.pk}/decide/",
        {"outcome": "restrict", "note": "Threats.", "confirm": "1"},
    )
    assert done.status_code == 302
    assert User.objects.get(pk=seller.pk).standing == Standing.RESTRICTED
    assert User.objects.get(pk=buyer.pk).standing == Standing.ACTIVE


def test_a_forged_queue_cursor_is_404(support_agent):
    for fields in ({"r": 1, "k": "abc"}, {"r": "x", "k": "abc"}, {"r": 2**70, "k": "1"}, [1]):
        cursor = base64.urlsafe_b64encode(json.dumps(fields).encode()).decode()
        answer = as_user(support_agent).get(f"/api/moderation/queue/?cursor={cursor}")
        assert answer.status_code == 404, fields


def test_a_seller_whose_gigs_are_hidden_cannot_be_named(outsider, reviewer):
    hidden = UserFactory.create(email="hidden@example.test", display_name="Hidden Seller")
    make_gig(hidden)
    page = f"/moderation/report/user/{hidden.pk}/"
    assert client_for(outsider).get(page).status_code == 200  # a public gig: visible
    services.restrict_user(hidden, actor=reviewer, reason="Under review.")
    refused = client_for(outsider).get(page)
    assert refused.status_code == 404
    assert "Hidden Seller" not in refused.content.decode()


def test_a_withdrawn_warning_is_marked_on_the_account_page(buyer, support_agent, reviewer):
    warning = services.issue_warning(
        buyer, actor=support_agent, warning_type=kind("threats"), note="x"
    )
    appeal = services.file_appeal(Statement.objects.get(warning=warning), user=buyer, text="No.")
    services.decide_appeal(appeal, actor=reviewer, outcome="reversed", reason="Mistaken.")
    page = client_for(buyer).get("/accounts/profile/").content.decode()
    assert "withdrawn on appeal" in page
    me = as_user(buyer).get("/api/me/").json()
    assert me["warnings"][0]["withdrawn_at"] is not None
    assert clock.now() >= warning.issued_at


def test_reversing_a_restriction_whose_review_ended_in_a_ban_lifts_the_ban(
    seller, reviewer, django_capture_on_commit_callbacks
):
    from accounts import roles
    from accounts import services as accounts

    judge = accounts.grant_staff_role(
        UserFactory.create(email="judge@example.test"), role=roles.REVIEWER, actor=None
    )
    make_available_funds(seller, 3000)
    review = services.restrict_user(seller, actor=reviewer, reason="Suspected fraud.")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_review(review, actor=reviewer, outcome="ban", reason="Fraud confirmed.")
    assert money.balances(seller).held_cents == 3000
    appeal = services.file_appeal(
        Statement.objects.get(review=review), user=seller, text="The orders were real."
    )
    services.decide_appeal(appeal, actor=judge, outcome="reversed", reason="They were real.")
    assert User.objects.get(pk=seller.pk).standing == Standing.ACTIVE
    assert money.balances(seller).available_cents == 3000
    # The ban's own statement can still be appealed; there is nothing left to undo.
    ban_appeal = services.file_appeal(
        Statement.objects.get(kind="ban", user=seller), user=seller, text="And the ban."
    )
    services.decide_appeal(ban_appeal, actor=judge, outcome="reversed", reason="Lifted already.")
    assert money.balances(seller).available_cents == 3000
