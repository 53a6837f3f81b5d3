"""The admin goes through services: every change to a user is audited, and nothing that is
not a service's business can be edited there."""

from __future__ import annotations

import re

import pytest

from accounts import roles, services
from accounts.models import ApiToken, AuditEntry, User
from tests.clients import client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory.create(email="admin@example.test", is_staff=True, is_superuser=True)


def change_form(user):
    """What the change page posts: its fields, and the management forms of its read-only
    inlines (API tokens; moderation's warnings and reviews)."""
    inlines = ("auth_token_set", "moderation_warnings", "moderation_reviews")
    return {
        **{
            f"{inline}-{name}": "0"
            for inline in inlines
            for name in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
        "display_name": user.display_name,
        "timezone": user.timezone,
        "language": user.language,
        "seller_level": user.seller_level,
        "buyer_tier": user.buyer_tier,
    }


def test_changing_level_and_tier_in_the_admin_is_audited(admin_user, buyer):
    data = {**change_form(buyer), "seller_level": "level_2", "buyer_tier": "pro"}
    data.update({"is_staff": "on", "is_superuser": "on", "standing": "banned"})  # read-only
    response = client_for(admin_user).post(f"/admin/accounts/user/{buyer.pk}/change/", data)
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert (buyer.seller_level, buyer.buyer_tier) == ("level_2", "pro")
    assert (buyer.is_staff, buyer.is_superuser, buyer.standing) == (False, False, "active")
    changes = AuditEntry.objects.filter(target_user=buyer, actor=admin_user)
    assert set(changes.values_list("action", flat=True)) == {
        "accounts.seller_level_changed",
        "accounts.buyer_tier_changed",
    }


def test_the_profile_changes_through_its_service(admin_user, buyer):
    data = {**change_form(buyer), "display_name": "Bea B.", "language": "de"}
    client_for(admin_user).post(f"/admin/accounts/user/{buyer.pk}/change/", data)
    entry = AuditEntry.objects.get(action="accounts.profile_updated", target_user=buyer)
    assert entry.actor == admin_user
    assert User.objects.get(pk=buyer.pk).display_name == "Bea B."


def test_roles_and_closing_are_actions_that_are_audited(admin_user, buyer):
    client = client_for(admin_user)
    url = "/admin/accounts/user/"
    client.post(url, {"action": "grant_reviewer", "_selected_action": [buyer.pk]})
    buyer.refresh_from_db()
    assert buyer.is_staff
    assert buyer.groups.filter(name=roles.REVIEWER).exists()
    client.post(url, {"action": "revoke_staff_roles", "_selected_action": [buyer.pk]})
    client.post(url, {"action": "close_accounts", "_selected_action": [buyer.pk, admin_user.pk]})
    buyer.refresh_from_db()
    admin_user.refresh_from_db()
    assert (buyer.is_staff, buyer.is_active, admin_user.is_active) == (False, False, True)
    assert list(
        AuditEntry.objects.filter(target_user=buyer, actor=admin_user)
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["accounts.role_granted", "accounts.role_revoked", "accounts.deactivated"]


def test_staff_fields_cannot_be_edited_and_users_cannot_be_added_there(admin_user, buyer):
    client = client_for(admin_user)
    form = client.get(f"/admin/accounts/user/{buyer.pk}/change/").content.decode()
    for field in ("is_staff", "is_superuser", "is_active", "groups", "standing", "email"):
        assert f'name="{field}"' not in form, field
    assert 'name="seller_level"' in form
    assert client.get("/admin/accounts/user/add/").status_code == 403


def test_a_support_agent_sees_users_but_changes_nothing(support_agent, buyer):
    client = client_for(support_agent)
    assert client.get(f"/admin/accounts/user/{buyer.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/accounts/user/{buyer.pk}/change/", {**change_form(buyer), "buyer_tier": "pro"}
    )
    assert response.status_code == 403
    client.post(
        "/admin/accounts/user/", {"action": "grant_reviewer", "_selected_action": [buyer.pk]}
    )
    buyer.refresh_from_db()
    assert (buyer.buyer_tier, buyer.is_staff) == ("standard", False)


def test_nobody_sets_another_persons_password_in_the_admin(admin_user, buyer):
    client = client_for(admin_user)
    assert client.get(f"/admin/accounts/user/{buyer.pk}/password/").status_code == 403
    response = client.post(
        f"/admin/accounts/user/{buyer.pk}/password/",
        {"password1": "a-new-long-pass-1", "password2": "a-new-long-pass-1"},
    )
    assert response.status_code == 403
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)
    page = client.get(f"/admin/accounts/user/{buyer.pk}/change/").content.decode()
    assert "password/" not in page


@pytest.mark.parametrize("role", ["superuser", "support_agent", "reviewer"])
def test_every_password_link_staff_see_in_the_admin_works(request, admin_user, buyer, role):
    """No dead "reset password" button: the only password link is to change one's own."""
    staff = admin_user if role == "superuser" else request.getfixturevalue(role)
    client = client_for(staff)
    for url in (
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{buyer.pk}/change/",
        f"/admin/accounts/user/{staff.pk}/change/",
    ):
        page = client.get(url).content.decode()
        links = set(re.findall(r'href="([^"]*password[^"]*)"', page))
        assert links == {"/admin/password_change/"}, (url, links)
        for link in links:
            assert client.get(link).status_code == 200


def test_staff_sign_a_user_out_of_every_app(admin_user, buyer):
    services.create_api_token(buyer, actor=buyer, name="phone")
    client_for(admin_user).post(
        "/admin/accounts/user/", {"action": "revoke_api_tokens", "_selected_action": [buyer.pk]}
    )
    assert not ApiToken.objects.filter(user=buyer).exists()
    assert AuditEntry.objects.get(action="accounts.api_token_revoked").actor == admin_user
