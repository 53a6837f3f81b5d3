"""Starting, joining, inviting to and ending calls (C-5…C-8), through the API and the services,
with the video provider's test backend recording what it was asked (calls.providers.locmem)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as accounts
from accounts.models import AuditEntry, BuyerTier, Standing
from calls.models import Call, CallStatus, Participant, Recording
from calls.providers import ProviderError
from calls.providers import locmem as provider
from core.models import Notification
from marketplace.models import Message
from marketplace.services.inbox import conversation_between
from tests.calls.conftest import sell
from tests.clients import as_user, client_for
from tests.concurrency import at_once, race
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def calls_url(seller, buyer) -> str:
    return f"/api/conversations/{conversation_between(seller, buyer).pk}/calls/"


def nothing_written() -> None:
    assert Call.objects.count() == 0
    assert Participant.objects.count() == 0
    assert not Message.objects.filter(kind="call_invitation").exists()


# ---------------------------------------------------------------- starting
def test_an_eligible_seller_starts_a_call_and_both_see_the_invitation(eligible_seller, buyer):
    response = as_user(eligible_seller).post(calls_url(eligible_seller, buyer), {}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    call = Call.objects.get()
    assert body["id"] == str(call.pk)
    assert body["status"] == "scheduled"
    assert body["join_url"] == f"http://testserver/calls/{call.pk}/join/"
    assert body["scheduled_for"] is not None
    # The provider was asked once, and its join URL never leaves through the API.
    assert len(provider.state.of("create_meeting")) == 1
    assert call.provider_join_url not in response.content.decode()
    invitation = Message.objects.get(kind="call_invitation")
    assert invitation.sender_id == eligible_seller.pk
    assert invitation.payload["call"] == str(call.pk)
    assert {p.user_id for p in call.participants.all()} == {eligible_seller.pk, buyer.pk}
    assert Notification.objects.filter(user=buyer, kind="calls.invited").count() == 1
    assert (
        AuditEntry.objects.filter(action="calls.call_started", object_id=str(call.pk)).count() == 1
    )
    # The buyer sees it too, through the API.
    assert as_user(buyer).get(f"/api/calls/{call.pk}/").json()["id"] == str(call.pk)


def test_a_call_scheduled_for_later_keeps_its_time(eligible_seller, buyer):
    later = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    response = as_user(eligible_seller).post(
        calls_url(eligible_seller, buyer), {"scheduled_for": later.isoformat()}, format="json"
    )
    assert response.status_code == 201
    assert Call.objects.get().scheduled_for == later
    assert provider.state.of("create_meeting")[0]["start_time"] == later


def test_an_ineligible_seller_gets_every_reason(seller, buyer):
    sell(seller, buyer, price="20.00", at=timezone.now() - timedelta(days=100))
    response = as_user(seller).post(calls_url(seller, buyer), {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_eligible"
    assert response.json()["reasons"] == ["asp_below_threshold", "no_recent_order"]
    nothing_written()
    assert provider.state.requests == []


def test_the_buyer_cannot_start_a_call(eligible_seller, buyer):
    response = as_user(buyer).post(calls_url(eligible_seller, buyer), {}, format="json")
    assert response.status_code == 403
    assert response.json()["reasons"] == ["not_seller"]
    nothing_written()


def test_a_conversation_one_is_not_part_of_is_404(eligible_seller, buyer, outsider):
    response = as_user(outsider).post(calls_url(eligible_seller, buyer), {}, format="json")
    assert response.status_code == 404
    nothing_written()


def test_a_second_start_while_a_call_is_open_is_a_conflict(eligible_seller, buyer, start_call):
    start_call()
    response = as_user(eligible_seller).post(calls_url(eligible_seller, buyer), {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "call_already_open"
    assert Call.objects.count() == 1


@race
def test_two_starts_at_the_same_time_make_one_call(seller, buyer):
    sell(seller, buyer)
    url = calls_url(seller, buyer)

    def start() -> int:
        return int(as_user(seller).post(url, {}, format="json").status_code)

    assert sorted(at_once(start, start)) == [201, 409]
    assert Call.objects.count() == 1
    assert Message.objects.filter(kind="call_invitation").count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2020-01-01T10:00:00Z", "Choose a time in the future."),
        ("+91d", "at most 90 days ahead"),
        ("tomorrow-ish", "Datetime has wrong format"),
        ("2026-13-45T99:00", "Datetime has wrong format"),
    ],
)
def test_a_bad_time_is_a_field_error_and_writes_nothing(eligible_seller, buyer, value, message):
    if value == "+91d":
        value = (timezone.now() + timedelta(days=91)).isoformat()
    response = as_user(eligible_seller).post(
        calls_url(eligible_seller, buyer), {"scheduled_for": value}, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()["fields"]["scheduled_for"][0]
    nothing_written()


def test_90_days_ahead_is_still_fine(eligible_seller, buyer):
    value = (timezone.now() + timedelta(days=90) - timedelta(minutes=1)).isoformat()
    response = as_user(eligible_seller).post(
        calls_url(eligible_seller, buyer), {"scheduled_for": value}, format="json"
    )
    assert response.status_code == 201


def test_a_provider_without_capacity_is_a_clear_503_and_writes_nothing(eligible_seller, buyer):
    provider.state.fail_next["create_meeting"] = ProviderError("pool exhausted", retryable=True)
    response = as_user(eligible_seller).post(calls_url(eligible_seller, buyer), {}, format="json")
    assert response.status_code == 503
    assert response.json()["code"] == "no_call_capacity"
    nothing_written()


def test_a_pro_buyer_can_be_called_by_a_new_seller(buyer):
    from tests.factories import make_gig

    newcomer = UserFactory.create()
    make_gig(newcomer)
    accounts.set_buyer_tier(buyer, tier=BuyerTier.PRO, actor=None)
    assert as_user(newcomer).post(calls_url(newcomer, buyer), {}, format="json").status_code == 201


# ---------------------------------------------------------------- reading and joining
def test_only_participants_see_a_call(start_call, eligible_seller, buyer, outsider, support_agent):
    call = start_call()
    for user in (outsider, support_agent):
        assert as_user(user).get(f"/api/calls/{call.pk}/").status_code == 404
        assert client_for(user).get(f"/calls/{call.pk}/").status_code == 404
        assert client_for(user).get(f"/calls/{call.pk}/join/").status_code == 404
    assert as_user(None).get(f"/api/calls/{call.pk}/").status_code == 401
    anonymous = client_for(None).get(f"/calls/{call.pk}/join/")
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/")


def test_joining_sends_a_participant_to_the_meeting_and_makes_the_call_live(start_call, buyer):
    call = start_call()
    response = client_for(buyer).get(f"/calls/{call.pk}/join/")
    assert response.status_code == 302
    assert response.url == call.provider_join_url
    call.refresh_from_db()
    assert call.status == CallStatus.LIVE
    assert call.participants.get(user=buyer).joined_at is not None


def test_joining_an_ended_call_leads_to_its_page(start_call, eligible_seller, buyer):
    call = start_call()
    as_user(buyer).post(f"/api/calls/{call.pk}/end/")
    response = client_for(eligible_seller).get(f"/calls/{call.pk}/join/")
    assert response.url == f"/calls/{call.pk}/"


# ---------------------------------------------------------------- invites (C-8)
def invite(call, user, emails):
    return as_user(user).post(f"/api/calls/{call.pk}/invites/", {"emails": emails}, format="json")


def test_the_seller_invites_platform_users_who_become_participants(
    start_call, eligible_seller, invited
):
    call = start_call()
    response = invite(call, eligible_seller, [invited.email.upper()])
    assert response.status_code == 201
    assert response.json()[0]["user"]["id"] == invited.pk
    assert response.json()[0]["role"] == "invited"
    conversation = conversation_between(eligible_seller, invited)
    assert Message.objects.filter(conversation=conversation, kind="call_invitation").count() == 1
    assert as_user(invited).get(f"/api/calls/{call.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("self", "You are already in the call."),
        ("unknown", "There is no account with this e-mail address."),
        ("banned", "This user cannot receive messages."),
        ("buyer", "This person is already invited."),
    ],
)
def test_bad_invites_are_field_errors_and_nothing_is_written(
    start_call, eligible_seller, buyer, invited, who, message
):
    call = start_call()
    emails = {
        "self": eligible_seller.email,
        "unknown": "nobody@example.test",
        "banned": invited.email,
        "buyer": buyer.email,
    }
    if who == "banned":
        accounts.set_standing(invited, standing=Standing.BANNED, actor=None, reason="spam")
    before = Message.objects.count()
    response = invite(call, eligible_seller, [emails[who], "also@example.test"])
    assert response.status_code == 400
    assert any(message in line for line in response.json()["fields"]["emails"])
    assert call.participants.count() == 2
    assert Message.objects.count() == before


def test_a_21st_participant_is_refused(start_call, eligible_seller, settings):
    call = start_call()
    guests = [UserFactory.create() for _ in range(19)]
    assert invite(call, eligible_seller, [g.email for g in guests[:18]]).status_code == 201
    assert call.participants.count() == 20
    response = invite(call, eligible_seller, [guests[18].email])
    assert response.status_code == 400
    assert "at most 20 participants" in response.json()["fields"]["emails"][0]
    assert call.participants.count() == 20


def test_only_the_host_invites(start_call, buyer, invited):
    call = start_call()
    response = invite(call, buyer, [invited.email])
    assert response.status_code == 403
    assert response.json()["code"] == "host_only"


def test_invites_are_gated_like_messages(start_call, eligible_seller, invited):
    call = start_call()
    accounts.set_standing(invited, standing=Standing.RESTRICTED, actor=None, reason="review")
    response = invite(call, eligible_seller, [invited.email])
    assert response.status_code == 400
    assert "open order" in response.json()["fields"]["emails"][0]


@pytest.mark.parametrize("body", [{}, {"emails": []}, {"emails": "a@b.c"}, {"emails": ["x"]}])
def test_a_malformed_invite_is_400(start_call, eligible_seller, body):
    call = start_call()
    response = as_user(eligible_seller).post(f"/api/calls/{call.pk}/invites/", body, format="json")
    assert response.status_code == 400
    assert "emails" in response.json()["fields"]


# ---------------------------------------------------------------- ending
def test_either_participant_ends_the_call_once(
    start_call, buyer, eligible_seller, django_capture_on_commit_callbacks
):
    call = start_call()
    client_for(buyer).get(f"/calls/{call.pk}/join/")
    with django_capture_on_commit_callbacks(execute=True):
        first = as_user(buyer).post(f"/api/calls/{call.pk}/end/")
    assert first.status_code == 200
    assert first.json()["status"] == "ended"
    assert first.json()["join_url"] is None
    with django_capture_on_commit_callbacks(execute=True):
        again = as_user(eligible_seller).post(f"/api/calls/{call.pk}/end/")
    assert again.json()["ended_at"] == first.json()["ended_at"]
    assert Recording.objects.get().status == "available"  # collected after commit
    assert AuditEntry.objects.filter(action="calls.call_ended").count() == 1
    assert len(provider.state.of("end_meeting")) == 1


def test_a_call_nobody_joined_just_closes(start_call, eligible_seller, buyer):
    call = start_call()
    response = as_user(eligible_seller).post(f"/api/calls/{call.pk}/end/")
    assert response.json()["status"] == "ended"
    assert response.json()["recording"] is None
    assert not Recording.objects.exists()
    # The conversation is free for a new call.
    assert (
        as_user(eligible_seller)
        .post(calls_url(eligible_seller, buyer), {}, format="json")
        .status_code
        == 201
    )
