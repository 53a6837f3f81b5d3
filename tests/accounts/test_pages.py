"""Sign up, profile, language switch and password reset, as a person uses them."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    return {
        "email": "new@example.test",
        "display_name": "Nia New",
        "password": "a-long-unusual-pass-42",
        "timezone": "Europe/Berlin",
        "language": "de",
        **overrides,
    }


def test_sign_up_creates_the_account_logs_in_and_switches_to_its_language(client):
    response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="new@example.test")
    assert (user.display_name, user.timezone, user.language) == ("Nia New", "Europe/Berlin", "de")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.cookies["django_language"].value == "de"
    assert AuditEntry.objects.filter(action="accounts.registered", target_user=user).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"timezone": "Mars/Base"}, "timezone", "is not a known IANA time zone"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"password": "123"}, "password", "This password is too short."),
        ({"display_name": ""}, "display_name", "This field is required."),
        ({"language": "fr"}, "language", "Select a valid choice."),
    ],
)
def test_sign_up_shows_what_is_wrong_and_creates_nothing(client, overrides, field, message):
    response = client.post(reverse("accounts:signup"), signup_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not User.objects.filter(email=signup_data(**overrides)["email"]).exists()


def test_sign_up_refuses_an_address_already_taken_in_any_case(client, buyer):
    response = client.post(reverse("accounts:signup"), signup_data(email="BUYER@example.test"))
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="buyer@example.test").count() == 1


def test_forms_need_a_csrf_token(buyer):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("accounts:login"), {"username": buyer.email, "password": PASSWORD}
    )
    assert response.status_code == 403


def test_profile_page_saves_name_time_zone_and_language(client, buyer):
    client.force_login(buyer)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Bea B.", "timezone": "America/Sao_Paulo", "language": "de"},
    )
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert (buyer.display_name, buyer.timezone, buyer.language) == (
        "Bea B.",
        "America/Sao_Paulo",
        "de",
    )
    page = client.get(reverse("accounts:profile"))
    assert "Dein Profil" in page.content.decode()


def test_profile_page_rejects_an_unknown_time_zone(client, buyer):
    client.force_login(buyer)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Bea", "timezone": "Nowhere/Land", "language": "en"},
    )
    assert response.status_code == 200
    assert "is not a known IANA time zone" in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.timezone == "UTC"


def test_profile_page_needs_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_logout_is_a_post(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_the_language_switch_sets_the_cookie_and_the_profile(client, buyer):
    client.force_login(buyer)
    response = client.post(
        reverse("accounts:switch_language"), {"language": "de", "next": "/accounts/profile/"}
    )
    assert response.status_code == 302
    assert response.url == "/accounts/profile/"
    buyer.refresh_from_db()
    assert buyer.language == "de"
    assert "Dein Profil" in client.get("/accounts/profile/").content.decode()


def test_the_language_switch_never_redirects_off_site(client):
    response = client.post(
        reverse("accounts:switch_language"), {"language": "de", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_anonymous_visitors_get_the_language_their_browser_asks_for(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert '<html lang="de">' in page.content.decode()
    assert "Konto erstellen" in page.content.decode()


def test_password_reset_mails_a_working_link_in_the_accounts_language(client, buyer):
    buyer.language = "de"
    buyer.save(update_fields=["language"])
    response = client.post(reverse("accounts:password_reset"), {"email": buyer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [buyer.email]
    assert "Passwort" in message.subject
    found = re.search(r"https?://testserver(/accounts/reset/\S+/)", str(message.body))
    assert found, message.body
    link = found.group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-pass-77", "new_password2": "another-long-pass-77"},
    )
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.check_password("another-long-pass-77")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password-reset/"]
)
@pytest.mark.parametrize("language", ["en", "de"])
def test_public_pages_render_in_both_languages(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
