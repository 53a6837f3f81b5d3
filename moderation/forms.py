from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import ConductRule, ReviewOutcome, WarningType


class ReportForm(forms.Form):
    # No reason chosen for the reporter: a report filed under the first rule by mistake misleads.
    reason = forms.ChoiceField(
        label=_("What happened?"), choices=[("", _("Choose what happened")), *ConductRule.choices]
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was said or done, and when in the call. Support reads every report."),
    )


class RecordingAccessForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you open this recording?"),
        max_length=500,
        help_text=_("Name the report or flag you are handling. This is written to the audit log."),
    )


# ---------------------------------------------------------------- sanctions (the admin)
class WarningForm(forms.Form):
    type = forms.ModelChoiceField(
        label=_("Type"),
        queryset=WarningType.objects.filter(is_active=True),
        empty_label=_("Choose the type"),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, and where (a report, a message, a call). For staff only."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member is told this reason. It is written to the audit log."),
    )


class DecisionForm(ReasonForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("Choose the outcome")), *ReviewOutcome.choices]
    )
    field_order = ["outcome", "reason"]
