"""Forms of the core app's pages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class GalleryForm(forms.Form):
    """The design gallery's sample form: bound with a missing title, to show an inline error."""

    title = forms.CharField(label=_("Title"), max_length=120)
    amount = forms.DecimalField(
        label=_("Amount (USD)"),
        min_value=Decimal("0.01"),
        decimal_places=2,
        help_text=_("In dollars and cents."),
    )
