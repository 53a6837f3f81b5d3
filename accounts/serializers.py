from __future__ import annotations

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


class ValidationErrorSerializer(ErrorSerializer):
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Error messages per field.",
    )
