from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from calls.serializers import validate_start


class StartCallForm(forms.Form):
    """Now, or at a time in the reader's own time zone (the middleware activated it)."""

    scheduled_for = forms.DateTimeField(
        label=_("Or schedule it for"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("In your time zone. Leave empty to call now."),
    )
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)

    def clean_scheduled_for(self) -> datetime | None:
        value = self.cleaned_data.get("scheduled_for")
        try:
            return validate_start(value)  # type: ignore[no-any-return]
        except serializers.ValidationError as error:
            raise forms.ValidationError([str(detail) for detail in error.detail]) from error


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Invite people by e-mail"),
        help_text=_("Platform users only; separate several addresses with commas."),
        max_length=2000,
    )

    def clean_emails(self) -> list[str]:
        emails = [part for part in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if part]
        bad = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                bad.append(email)
        if bad:
            raise forms.ValidationError(
                _("Not an e-mail address: %(bad)s"), params={"bad": ", ".join(bad)}
            )
        if not emails:
            raise forms.ValidationError(_("Enter at least one e-mail address."))
        return emails

    def add_problems(self, problems: dict[str, Any]) -> None:
        for email, why in problems.items():
            self.add_error("emails", f"{email}: {why}" if email else why)


class SummaryForm(forms.Form):
    """C-13: what was agreed, written on the order after the call."""

    summary = forms.CharField(
        label=_("What did you agree?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Saved as a note on the order; the buyer sees it too."),
    )
