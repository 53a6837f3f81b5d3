"""M-10's one queue: reports and flags merge into one case per target, "review next" hands
each staff member a different case (SKIP LOCKED, real Postgres, threads), a claim left open
returns to the queue, and outcomes go through the sanctions services."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connections
from django.test import override_settings

from accounts import roles
from accounts import services as accounts
from accounts.models import AuditEntry, Standing
from core import clock
from core.models import Notification
from marketplace.services.inbox import conversation_between, send_message
from moderation import services
from moderation.models import Case, CaseStatus, Flag, Report, Review, UserWarning, WarningType
from moderation.selectors import Target
from tests.clients import as_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
QUEUE = "/api/moderation/queue/"
PAN = "4242 4242 4242 4242"


def member(n: int):
    return UserFactory.create(email=f"member{n}@example.test", display_name=f"Member {n}")


def staff(email: str, role: str = roles.SUPPORT_AGENT):
    return accounts.grant_staff_role(UserFactory.create(email=email), role=role, actor=None)


def take(staff_member) -> Case:
    case = services.review_next(staff_member)
    assert case is not None
    return case


def reported_message(reporter, sender, body="Let's talk on WhatsApp instead."):
    message = send_message(conversation_between(reporter, sender), actor=sender, body=body)
    services.file_report(
        Target("message", message=message, subject=sender),
        actor=reporter,
        reason="off_platform",
        details="Wants to leave the platform.",
    )
    return message


# ---------------------------------------------------------------- one case per target
def test_a_flag_and_reports_on_one_message_are_one_case(buyer, seller):
    message = send_message(conversation_between(buyer, seller), actor=buyer, body=f"Card {PAN}")
    services.file_report(
        Target("message", message=message, subject=buyer),
        actor=seller,
        reason="personal_data",
        details="Sent me a card number.",
    )
    case = Case.objects.get()
    assert (case.flags_count, case.reports_count, case.sensitive) == (1, 1, True)
    assert Flag.objects.get().case == case
    assert Report.objects.get().case == case
    assert case.subject == buyer


def test_sensitive_and_repeat_cases_come_first_then_the_oldest(buyer, seller, support_agent):
    old = reported_message(member(1), member(2))
    repeat_sender = member(3)
    UserWarning.objects.create(
        user=repeat_sender,
        type=WarningType.objects.get(code="off_platform"),
        issued_by=support_agent,
        note="Earlier.",
        action="reminder",
        rule="M-2.1",
    )
    repeat = reported_message(member(4), repeat_sender)
    card = send_message(conversation_between(buyer, seller), actor=buyer, body=f"Card {PAN}")
    listed = as_user(support_agent).get(QUEUE).json()["results"]
    assert [row["message"] for row in listed] == [card.pk, repeat.pk, old.pk]
    assert listed[0]["sensitive"] is True
    assert listed[1]["repeat_target"] is True


def test_the_queue_pages_by_keyset_through_every_case_once(support_agent):
    for n in range(45):
        reported_message(member(100 + n), member(200 + n))
    client = as_user(support_agent)
    seen: list[str] = []
    url, pages = QUEUE, 0
    while url:
        page = client.get(url).json()
        seen.extend(row["id"] for row in page["results"])
        url, pages = page["next"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 45
    assert seen == [
        str(pk) for pk in Case.objects.order_by("rank", "id").values_list("pk", flat=True)
    ]
    assert client.get(QUEUE + "?cursor=bm9wZQ").status_code == 404
    assert client.get(QUEUE + "?status=closed").status_code == 400


def test_filters_narrow_the_queue(buyer, seller, support_agent, reviewer):
    reported_message(member(1), member(2))
    conversation_between(buyer, seller)
    services.file_report(
        Target("user", subject=seller), actor=buyer, reason="threats", details="Threatened me."
    )
    client = as_user(support_agent)
    assert [
        r["target_type"] for r in client.get(QUEUE + "?target_type=user").json()["results"]
    ] == ["user"]
    assert [r["reason"] for r in client.get(QUEUE + "?reason=threats").json()["results"]] == [
        "threats"
    ]
    services.review_next(support_agent)
    mine = client.get(QUEUE + "?assignee=me").json()["results"]
    assert len(mine) == 1
    assert mine[0]["assignee"] == support_agent.pk
    assert len(client.get(QUEUE + "?assignee=none").json()["results"]) == 1
    assert len(client.get(QUEUE + f"?assignee={support_agent.pk}").json()["results"]) == 1
    assert len(client.get(QUEUE + "?status=in_review").json()["results"]) == 1


def test_members_get_404_from_every_queue_endpoint(buyer, seller):
    reported_message(member(1), member(2))
    case = Case.objects.get()
    client = as_user(buyer)
    assert client.get(QUEUE).status_code == 404
    assert client.post(QUEUE + "next/").status_code == 404
    assert client.get(f"{QUEUE}{case.pk}/").status_code == 404
    assert client.post(f"{QUEUE}{case.pk}/resolve/", {}, format="json").status_code == 404
    assert client.post(f"{QUEUE}{case.pk}/assign/", {}, format="json").status_code == 404


# ---------------------------------------------------------------- taking cases
@pytest.mark.django_db(transaction=True)
def test_two_staff_pressing_review_next_at_once_get_two_different_cases():
    for n in range(4):
        reported_message(member(10 + n), member(20 + n))
    agents = [staff("a@example.test"), staff("b@example.test")]
    barrier = threading.Barrier(2)
    taken: dict[int, str] = {}

    def press(agent) -> None:
        try:
            barrier.wait()
            case = take(agent)
            taken[agent.pk] = str(case.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 2
    assert len(set(taken.values())) == 2
    for agent in agents:
        case = Case.objects.get(pk=taken[agent.pk])
        assert (case.status, case.assignee_id) == (CaseStatus.IN_REVIEW, agent.pk)
    # The most urgent two (the oldest, all else equal) went first.
    expected = {
        str(pk) for pk in Case.objects.order_by("rank", "id").values_list("pk", flat=True)[:2]
    }
    assert set(taken.values()) == expected


def test_review_next_keeps_handing_the_case_you_hold(support_agent):
    reported_message(member(1), member(2))
    reported_message(member(3), member(4))
    first = take(support_agent)
    assert services.review_next(support_agent) == first
    assert AuditEntry.objects.filter(action="moderation.case_claimed").count() == 1


@override_settings(CASE_CLAIM_MINUTES=30)
def test_a_claim_left_open_past_its_timeout_returns_to_the_queue(support_agent, reviewer):
    reported_message(member(1), member(2))
    case = take(support_agent)
    assert services.review_next(reviewer) is None  # held: nothing else to take
    with time_machine.travel(clock.now() + timedelta(minutes=31), tick=False):
        taken = take(reviewer)
    assert (taken.pk, taken.assignee) == (case.pk, reviewer)


def test_the_release_job_puts_expired_claims_back_as_open(support_agent):
    reported_message(member(1), member(2))
    reported_message(member(3), member(4))
    expired = take(support_agent)
    held = take(staff("other@example.test"))
    Case.objects.filter(pk=expired.pk).update(claim_expires_at=clock.now() - timedelta(minutes=1))
    assert services.release_expired_claims() == 1
    assert services.release_expired_claims() == 0  # idempotent
    expired.refresh_from_db()
    held.refresh_from_db()
    assert (expired.status, expired.assignee, expired.claim_expires_at) == ("open", None, None)
    assert held.status == CaseStatus.IN_REVIEW


def test_assign_and_release_through_the_api(support_agent, reviewer, buyer):
    reported_message(member(1), member(2))
    case = Case.objects.get()
    client = as_user(support_agent)
    url = f"{QUEUE}{case.pk}/assign/"
    to_buyer = client.post(url, {"assignee": buyer.pk}, format="json")
    assert to_buyer.status_code == 400  # not staff
    assert client.post(url, {"assignee": reviewer.pk}, format="json").status_code == 200
    assert Case.objects.get().assignee == reviewer
    # The reviewer holds it now: the agent can neither take it nor decide it.
    taken = client.post(url, {"assignee": support_agent.pk}, format="json")
    assert (taken.status_code, taken.json()["code"]) == (409, "case_claimed")
    decide = client.post(
        f"{QUEUE}{case.pk}/resolve/", {"outcome": "dismiss", "note": "Fine."}, format="json"
    )
    assert (decide.status_code, decide.json()["code"]) == (409, "case_claimed")
    released = as_user(reviewer).post(url, {"assignee": None}, format="json")
    assert released.status_code == 200
    assert (released.json()["status"], released.json()["assignee"]) == ("open", None)


# ---------------------------------------------------------------- deciding
def test_dismissing_resolves_everything_and_tells_each_reporter(support_agent):
    reporter = member(1)
    message = reported_message(reporter, member(2))
    case = Case.objects.get()
    response = as_user(support_agent).post(
        f"{QUEUE}{case.pk}/resolve/",
        {"outcome": "dismiss", "note": "Nothing wrong."},
        format="json",
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert (case.status, case.outcome, case.decided_by) == ("resolved", "dismiss", support_agent)
    assert Report.objects.get().status == "dismissed"
    assert Notification.objects.filter(user=reporter, kind="moderation.report_dismissed").exists()
    assert AuditEntry.objects.filter(action="moderation.case_resolved").exists()
    again = as_user(support_agent).post(
        f"{QUEUE}{case.pk}/resolve/", {"outcome": "dismiss", "note": "Again."}, format="json"
    )
    assert (again.status_code, again.json()["code"]) == (409, "case_resolved")
    # A new report on the same message after the decision opens a new case.
    services.file_report(
        Target("message", message=message, subject=message.sender),
        actor=reporter,
        reason="threats",
        details="He came back with threats.",
    )
    assert Case.objects.filter(status="open").count() == 1


def test_a_warning_from_the_queue_escalates_exactly_as_one_from_the_admin(support_agent):
    sender = member(2)
    off_platform = WarningType.objects.get(code="off_platform")
    services.issue_warning(sender, actor=support_agent, warning_type=off_platform, note="First.")
    reporter = member(1)
    message = reported_message(reporter, sender)
    case = Case.objects.get()
    assert case.repeat_target is True
    response = as_user(support_agent).post(
        f"{QUEUE}{case.pk}/resolve/",
        {"outcome": "warn", "note": "Second time.", "warning_type": "off_platform"},
        format="json",
    )
    assert response.status_code == 200, response.content
    sender.refresh_from_db()
    assert sender.standing == Standing.RESTRICTED  # M-2.2: same type twice
    warning = UserWarning.objects.get(pk=response.json()["warning"])
    assert (warning.action, warning.rule, warning.message) == ("restricted", "M-2.2", message)
    assert response.json()["review"] == str(Review.objects.get(user=sender).pk)
    assert Notification.objects.filter(user=reporter, kind="moderation.report_actioned").exists()
    assert Report.objects.get().status == "resolved"


def test_a_warning_needs_its_type_and_a_failed_sanction_writes_nothing(support_agent, reviewer):
    reported_message(member(1), member(2))
    case = Case.objects.get()
    url = f"{QUEUE}{case.pk}/resolve/"
    no_type = as_user(support_agent).post(url, {"outcome": "warn", "note": "x"}, format="json")
    assert no_type.status_code == 400
    assert "warning_type" in no_type.data["fields"]
    # Support agents do not restrict or ban (the sanctions' powers): 403, the case stays open.
    for outcome in ("restrict", "ban"):
        refused = as_user(support_agent).post(url, {"outcome": outcome, "note": "x"}, format="json")
        assert refused.status_code == 403, outcome
    case.refresh_from_db()
    assert case.is_open
    assert not Review.objects.exists()


def test_a_reviewer_bans_from_the_queue(reviewer):
    sender = member(2)
    reported_message(member(1), sender)
    case = Case.objects.get()
    response = as_user(reviewer).post(
        f"{QUEUE}{case.pk}/resolve/", {"outcome": "ban", "note": "Fraud ring."}, format="json"
    )
    assert response.status_code == 200, response.content
    sender.refresh_from_db()
    assert sender.standing == Standing.BANNED
    assert response.json()["ban"]


def test_a_flagged_call_is_decided_about_a_participant_named_by_the_reviewer(
    start_call, reviewer, seller, buyer, outsider
):
    from moderation.services.detection import flag_call

    call = start_call()
    flag_call(call, rules=["email"], excerpt="… write to me at x@example.com …")
    case = Case.objects.get()
    assert (case.target_type, case.subject) == ("call", None)
    url = f"{QUEUE}{case.pk}/resolve/"
    client = as_user(reviewer)
    nobody = client.post(url, {"outcome": "restrict", "note": "x"}, format="json")
    assert (nobody.status_code, nobody.json()["code"]) == (400, "case_has_no_subject")
    stranger = client.post(
        url, {"outcome": "restrict", "note": "x", "user": outsider.pk}, format="json"
    )
    assert (stranger.status_code, stranger.json()["code"]) == (400, "case_has_no_subject")
    done = client.post(
        url, {"outcome": "restrict", "note": "Shared an e-mail.", "user": seller.pk}, format="json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["subject"] == seller.pk
    seller.refresh_from_db()
    assert seller.standing == Standing.RESTRICTED


def test_the_case_page_of_the_api_shows_the_message_in_context(buyer, seller, support_agent):
    conversation = conversation_between(buyer, seller)
    for n in range(5):
        send_message(conversation, actor=seller if n % 2 else buyer, body=f"Message {n}")
    message = reported_message(buyer, seller)
    send_message(conversation, actor=buyer, body="After")
    case = Case.objects.get()
    detail = as_user(support_agent).get(f"{QUEUE}{case.pk}/").json()
    bodies = [row["body"] for row in detail["conversation"]]
    assert bodies == ["Message 2", "Message 3", "Message 4", message.body, "After"]
    assert detail["reports"][0]["details"] == "Wants to leave the platform."
    assert (detail["reports_count"], detail["subject"]) == (1, seller.pk)


@pytest.mark.django_db(transaction=True)
def test_two_first_reports_at_the_same_moment_join_one_case():
    from tests.concurrency import at_once

    sender = member(1)
    reporters = [member(2), member(3)]
    target = Target("user", subject=sender)

    def report(reporter):
        return lambda: services.file_report(
            target, actor=reporter, reason="threats", details="Threats."
        )

    at_once(*(report(reporter) for reporter in reporters))
    case = Case.objects.get()
    assert case.reports_count == 2
    assert Report.objects.filter(case=case).count() == 2
