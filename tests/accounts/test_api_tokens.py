"""API tokens as the field keeps them (django-rest-knox): a hash stored, one token per device
with an expiry, listed and revoked by their user, revoked by logging out and by a ban."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken, AuditEntry
from tests.clients import as_user, client_for
from tests.conftest import ban
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(api_client, user, name=""):
    response = api_client.post(
        "/api/auth/token/",
        {"email": user.email, "password": PASSWORD, "name": name},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response.json()


def using(api_client, token):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api_client


def test_a_token_expires_after_its_time_to_live(api_client, buyer, settings):
    issued = login(api_client, buyer, "Phone")
    assert issued["token"].startswith("mkt_")
    with time_machine.travel(timezone.now() + settings.API_TOKEN_TTL - timedelta(minutes=1)):
        assert using(api_client, issued["token"]).get("/api/me/").status_code == 200
    with time_machine.travel(timezone.now() + settings.API_TOKEN_TTL + timedelta(minutes=1)):
        response = using(api_client, issued["token"]).get("/api/me/")
        assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")
        assert services.clear_expired_api_tokens() == 1


def test_a_user_lists_their_devices_and_revokes_one(api_client, buyer, outsider):
    phone = login(api_client, buyer, "Phone")["token"]
    laptop = login(api_client, buyer, "Laptop")["token"]
    login(api_client, outsider, "Not yours")
    listed = using(api_client, laptop).get("/api/auth/tokens/").json()
    assert [(t["name"], t["current"]) for t in listed] == [("Laptop", True), ("Phone", False)]
    assert all(len(t["id"]) == 15 and t["id"] in (phone[:15], laptop[:15]) for t in listed)

    phone_id = next(t["id"] for t in listed if t["name"] == "Phone")
    assert using(api_client, laptop).delete(f"/api/auth/tokens/{phone_id}/").status_code == 204
    assert using(api_client, phone).get("/api/me/").status_code == 401
    assert using(api_client, laptop).get("/api/me/").status_code == 200
    assert (
        AuditEntry.objects.filter(action="accounts.api_token_revoked", target_user=buyer).count()
        == 1
    )


def test_nobody_revokes_another_users_token(api_client, buyer, outsider):
    theirs = login(api_client, outsider, "Theirs")["token"]
    mine = login(api_client, buyer)["token"]
    assert using(api_client, mine).delete(f"/api/auth/tokens/{theirs[:15]}/").status_code == 404
    assert using(api_client, theirs).get("/api/me/").status_code == 200


def test_logging_out_revokes_the_token_used_and_no_other(api_client, buyer):
    first = login(api_client, buyer)["token"]
    second = login(api_client, buyer)["token"]
    assert using(api_client, first).post("/api/auth/logout/").status_code == 204
    assert using(api_client, first).get("/api/me/").status_code == 401
    assert using(api_client, second).get("/api/me/").status_code == 200


def test_a_ban_revokes_every_token(api_client, buyer):
    tokens = [login(api_client, buyer, name)["token"] for name in ("a", "b", "c")]
    ban(buyer)
    assert not ApiToken.objects.filter(user=buyer).exists()
    for token in tokens:
        assert using(api_client, token).get("/api/me/").status_code == 401


def test_beyond_the_device_limit_the_oldest_token_goes(api_client, buyer, settings):
    settings.API_TOKENS_PER_USER = 2
    oldest = login(api_client, buyer, "old")["token"]
    login(api_client, buyer, "new")
    login(api_client, buyer, "newest")
    assert sorted(ApiToken.objects.filter(user=buyer).values_list("name", flat=True)) == [
        "new",
        "newest",
    ]
    assert using(api_client, oldest).get("/api/me/").status_code == 401


def test_use_is_noted_at_most_once_per_interval(api_client, buyer):
    token = login(api_client, buyer)["token"]
    using(api_client, token).get("/api/me/")
    first = ApiToken.objects.get(user=buyer).last_used_at
    using(api_client, token).get("/api/me/")
    assert ApiToken.objects.get(user=buyer).last_used_at == first is not None


def test_the_profile_page_lists_and_revokes_tokens(api_client, buyer):
    token = login(api_client, buyer, "Tablet")["token"]
    client = client_for(buyer)
    page = client.get("/accounts/profile/").content.decode()
    assert "Tablet" in page
    assert token[:15] in page
    assert token not in page  # never the token itself
    assert client.post(f"/accounts/tokens/{token[:15]}/revoke/").status_code == 302
    assert not ApiToken.objects.filter(user=buyer).exists()
    assert client.post("/accounts/tokens/nothing/revoke/").status_code == 404


@pytest.mark.parametrize(
    "header",
    ["Token mkt_\xe9\xe9", "Token mkt_\x00abc", "Token " + "a" * 500, "Token mkt-'; DROP"],
)
def test_a_malformed_token_is_refused_not_an_error(api_client, buyer, header):
    api_client.raise_request_exception = False
    response = api_client.get("/api/me/", HTTP_AUTHORIZATION=header)
    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")


def test_an_id_that_cannot_be_a_token_is_404_on_the_api_and_the_page(buyer):
    api = as_user(buyer)
    api.raise_request_exception = False
    assert api.delete("/api/auth/tokens/%00abc/").status_code == 404
    page = client_for(buyer)
    page.raise_request_exception = False
    assert page.post("/accounts/tokens/%00abc/revoke/").status_code == 404
