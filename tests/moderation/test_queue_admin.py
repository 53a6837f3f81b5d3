"""The queue in the admin (M-10): "Review next", the case in context, the decision page with
the sanctions' preview and confirmation, the next case after a decision, the dashboard; each
guarded by the staff power, which binds superusers too."""

from __future__ import annotations

import pytest

from accounts.models import Standing
from marketplace.services.inbox import conversation_between, send_message
from moderation import services
from moderation.models import Case, CaseStatus, UserWarning, WarningType
from moderation.selectors import Target
from tests.clients import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def reported(n: int):
    reporter = UserFactory.create(email=f"r{n}@example.test")
    sender = UserFactory.create(email=f"s{n}@example.test", display_name=f"Sender {n}")
    message = send_message(
        conversation_between(reporter, sender), actor=sender, body=f"Message number {n}"
    )
    services.file_report(
        Target("message", message=message, subject=sender),
        actor=reporter,
        reason="off_platform",
        details=f"Report {n}",
    )
    return Case.objects.get(message=message)


def test_review_next_opens_the_top_case_in_context(support_agent):
    first, _second = reported(1), reported(2)
    client = client_for(support_agent)
    listing = client.get("/admin/moderation/case/")
    assert listing.status_code == 200
    assert 'data-testid="review-next"' in listing.content.decode()
    taken = client.post("/admin/moderation/case/next/")
    assert taken.url == f"/admin/moderation/case/{first.pk}/change/"
    page = client.get(taken.url).content.decode()
    assert "Message number 1" in page
    assert "Report 1" in page
    assert 'data-testid="case-decide"' in page
    first.refresh_from_db()
    assert (first.status, first.assignee) == (CaseStatus.IN_REVIEW, support_agent)


def test_a_decision_previews_confirms_and_loads_the_next_case(support_agent):
    first, second = reported(1), reported(2)
    client = client_for(support_agent)
    client.post("/admin/moderation/case/next/")
    url = f"/admin/moderation/case/{first.pk}/decide/"
    fields = {"outcome": "warn", "warning_type": "", "note": "Asked to pay outside."}
    missing = client.post(url, fields)
    assert missing.status_code == 400
    assert "Choose the type of the warning." in missing.content.decode()
    fields["warning_type"] = str(WarningType.objects.get(code="off_platform").pk)
    preview = client.post(url, fields)
    assert preview.status_code == 200
    assert "a reminder of the terms of service" in preview.content.decode()
    assert not UserWarning.objects.exists()  # nothing before the confirmation
    done = client.post(url, {**fields, "confirm": "1"})
    assert done.url == f"/admin/moderation/case/{second.pk}/change/"
    first.refresh_from_db()
    assert (first.status, first.outcome) == ("resolved", "warn")
    assert UserWarning.objects.get().user == first.subject


def test_support_agents_cannot_ban_from_the_queue_and_superusers_need_the_role(
    support_agent, reviewer
):
    case = reported(1)
    url = f"/admin/moderation/case/{case.pk}/decide/"
    refused = client_for(support_agent).post(url, {"outcome": "ban", "note": "x", "confirm": "1"})
    assert refused.status_code == 403
    case.refresh_from_db()
    assert case.is_open
    boss = UserFactory.create(email="boss@example.test", is_staff=True, is_superuser=True)
    assert client_for(boss).post("/admin/moderation/case/next/").status_code == 403
    banned = client_for(reviewer).post(url, {"outcome": "ban", "note": "Fraud.", "confirm": "1"})
    assert banned.status_code == 302
    case.subject.refresh_from_db()
    assert case.subject.standing == Standing.BANNED


def test_the_dashboard_shows_the_backlog_and_decisions(support_agent):
    reported(1)
    case = reported(2)
    services.resolve_case(case, actor=support_agent, outcome="dismiss", note="Fine.")
    page = client_for(support_agent).get("/admin/moderation/case/dashboard/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "under an hour" in text
    assert support_agent.email in text
    assert client_for(UserFactory.create(email="m@example.test")).get(
        "/admin/moderation/case/dashboard/"
    ).status_code in (302, 404)
