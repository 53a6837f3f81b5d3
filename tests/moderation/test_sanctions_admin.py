"""The support workspace in the admin (A-5, point 11): the user page shows standing,
warnings, reviews, a ledger summary and the notices sent; every sanction has its page with the
preview on its confirmation step, calls its service, and is guarded by its staff power —
superusers included. Support agents see neither a review's deadline nor a way to decide."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEntry, Standing, User
from moderation import services
from moderation.models import Review, UserWarning, WarningType
from tests.factories import UserFactory, make_available_funds

pytestmark = pytest.mark.django_db


def admin_client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def threats() -> WarningType:
    return WarningType.objects.get(code="threats")


def user_page(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def test_the_user_page_is_the_support_workspace(buyer, seller, support_agent):
    make_available_funds(seller, 1234)
    services.issue_warning(seller, actor=support_agent, warning_type=threats(), note="rude")
    page = admin_client(support_agent).get(user_page(seller))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Threats of violence" in html  # the warnings inline
    assert "$12.34" in html  # the ledger summary
    assert "You received a warning" in html  # the notices sent
    assert 'data-testid="admin-warn"' in html
    assert f"/{seller.pk}/restrict/" not in html  # support cannot restrict...
    assert f"/{seller.pk}/ban/" not in html  # ...nor ban


def test_a_warning_in_the_admin_shows_the_preview_before_it_is_issued(buyer, support_agent):
    client = admin_client(support_agent)
    url = f"/admin/accounts/user/{buyer.pk}/warn/"
    assert client.get(url).status_code == 200
    body = {"type": threats().pk, "note": "threatened the seller"}
    preview = client.post(url, body)
    assert 'data-testid="sanction-preview"' in preview.content.decode()
    assert "a reminder of the terms of service" in preview.content.decode()
    assert not UserWarning.objects.exists()  # nothing before the confirmation
    done = client.post(url, {**body, "confirm": "Confirm"})
    assert done.status_code == 302
    assert UserWarning.objects.get().issued_by == support_agent
    second = client.post(url, body).content.decode()
    assert "the account will be restricted and a review opened" in second
    client.post(url, {**body, "confirm": "Confirm"})
    assert User.objects.get(pk=buyer.pk).standing == Standing.RESTRICTED


def test_the_form_shows_what_is_wrong(buyer, support_agent):
    answer = admin_client(support_agent).post(
        f"/admin/accounts/user/{buyer.pk}/warn/", {"type": "", "note": ""}
    )
    assert answer.status_code == 400
    assert answer.content.decode().count("errorlist") >= 2
    assert not UserWarning.objects.exists()


def test_a_refused_sanction_says_why(support_agent, reviewer):
    answer = admin_client(support_agent).post(
        f"/admin/accounts/user/{reviewer.pk}/warn/",
        {"type": threats().pk, "note": "x", "confirm": "Confirm"},
    )
    assert answer.status_code == 403
    assert "cannot be warned" in answer.content.decode()


@pytest.mark.parametrize("page", ["restrict", "ban"])
def test_support_agents_and_bare_superusers_get_403_on_reviewer_pages(page, buyer, support_agent):
    boss = User.objects.create_superuser(email="boss@example.test", display_name="Boss")
    for staff in (support_agent, boss):
        client = admin_client(staff)
        url = f"/admin/accounts/user/{buyer.pk}/{page}/"
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x", "confirm": "Confirm"}).status_code == 403
    assert User.objects.get(pk=buyer.pk).standing == Standing.ACTIVE


def test_a_reviewer_bans_after_seeing_what_the_ban_will_do(
    seller, reviewer, django_capture_on_commit_callbacks
):
    make_available_funds(seller, 2500)
    client = admin_client(reviewer)
    url = f"/admin/accounts/user/{seller.pk}/ban/"
    preview = client.post(url, {"reason": "fraud"}).content.decode()
    assert "$25.00 is held for 90 days" in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "fraud", "confirm": "Confirm"})
    assert User.objects.get(pk=seller.pk).standing == Standing.BANNED


def test_support_sees_the_review_without_its_deadline_and_cannot_decide(
    buyer, support_agent, reviewer
):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    deadline = f"{review.deadline:%Y}"
    agent = admin_client(support_agent)
    for url in (
        "/admin/moderation/review/",
        f"/admin/moderation/review/{review.pk}/change/",
        user_page(buyer),
    ):
        html = agent.get(url).content.decode()
        assert "Deadline" not in html, url
        assert 'data-testid="admin-decide"' not in html
    assert (
        deadline
        in admin_client(reviewer)
        .get(f"/admin/moderation/review/{review.pk}/change/")
        .content.decode()
    )
    decide = f"/admin/moderation/review/{review.pk}/decide/"
    assert agent.get(decide).status_code == 403
    body = {"outcome": "restore", "reason": "ok", "confirm": "Confirm"}
    assert agent.post(decide, body).status_code == 403
    review.refresh_from_db()
    assert review.is_open


def test_a_reviewer_restores_from_the_review_page(buyer, reviewer):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    client = admin_client(reviewer)
    page = client.get(f"/admin/moderation/review/{review.pk}/change/").content.decode()
    assert 'data-testid="admin-decide"' in page
    decide = f"/admin/moderation/review/{review.pk}/decide/"
    preview = client.post(decide, {"outcome": "restore", "reason": "ok"}).content.decode()
    assert "active again" in preview
    client.post(decide, {"outcome": "restore", "reason": "ok", "confirm": "Confirm"})
    assert Review.objects.get(pk=review.pk).outcome == "restore"
    assert User.objects.get(pk=buyer.pk).standing == Standing.ACTIVE
    entry = AuditEntry.objects.filter(target_user=buyer).latest("at", "id")
    assert (entry.action, entry.actor) == ("moderation.review_decided", reviewer)


def test_the_changelist_action_leads_to_the_warning_page(buyer, support_agent):
    answer = admin_client(support_agent).post(
        "/admin/accounts/user/",
        {"action": "warn_selected", "_selected_action": [buyer.pk]},
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/admin/accounts/user/{buyer.pk}/warn/"


def test_a_report_becomes_the_evidence_of_a_warning(buyer, support_agent, start_call):
    call = start_call()
    report = services.report_call(call, actor=buyer, reason="threats", details="shouted at me")
    client = admin_client(support_agent)
    report_page = client.get(f"/admin/moderation/report/{report.pk}/change/").content.decode()
    link = f"/admin/accounts/user/{call.host.pk}/warn/?report={report.pk}"
    assert link in report_page  # "Warn <host>" with this report
    assert f'value="{report.pk}"' in client.get(link).content.decode()  # filled in
    body = {"type": threats().pk, "note": "threatened the buyer", "report": report.pk}
    preview = client.post(f"/admin/accounts/user/{call.host.pk}/warn/", body).content.decode()
    assert str(report) in preview  # the confirmation names the evidence
    client.post(f"/admin/accounts/user/{call.host.pk}/warn/", {**body, "confirm": "Confirm"})
    warning = UserWarning.objects.get()
    assert (warning.user, warning.report) == (call.host, report)
    user_page_html = client.get(user_page(call.host)).content.decode()
    assert f"/admin/moderation/report/{report.pk}/change/" in user_page_html  # the inline links it


@pytest.mark.parametrize(
    ("evidence", "says"),
    [
        ({"message": "12345678"}, "No message has this id."),
        ({"call": "not-a-call"}, "No call has this id."),
        ({"call": "own"}, "The evidence must concern this member"),
    ],
)
def test_evidence_that_is_missing_or_unrelated_is_shown_on_the_form(
    buyer, support_agent, start_call, evidence, says
):
    if evidence.get("call") == "own":
        evidence = {"call": start_call().pk}  # the buyer's call, not the outsider's
    outsider = UserFactory.create()
    body = {"type": threats().pk, "note": "x", **evidence, "confirm": "Confirm"}
    answer = admin_client(support_agent).post(f"/admin/accounts/user/{outsider.pk}/warn/", body)
    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert not UserWarning.objects.exists()
