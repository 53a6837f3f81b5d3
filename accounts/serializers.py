from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User


class TokenRequestSerializer(serializers.Serializer[None]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, max_length=4096)


class TokenResponseSerializer(serializers.Serializer[dict[str, str]]):
    token = serializers.CharField()


class MeSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "timezone",
            "language",
            "seller_level",
            "buyer_tier",
            "standing",
        ]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer[None]):
    """The shape of every error response (config.api.exception_handler)."""

    detail = serializers.CharField()
    code = serializers.CharField()


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
