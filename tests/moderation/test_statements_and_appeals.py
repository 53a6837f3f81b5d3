"""M-11 (DSA Art. 17): every warning, restriction and ban is sent with a statement of reasons,
stored exactly as sent. M-12 (DSA Art. 20): one appeal per decision within six months, decided
by a reviewer other than the one who decided; a reversal undoes the sanction's effects."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from accounts import roles
from accounts import services as accounts
from accounts.models import Standing, User
from core import clock
from core.errors import DomainError
from core.models import Notification
from core.services import send_pending_notifications
from marketplace import selectors as money
from marketplace.models import BalanceHold, HoldStatus
from marketplace.services.inbox import conversation_between, send_message
from moderation import services
from moderation.models import (
    Appeal,
    Case,
    DecisionKind,
    Review,
    Statement,
    UserWarning,
    WarningType,
)
from moderation.selectors import Target
from tests.clients import as_user, client_for
from tests.factories import UserFactory, make_available_funds

pytestmark = pytest.mark.django_db


def kind(code: str) -> WarningType:
    return WarningType.objects.get(code=code)


def warn(user, actor, code="off_platform", **kwargs):
    return services.issue_warning(user, actor=actor, warning_type=kind(code), note="x", **kwargs)


@pytest.fixture
def second_reviewer(db):
    user = UserFactory.create(email="reviewer2@example.test", display_name="Rob Reviewer")
    return accounts.grant_staff_role(user, role=roles.REVIEWER, actor=None)


def refreshed(user: User) -> User:
    return User.objects.get(pk=user.pk)


# ---------------------------------------------------------------- statements (M-11)
def test_a_warning_is_sent_with_its_statement_in_the_members_language(buyer, support_agent):
    accounts.update_profile(
        buyer, actor=buyer, display_name=buyer.display_name, timezone="Europe/Berlin", language="de"
    )
    warning = warn(buyer, support_agent, "threats")
    statement = Statement.objects.get(warning=warning)
    assert statement.kind == DecisionKind.WARNING
    assert statement.language == "de"
    assert "Verwarnung" in statement.decision
    assert "Gewaltandrohungen" in statement.rule
    assert statement.automated is False
    assert statement.decided_by == support_agent
    assert "/account/decisions/" in statement.redress
    notice = Notification.objects.get(user=buyer, kind="moderation.warned")
    assert notice.context["statement"] == str(statement.pk)
    send_pending_notifications(now=clock.now() + timedelta(minutes=5))
    (email,) = [m for m in mail.outbox if m.to == [buyer.email]]
    for section in (statement.decision, statement.duration, statement.rule, statement.redress):
        assert section in email.body
    assert "Begründung" in email.body  # the section headings in German too


def test_a_statement_is_never_changed(buyer, support_agent):
    statement = Statement.objects.get(warning=warn(buyer, support_agent))
    statement.decision = "rewritten"
    with pytest.raises(Exception):  # noqa: B017, PT011 - AppendOnlyError, or the trigger
        statement.save()
    assert Statement.objects.get(pk=statement.pk).decision != "rewritten"


def test_a_restriction_says_until_the_review_ends_but_never_its_date(buyer, support_agent):
    warn(buyer, support_agent)
    review = warn(buyer, support_agent).review
    statement = Statement.objects.get(review=review)
    text = " ".join([statement.decision, statement.duration, statement.facts, statement.redress])
    assert "Until the review ends" in statement.duration
    assert "second warning of the same type" in statement.facts
    for shown in (review.deadline.strftime("%b %-d, %Y"), review.deadline.date().isoformat()):
        assert shown not in text
    page = client_for(buyer).get(f"/account/decisions/{statement.pk}/")
    assert page.status_code == 200
    assert statement.duration in page.content.decode()


def test_detection_is_named_when_a_flagged_message_led_to_the_warning(buyer, seller, support_agent):
    message = send_message(conversation_between(buyer, seller), actor=buyer, body="mail me a@b.de")
    case = Case.objects.get()
    decided = services.resolve_case(
        case,
        actor=support_agent,
        outcome="warn",
        note="Shared an e-mail address.",
        warning_type=kind("off_platform"),
    )
    statement = Statement.objects.get(warning=decided.warning)
    assert statement.automated is True
    assert "automatic detection" in statement.automation
    assert message.body[:10] in statement.facts


def test_only_the_member_sees_their_statement(buyer, outsider, support_agent):
    statement = Statement.objects.get(warning=warn(buyer, support_agent))
    assert client_for(outsider).get(f"/account/decisions/{statement.pk}/").status_code == 404
    assert client_for(None).get(f"/account/decisions/{statement.pk}/").status_code == 302
    account = client_for(buyer).get("/accounts/profile/").content.decode()
    assert f"/account/decisions/{statement.pk}/" in account


# ---------------------------------------------------------------- appeals (M-12)
def test_a_member_appeals_once_and_is_told_at_once(buyer, support_agent):
    statement = Statement.objects.get(warning=warn(buyer, support_agent))
    client = as_user(buyer)
    answer = client.post(
        "/api/moderation/appeals/",
        {"statement": str(statement.pk), "text": "Not me."},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "pending"
    assert Notification.objects.filter(user=buyer, kind="moderation.appeal_received").exists()
    again = client.post(
        "/api/moderation/appeals/",
        {"statement": str(statement.pk), "text": "Again."},
        format="json",
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_appealed")
    assert Appeal.objects.count() == 1


def test_someone_elses_statement_is_404_and_after_six_months_it_is_too_late(
    buyer, outsider, support_agent
):
    statement = Statement.objects.get(warning=warn(buyer, support_agent))
    body = {"statement": str(statement.pk), "text": "Please."}
    assert (
        as_user(outsider).post("/api/moderation/appeals/", body, format="json").status_code == 404
    )
    with time_machine.travel(statement.created_at + timedelta(days=184)):
        late = as_user(buyer).post("/api/moderation/appeals/", body, format="json")
        assert (late.status_code, late.json()["code"]) == (400, "appeal_too_late")
        page = client_for(buyer).get(f"/account/decisions/{statement.pk}/").content.decode()
        assert "The time to appeal this decision has passed." in page
    assert not Appeal.objects.exists()


def test_the_reviewer_who_decided_cannot_decide_the_appeal_nor_can_support(
    buyer, reviewer, second_reviewer, support_agent
):
    review = services.restrict_user(buyer, actor=reviewer, reason="Threats in chat.")
    statement = Statement.objects.get(review=review)
    appeal = services.file_appeal(statement, user=buyer, text="I was hacked.")
    url = f"/api/moderation/appeals/{appeal.pk}/decision/"
    body = {"outcome": "reversed", "reason": "Hacked account confirmed."}
    own = as_user(reviewer).post(url, body, format="json")
    assert (own.status_code, own.json()["code"]) == (403, "own_decision")
    agent = as_user(support_agent).post(url, body, format="json")
    assert agent.status_code == 403
    assert as_user(buyer).post(url, body, format="json").status_code == 404
    done = as_user(second_reviewer).post(url, body, format="json")
    assert done.status_code == 200, done.content
    assert refreshed(buyer).standing == Standing.ACTIVE
    review.refresh_from_db()
    assert (review.status, review.outcome, review.decided_by) == (
        "decided",
        "restore",
        second_reviewer,
    )
    twice = as_user(second_reviewer).post(url, body, format="json")
    assert (twice.status_code, twice.json()["code"]) == (409, "appeal_decided")


def test_reversing_a_warning_lifts_the_restriction_it_caused_and_recounts(
    buyer, support_agent, reviewer
):
    warn(buyer, support_agent)
    second = warn(buyer, support_agent)
    assert refreshed(buyer).standing == Standing.RESTRICTED
    appeal = services.file_appeal(
        Statement.objects.get(warning=second), user=buyer, text="That was my colleague."
    )
    services.decide_appeal(appeal, actor=reviewer, outcome="reversed", reason="Confirmed.")
    assert refreshed(buyer).standing == Standing.ACTIVE
    assert UserWarning.objects.get(pk=second.pk).withdrawn_at is not None
    assert Review.objects.get(pk=second.review_id).outcome == "restore"
    assert Notification.objects.filter(user=buyer, kind="moderation.appeal_reversed").exists()
    # Re-counted without it: the next warning of the same type is the second, not the third
    # — it restricts by M-2.2, and the preview says so.
    preview = services.preview_warning(
        buyer, actor=support_agent, warning_type=kind("off_platform")
    )
    assert (preview.outcome.rule, preview.earlier) == ("M-2.2", 1)


def test_an_upheld_appeal_changes_nothing_but_tells_the_member(buyer, support_agent, reviewer):
    warning = warn(buyer, support_agent)
    appeal = services.file_appeal(Statement.objects.get(warning=warning), user=buyer, text="No.")
    services.decide_appeal(appeal, actor=reviewer, outcome="upheld", reason="The message is clear.")
    assert UserWarning.objects.get(pk=warning.pk).withdrawn_at is None
    notice = Notification.objects.get(user=buyer, kind="moderation.appeal_upheld")
    assert notice.context["reason"] == "The message is clear."


def test_reversing_a_ban_restores_the_account_and_releases_the_money_once(
    seller, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    make_available_funds(seller, 6000)
    with django_capture_on_commit_callbacks(execute=True):
        ban = services.ban_user(seller, actor=reviewer, reason="Counterfeit fonts.")
    assert money.balances(seller).held_cents == 6000
    statement = Statement.objects.get(ban=ban)
    assert statement.decided_by == reviewer
    # Banned: no login, so the appeal goes through the signed link of the e-mail.
    found = re.search(r"(/appeal/[^\s/]+/)", statement.redress)
    assert found is not None
    path = found.group(1)
    page = client_for(None).get(path)
    assert page.status_code == 200
    posted = client_for(None).post(path, {"text": "The fonts were licensed; here is the invoice."})
    assert posted.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.user == seller
    services.decide_appeal(appeal, actor=second_reviewer, outcome="reversed", reason="Licensed.")
    assert refreshed(seller).standing == Standing.ACTIVE
    balances = money.balances(seller)
    assert (balances.held_cents, balances.available_cents) == (0, 6000)
    assert BalanceHold.objects.get(user=seller).status == HoldStatus.RELEASED
    with pytest.raises(DomainError):
        services.decide_appeal(appeal, actor=second_reviewer, outcome="reversed", reason="Again.")
    assert money.balances(seller).available_cents == 6000


def test_a_forged_appeal_link_is_404(buyer):
    assert client_for(None).get("/appeal/forged/").status_code == 404


def test_a_report_from_the_queue_to_an_appeal_end_to_end(buyer, seller, support_agent, reviewer):
    message = send_message(conversation_between(buyer, seller), actor=seller, body="Pay by IBAN.")
    services.file_report(
        Target("message", message=message, subject=seller),
        actor=buyer,
        reason="off_platform",
        details="Wants a bank transfer.",
    )
    case = services.review_next(support_agent)
    assert case is not None
    decided = services.resolve_case(
        case, actor=support_agent, outcome="warn", note="x", warning_type=kind("off_platform")
    )
    statement = Statement.objects.get(warning=decided.warning)
    appeal = services.file_appeal(statement, user=seller, text="A misunderstanding.")
    with pytest.raises(DomainError) as refused:
        services.decide_appeal(appeal, actor=support_agent, outcome="reversed", reason="ok")
    assert refused.value.status_code == 403
    services.decide_appeal(appeal, actor=reviewer, outcome="reversed", reason="A misunderstanding.")
    assert UserWarning.objects.get(statement=statement).withdrawn_at is not None
