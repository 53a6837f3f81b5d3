from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from calls.models import Call
from marketplace.models import Message
from moderation.models import CaseOutcome, ConductRule, Report, ReviewOutcome, WarningType


class ReportForm(forms.Form):
    # No reason chosen for the reporter: a report filed under the first rule by mistake misleads.
    reason = forms.ChoiceField(
        label=_("What happened?"), choices=[("", _("Choose what happened")), *ConductRule.choices]
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was said or done, and when. Our team reads every report."),
    )


class RecordingAccessForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you open this recording?"),
        max_length=500,
        help_text=_("Name the report or flag you are handling. This is written to the audit log."),
    )


# ---------------------------------------------------------------- sanctions (the admin)
class EvidenceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An optional object given by its id, typed or pasted: a list of every message would be
    useless."""

    def __init__(self, queryset: Any, *, label: Any, missing: Any) -> None:
        super().__init__(
            queryset,
            label=label,
            required=False,
            widget=forms.TextInput(attrs={"size": 40}),
            error_messages={"invalid_choice": missing},
            help_text=_("Optional evidence: its id, from its admin page."),
        )

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:  # a malformed id says the same as an unknown one
            raise ValidationError(self.error_messages["invalid_choice"], "invalid_choice") from None


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
        help_text=_("What happened. For staff only; the member is told the type and its rule."),
    )
    # Optional evidence (M-1), by id: support comes from a report's, a message's or a call's
    # admin page, whose link fills the field in (`?report=…`).
    report = EvidenceField(
        Report.objects.all(), label=_("Report"), missing=_("No report has this id.")
    )
    message = EvidenceField(
        Message.objects.all(), label=_("Message"), missing=_("No message has this id.")
    )
    call = EvidenceField(Call.objects.all(), label=_("Call"), missing=_("No call has this id."))


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


# ---------------------------------------------------------------- the queue (the admin)
class CaseDecisionForm(forms.Form):
    """A case's outcome (M-10). `members` are the people a call's case may be about; other
    cases are about their subject and show no choice."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("Choose the outcome")), *CaseOutcome.choices]
    )
    warning_type = forms.ModelChoiceField(
        label=_("Warning type"),
        queryset=WarningType.objects.filter(is_active=True),
        required=False,
        empty_label=_("Choose the type (for a warning)"),
    )
    member = forms.ModelChoiceField(
        label=_("About"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose the participant"),
        help_text=_(
            "Nobody is named by the case: choose whom a warning, restriction or ban is for."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you found. A restriction or a ban tells the member this; a warning tells them "
            "its type and rule. Written to the audit log."
        ),
    )

    def __init__(self, *args: Any, members: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members:
            field = cast(forms.ModelChoiceField, self.fields["member"])  # type: ignore[type-arg]
            field.queryset = User.objects.filter(pk__in=[m.pk for m in members])
        else:
            del self.fields["member"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == CaseOutcome.WARN and not data.get("warning_type"):
            self.add_error("warning_type", _("Choose the type of the warning."))
        outcome = data.get("outcome")
        sanction = outcome and outcome != CaseOutcome.DISMISS
        if "member" in self.fields and sanction and not data.get("member"):
            self.add_error("member", _("Choose the participant."))
        return data


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should we look at this decision again?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Explain what you think we got wrong, and anything we did not know. You can appeal "
            "each decision once."
        ),
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("", _("Choose the outcome")),
            ("upheld", _("Uphold the decision")),
            ("reversed", _("Reverse the decision")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member is told this reason. It is written to the audit log."),
    )
