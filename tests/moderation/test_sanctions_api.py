"""The staff API of sanctions (point 10) and what members see of their own standing (M-8,
M-9): codes for bad input, 404 for members, 403 for staff without the power, the deadline
for reviewers only, and nothing half-written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import AuditEntry, Standing, User
from marketplace.services.inbox import send_message
from moderation import services
from moderation.models import Review, UserWarning, WarningType
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WARNINGS = "/api/moderation/warnings/"
PREVIEW = "/api/moderation/warnings/preview/"
RESTRICTIONS = "/api/moderation/restrictions/"
BANS = "/api/moderation/bans/"
REVIEWS = "/api/moderation/reviews/"


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def warning_body(
    user: User, code: str = "threats", note: str = "said it in a call"
) -> dict[str, object]:
    return {"user": user.pk, "type": code, "note": note}


def test_a_support_agent_issues_a_warning_and_learns_what_it_caused(buyer, support_agent):
    agent = client_for(support_agent)
    first = agent.post(WARNINGS, warning_body(buyer), format="json")
    assert first.status_code == 201
    assert (first.data["action"], first.data["review"]) == ("reminder", None)
    second = agent.post(WARNINGS, warning_body(buyer), format="json")
    assert second.status_code == 201
    assert second.data["action"] == "restricted"
    assert second.data["review"] == Review.objects.get(user=buyer).pk


def test_the_preview_says_what_the_next_warning_will_do(buyer, support_agent):
    agent = client_for(support_agent)
    agent.post(WARNINGS, warning_body(buyer), format="json")
    preview = agent.post(PREVIEW, {"user": buyer.pk, "type": "threats"}, format="json")
    assert preview.status_code == 200
    assert preview.data["action"] == "restrict"
    assert preview.data["rule"] == "M-2.2"
    assert preview.data["earlier_warnings"] == 1
    assert "restricted" in preview.data["text"]
    assert UserWarning.objects.filter(user=buyer).count() == 1


def test_warnings_can_carry_evidence(buyer, support_agent, start_call):
    call = start_call()
    body = {**warning_body(call.host), "evidence": {"call": str(call.pk)}}
    created = client_for(support_agent).post(WARNINGS, body, format="json")
    assert created.status_code == 201
    assert UserWarning.objects.get(pk=created.data["id"]).call == call


def test_evidence_must_concern_the_member(buyer, support_agent, start_call):
    call = start_call()
    said_by_buyer = send_message(call.conversation, actor=buyer, body="pay me outside the site")
    outsider = UserFactory.create()
    agent = client_for(support_agent)
    for evidence in ({"message": said_by_buyer.pk}, {"call": str(call.pk)}):
        body = {**warning_body(outsider), "evidence": evidence}
        answer = agent.post(WARNINGS, body, format="json")
        assert (answer.status_code, answer.data["code"]) == (400, "evidence_unrelated")
    assert not UserWarning.objects.exists()
    body = {**warning_body(buyer), "evidence": {"message": said_by_buyer.pk, "call": str(call.pk)}}
    created = agent.post(WARNINGS, body, format="json")
    assert created.status_code == 201
    assert UserWarning.objects.get().message == said_by_buyer


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "no_such_type"}, "type"),
        ({"user": 999_999}, "user"),
        ({"note": ""}, "note"),
        ({"note": "x" * 2001}, "note"),
        ({"evidence": {"call": "not-a-uuid"}}, "evidence"),
    ],
)
def test_bad_input_is_400_with_field_errors_and_writes_nothing(buyer, support_agent, change, field):
    before = AuditEntry.objects.count()
    answer = client_for(support_agent).post(
        WARNINGS, {**warning_body(buyer), **change}, format="json"
    )
    assert answer.status_code == 400
    assert field in answer.data["fields"]
    assert not UserWarning.objects.exists()
    assert AuditEntry.objects.count() == before


def test_a_retired_type_is_refused_like_an_unknown_one(buyer, support_agent):
    WarningType.objects.filter(code="threats").update(is_active=False)
    answer = client_for(support_agent).post(WARNINGS, warning_body(buyer), format="json")
    assert answer.status_code == 400
    assert "type" in answer.data["fields"]


@pytest.mark.parametrize("whom", ["self", "staff"])
def test_staff_and_oneself_cannot_be_warned(whom, support_agent, reviewer):
    target = support_agent if whom == "self" else reviewer
    answer = client_for(support_agent).post(WARNINGS, warning_body(target), format="json")
    assert (answer.status_code, answer.data["code"]) == (403, "not_warnable")


def test_members_do_not_find_the_staff_api(buyer, seller):
    member = client_for(seller)
    for url in (WARNINGS, PREVIEW, RESTRICTIONS, BANS):
        assert member.post(url, warning_body(buyer), format="json").status_code == 404
    assert member.get(REVIEWS).status_code == 404
    assert APIClient().post(WARNINGS, warning_body(buyer), format="json").status_code == 401


def test_support_agents_cannot_restrict_ban_or_decide(buyer, support_agent, reviewer):
    agent = client_for(support_agent)
    for url in (RESTRICTIONS, BANS):
        answer = agent.post(url, {"user": buyer.pk, "reason": "serious"}, format="json")
        assert (answer.status_code, answer.data["code"]) == (403, "staff_power_required")
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    answer = agent.post(
        f"{REVIEWS}{review.pk}/decision/", {"outcome": "restore", "reason": "ok"}, format="json"
    )
    assert (answer.status_code, answer.data["code"]) == (403, "staff_power_required")
    review.refresh_from_db()
    assert review.is_open


def test_only_reviewers_see_a_reviews_deadline(buyer, support_agent, reviewer):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    as_agent = client_for(support_agent).get(f"{REVIEWS}{review.pk}/")
    assert as_agent.status_code == 200
    assert "deadline" not in as_agent.data
    assert "deadline" not in client_for(support_agent).get(REVIEWS).data["results"][0]
    as_reviewer = client_for(reviewer).get(f"{REVIEWS}{review.pk}/")
    assert as_reviewer.data["deadline"] is not None
    boss = User.objects.create_superuser(email="boss@example.test", display_name="Boss")
    # A superuser without the reviewer's role sees no more than support (M-9 binds them too).
    assert client_for(boss).get(REVIEWS).status_code == 404


def test_a_reviewer_decides_once(buyer, reviewer):
    review = services.restrict_user(buyer, actor=reviewer, reason="serious")
    decide = f"{REVIEWS}{review.pk}/decision/"
    first = client_for(reviewer).post(decide, {"outcome": "restore", "reason": "ok"}, format="json")
    assert first.status_code == 200
    assert first.data["outcome"] == "restore"
    again = client_for(reviewer).post(decide, {"outcome": "ban", "reason": "no"}, format="json")
    assert (again.status_code, again.data["code"]) == (409, "review_decided")
    assert User.objects.get(pk=buyer.pk).standing == Standing.ACTIVE
    bad = client_for(reviewer).post(decide, {"outcome": "maybe", "reason": "x"}, format="json")
    assert bad.status_code == 400


def test_a_ban_of_a_banned_user_is_409(buyer, reviewer, django_capture_on_commit_callbacks):
    body = {"user": buyer.pk, "reason": "fraud"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client_for(reviewer).post(BANS, body, format="json")
    assert first.status_code == 201
    again = client_for(reviewer).post(BANS, body, format="json")
    assert (again.status_code, again.data["code"]) == (409, "already_banned")


def test_me_shows_standing_and_warnings_without_any_deadline(buyer, support_agent, api_client):
    services.issue_warning(
        buyer,
        actor=support_agent,
        warning_type=WarningType.objects.get(code="threats"),
        note="internal note",
    )
    api_client.force_authenticate(buyer)
    me = api_client.get("/api/me/").data
    assert me["standing"] == "active"
    (warning,) = me["warnings"]
    assert warning["type"] == "threats"
    assert warning["type_name"] == "Threats of violence"
    assert "violence" in warning["rule"]
    assert "note" not in warning  # staff's note stays with staff


def test_the_schema_documents_the_staff_api(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    for path in (WARNINGS, PREVIEW, RESTRICTIONS, BANS, REVIEWS):
        assert path in schema["paths"]
    me = schema["components"]["schemas"]["Me"]["properties"]
    assert "warnings" in me


def test_the_review_list_costs_the_same_queries_for_1_or_5_reviews(reviewer):
    client = client_for(reviewer)
    services.restrict_user(UserFactory.create(), actor=reviewer, reason="serious")
    with CaptureQueriesContext(connection) as one:
        client.get(REVIEWS)
    for user in UserFactory.create_batch(4):
        services.restrict_user(user, actor=reviewer, reason="serious")
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(REVIEWS).data["results"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)
