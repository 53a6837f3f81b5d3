"""The shapes every API error has (`core.rest.exception_handler`), and the notices' API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import Notification
from core.notifications import Rendered, render


class TextField(serializers.CharField):
    """Text input that must be a JSON string. DRF's CharField turns 123 and 1.5 into "123" and
    "1.5", so a client's type error would be stored as if it had been meant."""

    default_error_messages = {"invalid": _("Not a valid string.")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class ErrorSerializer(serializers.Serializer[None]):
    """The shape of every error response."""

    detail = serializers.CharField()
    code = serializers.CharField()
    reasons = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Every reason by its code, when a refusal has more than one.",
    )


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {
                "type": "object",
                "description": "A nested object's or a list's errors, by field name or index.",
            },
        ]
    }
)
class FieldErrorsField(serializers.JSONField):
    """A field's messages, or for a nested object or a list, its errors keyed by name or index
    (`{"extras": {"0": {"price": ["This field is required."]}}}`)."""


class ValidationErrorSerializer(ErrorSerializer):
    # Only invalid input has errors per field; a refusal about valid input (wrong credentials,
    # an extra the gig does not offer) is a 400 with its `code` alone.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=FieldErrorsField(),
        required=False,
        help_text="Error messages per field, when the input itself was invalid.",
    )


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    title = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "text", "url", "context", "created_at", "read", "read_at"]
        read_only_fields = fields

    def _rendered(self, notification: Notification) -> Rendered:
        # Three fields come from one rendering; a list reuses this serializer for every row.
        cache: dict[object, Rendered] = self.__dict__.setdefault("_rendered_cache", {})
        if notification.pk not in cache:
            cache[notification.pk] = render(notification)
        return cache[notification.pk]

    def get_title(self, notification: Notification) -> str:
        return str(self._rendered(notification).title)

    def get_text(self, notification: Notification) -> str:
        return str(self._rendered(notification).text)

    def get_url(self, notification: Notification) -> str:
        return str(self._rendered(notification).url)

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None
