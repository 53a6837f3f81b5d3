from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from marketplace import money
from marketplace.models import Gig, Message


class OrderForm(forms.Form):
    extras = forms.MultipleChoiceField(
        label=_("Extras"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, gig: Gig, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["extras"].choices = [  # type: ignore[attr-defined]
            (str(e.id), f"{e.name} (+{money.format_usd(e.price_cents)})") for e in gig.extras.all()
        ]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=Message.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TipForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Tip (USD)"),
        min_value=Decimal("0.01"),
        max_value=money.to_decimal(settings.MAX_TIP_CENTS),
        decimal_places=2,
    )


class WithdrawalForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (USD)"), min_value=Decimal("0.01"), decimal_places=2, max_digits=12
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
