from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import LocalisedPasswordResetForm, LoginForm, ProfileForm, SignUpForm
from accounts.models import Language, User
from accounts.slots import ACCOUNT_PAGE
from accounts.validators import available_timezones
from core.http import refused
from core.slots import render_slot


def _timezone_context() -> dict[str, Any]:
    return {"timezones": sorted(available_timezones())}


def _set_language_cookie(response: HttpResponseBase, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(
        request.POST or None, initial={"language": translation.get_language() or "en"}
    )
    if request.method == "POST" and form.is_valid():
        user = services.register_user(**form.cleaned_data)
        login(request, user, backend="accounts.backends.StandingAwareBackend")
        messages.success(
            request, _("Welcome, %(name)s! Your account is ready.") % {"name": user.display_name}
        )
        response = redirect("home")
        _set_language_cookie(response, user.language)
        return response
    return render(request, "accounts/signup.html", {"form": form, **_timezone_context()})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # After login the account's language applies, whatever the page was shown in before.
        _set_language_cookie(response, form.get_user().language)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        # Too many attempts is a 429 with Retry-After, as in the API; wrong credentials stay 200.
        refusal = form.refusal if form.refusal and form.refusal.retry_after else None
        return refused(super().form_invalid(form), refusal)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LocalisedPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = User.objects.get(pk=request.user.pk or 0)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        updated = services.update_profile(user, actor=user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        _set_language_cookie(response, updated.language)
        return response
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "api_tokens": selectors.api_tokens_of(user),
            # What other apps show on the account page (moderation: standing and warnings).
            "panels": render_slot(ACCOUNT_PAGE, request, reader=user),
            **_timezone_context(),
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: str) -> HttpResponse:
    user = User.objects.get(pk=request.user.pk or 0)
    token = selectors.api_token_of(user, token_id)
    services.revoke_api_token(token, actor=user, reason="revoked by its user")
    messages.success(request, _("The token is revoked; the app that used it is signed out."))
    return redirect("accounts:profile")


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The language switch in the page header: sets the cookie, and the profile when logged in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if language in Language.values:
        if isinstance(request.user, User):
            services.set_language(request.user, actor=request.user, language=language)
        _set_language_cookie(response, language)
    return response
