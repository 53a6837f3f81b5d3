from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Language, User
from accounts.validators import validate_timezone
from core.errors import DomainError


class TimezoneField(forms.CharField):
    """A text input with suggestions (a <datalist> in the template); any IANA name is valid."""

    default_validators = [validate_timezone]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault("help_text", _("Your IANA time zone, such as Europe/Berlin."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "timezones", "autocomplete": "off"})


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    timezone = TimezoneField(initial="UTC")
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists."), code="email_taken"
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            candidate = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form, checked by `services.authenticate_user` so a ban is named."""

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        # Why the login was refused, when waiting or another status says more than "invalid".
        self.refusal: DomainError | None = None

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            try:
                self.user_cache = services.authenticate_user(
                    request=self.request, email=email, password=password
                )
            except DomainError as error:
                self.refusal = error
                raise forms.ValidationError(str(error), code=error.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The support admin's login: the same per-client limit and ban check as the site's login
    (`services.authenticate_user`), then the admin's own rule — staff accounts only. Django's
    own admin form would check the password without counting the attempt."""


class ProfileForm(forms.ModelForm[User]):
    timezone = TimezoneField()

    class Meta:
        model = User
        fields = ["display_name", "timezone", "language"]


class LocalisedPasswordResetForm(PasswordResetForm):
    """Sends the reset e-mail in the language of the account, not of the page that asked."""

    # The field's name as the login and sign-up forms say it (Django's own says "Email").
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context.get("user")
        with translation.override(getattr(user, "language", None) or translation.get_language()):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
