"""Login, tokens and what a ban does to them (A-4, M-7)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from knox.crypto import hash_token

from accounts import services
from accounts.models import ApiToken, AuditEntry, Standing
from core import ratelimit
from tests.conftest import ban
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def obtain_token(api_client, email, password=PASSWORD):
    return api_client.post(
        "/api/auth/token/", {"email": email, "password": password}, format="json"
    )


def test_token_endpoint_returns_a_token_that_authenticates(api_client, buyer):
    response = obtain_token(api_client, "BUYER@example.test")
    assert response.status_code == 200
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=buyer)
    # Only a hash is kept, and the first characters that find the row.
    assert stored.digest == hash_token(token) != token
    assert stored.token_key == token[:15]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/me/")
    assert me.status_code == 200
    assert me.json() == {
        "id": buyer.id,
        "email": "buyer@example.test",
        "display_name": "Bea Buyer",
        "timezone": "UTC",
        "language": "en",
        "seller_level": "new",
        "buyer_tier": "standard",
        "standing": "active",
        "warnings": [],  # moderation's part (M-8)
    }


def test_every_login_gives_the_device_its_own_token_and_both_work(api_client, buyer):
    first = obtain_token(api_client, buyer.email).json()["token"]
    second = obtain_token(api_client, buyer.email).json()["token"]
    assert first != second
    for token in (first, second):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api_client.get("/api/me/").status_code == 200


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"email": "buyer@example.test", "password": "wrong"}, 400, "invalid_credentials"),
        ({"email": "nobody@example.test", "password": PASSWORD}, 400, "invalid_credentials"),
        ({"email": "buyer@example.test"}, 400, "invalid"),
        ({"email": "not-an-email", "password": PASSWORD}, 400, "invalid"),
        ({"email": ["a"], "password": {"x": 1}}, 400, "invalid"),
    ],
)
def test_bad_credentials_get_a_clear_400(api_client, buyer, payload, status, code):
    response = api_client.post("/api/auth/token/", payload, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert not ApiToken.objects.exists()


def test_invalid_input_names_the_fields(api_client):
    response = api_client.post("/api/auth/token/", {"email": "x@example.test"}, format="json")
    assert response.json()["fields"] == {"password": ["This field is required."]}


def test_me_needs_authentication(api_client):
    response = api_client.get("/api/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_an_unknown_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = api_client.get("/api/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_banned_user_cannot_obtain_a_token(api_client, buyer):
    ban(buyer)
    response = obtain_token(api_client, buyer.email)
    assert response.status_code == 403
    assert response.json()["code"] == "account_banned"
    assert not ApiToken.objects.filter(user=buyer).exists()


def test_a_banned_user_with_the_wrong_password_learns_nothing(api_client, buyer):
    ban(buyer)
    response = obtain_token(api_client, buyer.email, password="guess")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_a_token_stops_working_on_the_next_request_after_a_ban(api_client, buyer):
    token = obtain_token(api_client, buyer.email).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/me/").status_code == 200

    ban(buyer)

    # The ban deleted the token, so it is simply unknown now.
    response = api_client.get("/api/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_the_ban_check_does_not_depend_on_the_token_being_deleted(api_client, buyer):
    """Even a token that survived the ban (restored from a backup, say) is refused."""
    token = obtain_token(api_client, buyer.email).json()["token"]
    row = ApiToken.objects.get(user=buyer)
    ban(buyer)
    ApiToken(digest=row.digest, token_key=row.token_key, user=buyer, expiry=row.expiry).save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "account_banned"


def test_login_page_logs_a_user_in(client, buyer):
    response = client.post(
        reverse("accounts:login"), {"username": buyer.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_login_page_shows_wrong_credentials(client, buyer):
    response = client.post(reverse("accounts:login"), {"username": buyer.email, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password." in response.content.decode()


def test_a_banned_user_cannot_log_in_on_the_page_and_is_told_why(client, buyer):
    ban(buyer)
    response = client.post(
        reverse("accounts:login"), {"username": buyer.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "permanently banned" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_open_session_stops_working_on_the_next_request_after_a_ban(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("accounts:profile")).status_code == 200

    ban(buyer)

    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_an_open_session_cannot_use_the_api_after_a_ban(client, buyer):
    client.force_login(buyer)
    assert client.get("/api/me/").status_code == 200
    ban(buyer)
    assert client.get("/api/me/").status_code == 401


def test_a_restricted_user_can_still_log_in(api_client, client, buyer):
    services.set_standing(buyer, standing=Standing.RESTRICTED, actor=None, reason="review")
    assert obtain_token(api_client, buyer.email).status_code == 200
    assert client.login(email=buyer.email, password=PASSWORD)


def test_a_deactivated_account_cannot_log_in(api_client, buyer):
    buyer.is_active = False
    buyer.save(update_fields=["is_active"])
    response = obtain_token(api_client, buyer.email)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_a_change_of_standing_is_audited_with_actor_and_reason(buyer, reviewer):
    services.set_standing(buyer, standing=Standing.BANNED, actor=reviewer, reason="fraud")
    entry = AuditEntry.objects.get(action="accounts.standing_changed")
    assert entry.actor == reviewer
    assert entry.target_user == buyer
    assert entry.reason == "fraud"
    assert entry.data == {"from": "active", "to": "banned"}


def test_setting_the_same_standing_again_writes_nothing(buyer):
    services.set_standing(buyer, standing=Standing.ACTIVE, actor=None, reason="noop")
    assert not AuditEntry.objects.filter(action="accounts.standing_changed").exists()


def test_password_guessing_is_throttled_per_client(api_client, buyer):
    for _ in range(20):
        assert obtain_token(api_client, buyer.email, password="guess").status_code == 400
    response = obtain_token(api_client, buyer.email)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= 60
    assert not ApiToken.objects.exists()


def test_the_login_page_and_the_api_share_one_limit_per_client_address(
    client, api_client, buyer, settings
):
    settings.LOGIN_RATE_LIMIT = 3
    for _ in range(2):
        page = client.post(reverse("accounts:login"), {"username": buyer.email, "password": "x"})
        assert page.status_code == 200  # wrong credentials: the form says so
    assert obtain_token(api_client, buyer.email, password="guess").status_code == 400
    # The fourth attempt is refused even with the right password, on the page as in the API.
    page = client.post(reverse("accounts:login"), {"username": buyer.email, "password": PASSWORD})
    assert page.status_code == 429
    assert 0 < int(page["Retry-After"]) <= 60
    assert "too often" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert obtain_token(api_client, buyer.email).status_code == 429
    # Another address has its own count.
    other = client.post(
        reverse("accounts:login"),
        {"username": buyer.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "", "10.0.0.1"),
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy of ours: anyone can write the header
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own entry is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: the connecting address
    ],
)
def test_the_client_address_trusts_only_our_own_proxies(rf, settings, proxies, forwarded, address):
    settings.TRUSTED_PROXIES = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", **headers)
    assert ratelimit.client_address(request) == address


def test_the_admin_login_counts_against_the_same_limit(client, support_agent, buyer, settings):
    """The support admin's login is no way around the limit: the same count per client."""
    settings.LOGIN_RATE_LIMIT = 2
    for _ in range(2):
        page = client.post("/admin/login/", {"username": support_agent.email, "password": "x"})
        assert page.status_code == 200
    limited = client.post("/admin/login/", {"username": support_agent.email, "password": PASSWORD})
    assert "too often" in limited.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_lets_staff_in_and_keeps_members_out(client, support_agent, buyer):
    member = client.post("/admin/login/", {"username": buyer.email, "password": PASSWORD})
    assert member.status_code == 200
    assert "staff account" in member.content.decode()
    assert "_auth_user_id" not in client.session
    staff = client.post(
        "/admin/login/?next=/admin/", {"username": support_agent.email, "password": PASSWORD}
    )
    assert staff.status_code == 302
    assert client.session["_auth_user_id"] == str(support_agent.pk)
