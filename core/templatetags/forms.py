"""Template helpers for the shared form include (`includes/form.html`)."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


@register.filter
def hidden_errors(form: forms.BaseForm) -> list[Any]:
    """The errors of the hidden fields, which have no place beside a visible input."""
    return [error for field in form.hidden_fields() for error in field.errors]
