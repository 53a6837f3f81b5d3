from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from marketplace import images, money
from marketplace.models import Gig, Message
from marketplace.services.gigs import ExtraInput


def _price_field(label: StrOrPromise, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=money.to_decimal(Gig.MIN_PRICE_CENTS),
        max_value=money.to_decimal(Gig.MAX_PRICE_CENTS),
        decimal_places=2,
        max_digits=12,
    )


class CoverInput(forms.ClearableFileInput):
    """The current cover as a small picture with "Remove the picture", then the file input
    (Django's own widget lists "Currently: <file name>" and "Change:" on separate lines)."""

    template_name = "marketplace/widgets/cover_input.html"
    clear_checkbox_label = _("Remove the picture")  # type: ignore[assignment]  # lazy, as Django's own


class GigForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    base_price = _price_field(_("Base price (USD)"))
    cover = forms.FileField(
        label=_("Cover picture (optional)"),
        required=False,
        help_text=format_lazy(
            _("JPEG, PNG or WebP, at least {side} pixels wide and high, up to {mb} MB."),
            side=images.MIN_SIDE,
            mb=settings.GIG_COVER_MAX_BYTES // (1024 * 1024),
        ),
        widget=CoverInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class ExtraForm(forms.Form):
    """One offered extra; a row left empty is simply not offered."""

    name = forms.CharField(label=_("Extra"), max_length=80, required=False)
    price = _price_field(_("Price (USD)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, price = data.get("name"), data.get("price")
        if name and price is None and "price" not in self.errors:
            self.add_error("price", _("An extra needs a price."))
        if price is not None and not name:
            self.add_error("name", _("An extra needs a name."))
        return data


# One empty row to start with; the page adds rows as needed (static/js/gig-form.js), up to 10.
ExtraFormSet = forms.formset_factory(
    ExtraForm, extra=1, max_num=Gig.MAX_EXTRAS, validate_max=True, absolute_max=Gig.MAX_EXTRAS
)


def extras_from(formset: forms.BaseFormSet) -> list[ExtraInput]:  # type: ignore[type-arg]
    return [
        ExtraInput(name=row["name"], price_cents=money.to_cents(row["price"]))
        for row in formset.cleaned_data
        if row.get("name")
    ]


class OrderForm(forms.Form):
    extras = forms.MultipleChoiceField(
        label=_("Extras"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, gig: Gig, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.offered = list(gig.extras.all())
        self.fields["extras"].choices = [(str(e.id), e.name) for e in self.offered]  # type: ignore[attr-defined]

    def extra_choices(self) -> list[tuple[Any, int]]:
        """Each extra's checkbox with its price, for the gig page's checklist."""
        return list(zip(self["extras"], [e.price_cents for e in self.offered], strict=True))


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
        error_messages={"min_value": money.TIP_RANGE, "max_value": money.TIP_RANGE},
    )


FORM_CHANGED = _(
    "This form was changed or has expired, so nothing was withdrawn. Check the amount and "
    "submit it again."
)


class WithdrawalForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (USD)"), min_value=Decimal("0.01"), decimal_places=2, max_digits=12
    )
    # The page issues a fresh key with each form, so a resubmitted form cannot pay twice.
    idempotency_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": FORM_CHANGED,
            "invalid": FORM_CHANGED,
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "idempotency_key" in self.errors:
            # Not a key this page issued: say so, and carry a fresh one so the next submit works.
            data = self.data.dict() if isinstance(self.data, QueryDict) else dict(self.data)
            self.data = {**data, self.add_prefix("idempotency_key"): str(uuid.uuid4())}
        return cleaned
