"""M-10 and DSA Art. 16: any member reports a message, a member or a call they can see, with a
C-9 reason; the report joins the target's one case and the reporter is told at once."""

from __future__ import annotations

import pytest
from django.test import override_settings

from accounts.models import AuditEntry
from core import notifications
from core.models import Notification
from marketplace.models import Message
from marketplace.services.inbox import conversation_between, send_message
from moderation.models import Case, Report
from tests.clients import as_user, client_for
from tests.factories import UserFactory, make_gig

pytestmark = pytest.mark.django_db
URL = "/api/moderation/reports/"


def report(user, target_type, target_id, reason="threats", details="He threatened me."):
    return as_user(user).post(
        URL,
        {
            "target_type": target_type,
            "target_id": str(target_id),
            "reason": reason,
            "details": details,
        },
        format="json",
    )


@pytest.fixture
def message(buyer, seller):
    return send_message(conversation_between(buyer, seller), actor=seller, body="Pay me outside.")


def test_a_member_reports_a_message_they_received_and_is_told_at_once(buyer, seller, message):
    response = report(buyer, "message", message.pk, reason="off_platform")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["target_type"], body["message"], body["reason"]) == (
        "message",
        message.pk,
        "off_platform",
    )
    stored = Report.objects.get()
    assert stored.reported_user == seller
    case = Case.objects.get()
    assert (case.target_type, case.message, case.subject, case.reports_count) == (
        "message",
        message,
        seller,
        1,
    )
    notice = Notification.objects.get(user=buyer, kind="moderation.report_received")
    assert "the message" in notifications.render(notice).text
    assert AuditEntry.objects.filter(action="moderation.message_reported", actor=buyer).exists()


def test_outsiders_get_404_and_nothing_is_written(message, outsider):
    assert report(outsider, "message", message.pk).status_code == 404
    assert report(outsider, "message", 10**12).status_code == 404
    assert report(outsider, "message", "abc").status_code == 404
    assert report(outsider, "call", "00000000-0000-0000-0000-000000000000").status_code == 404
    assert report(outsider, "call", "not-a-uuid").status_code == 404
    assert not Report.objects.exists()
    assert not Case.objects.exists()


def test_nobody_reports_themselves_or_a_system_notice(buyer, seller, message):
    own = report(seller, "message", message.pk)
    assert (own.status_code, own.json()["code"]) == (400, "cannot_report_self")
    me = report(buyer, "user", buyer.pk)
    assert (me.status_code, me.json()["code"]) == (400, "cannot_report_self")
    notice = Message.objects.create(
        conversation=message.conversation, sender=None, kind="notice", body="Order placed."
    )
    system = report(buyer, "message", notice.pk)
    assert (system.status_code, system.json()["code"]) == (400, "not_reportable")
    assert not Report.objects.exists()


def test_bad_fields_are_400_with_field_errors(buyer, message):
    response = as_user(buyer).post(
        URL, {"target_type": "gig", "target_id": "", "reason": "rude"}, format="json"
    )
    assert response.status_code == 400
    assert {"target_type", "target_id", "reason", "details"} <= set(response.data["fields"])
    assert not Report.objects.exists()


def test_the_same_target_twice_while_open_is_409(buyer, message):
    assert report(buyer, "message", message.pk).status_code == 201
    again = report(buyer, "message", message.pk, details="Again.")
    assert (again.status_code, again.json()["code"]) == (409, "already_reported")
    assert Report.objects.count() == 1
    assert Case.objects.get().reports_count == 1


def test_members_are_reportable_only_when_visible(buyer, seller, outsider):
    assert report(outsider, "user", buyer.pk).status_code == 404  # never met, no gigs
    conversation_between(buyer, seller)
    assert report(buyer, "user", seller.pk).status_code == 201
    gig_seller = UserFactory.create(email="gigs@example.test")
    make_gig(gig_seller)
    assert report(outsider, "user", gig_seller.pk).status_code == 201
    staff = UserFactory.create(email="staff@example.test", is_staff=True)
    assert report(outsider, "user", staff.pk).status_code == 404
    case = Case.objects.get(subject=seller)
    assert (case.target_type, case.reports_count) == ("user", 1)


def test_two_reports_on_one_target_are_one_case(buyer, seller, message):
    third = UserFactory.create(email="third@example.test")
    conversation_between(third, seller)
    assert report(buyer, "user", seller.pk).status_code == 201
    assert report(third, "user", seller.pk, reason="hate_or_harassment").status_code == 201
    case = Case.objects.get(target_type="user")
    assert case.reports_count == 2
    assert case.reports.count() == 2


@override_settings(REPORT_RATE_LIMIT=2)
def test_at_most_n_reports_an_hour(buyer, seller):
    targets = [UserFactory.create(email=f"t{i}@example.test") for i in range(3)]
    for target in targets:
        conversation_between(buyer, target)
    assert report(buyer, "user", targets[0].pk).status_code == 201
    assert report(buyer, "user", targets[1].pk).status_code == 201
    limited = report(buyer, "user", targets[2].pk)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert Report.objects.count() == 2


def test_anonymous_visitors_cannot_report(message):
    assert report(None, "message", message.pk).status_code in (401, 403)


# ---------------------------------------------------------------- the pages
def test_a_report_link_under_their_messages_only_and_beside_their_name(buyer, seller, message):
    mine = send_message(message.conversation, actor=buyer, body="No, thanks.")
    page = client_for(buyer).get(f"/inbox/{message.conversation_id}/").content.decode()
    assert f'href="/moderation/report/message/{message.pk}/"' in page
    assert f'href="/moderation/report/message/{mine.pk}/"' not in page
    assert f'href="/moderation/report/user/{seller.pk}/"' in page


def test_the_report_page_files_a_report_and_shows_refusals_on_the_form(buyer, message):
    client = client_for(buyer)
    url = f"/moderation/report/message/{message.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Pay me outside." in page.content.decode()
    empty = client.post(url, {"reason": "", "details": ""})
    assert empty.status_code == 400
    assert not Report.objects.exists()
    sent = client.post(url, {"reason": "off_platform", "details": "Wants cash."})
    assert sent.url == f"/inbox/{message.conversation_id}/"
    assert Report.objects.count() == 1
    again = client.post(url, {"reason": "off_platform", "details": "Again."})
    assert again.status_code == 409
    assert 'data-testid="already-reported"' in again.content.decode()
    # The page itself says so before anyone fills the form in again.
    shown = client.get(url).content.decode()
    assert 'data-testid="already-reported"' in shown
    assert 'name="details"' not in shown
    assert Report.objects.count() == 1


def test_the_report_page_is_404_for_outsiders(outsider, message):
    assert client_for(outsider).get(f"/moderation/report/message/{message.pk}/").status_code == 404
    assert client_for(outsider).get("/moderation/report/gig/1/").status_code == 404
