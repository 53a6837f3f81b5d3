from __future__ import annotations

from rest_framework import serializers

from accounts.models import ApiToken, User
from core.serializers import TextField


class TokenRequestSerializer(serializers.Serializer[None]):
    email = serializers.EmailField()
    password = TextField(trim_whitespace=False, max_length=4096)
    name = TextField(
        max_length=100,
        required=False,
        default="",
        allow_blank=True,
        help_text="A name for this device, shown in the list of your tokens.",
    )


class TokenResponseSerializer(serializers.Serializer[dict[str, str]]):
    token = serializers.CharField(help_text="Shown once; only a hash of it is stored.")
    expiry = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    id = serializers.CharField(source="token_key", help_text="The token's first characters.")
    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "expiry", "last_used_at", "current"]
        read_only_fields = fields

    def get_current(self, token: ApiToken) -> bool:
        """Whether this is the token the request was made with."""
        used = getattr(self.context.get("request"), "auth", None)
        return isinstance(used, ApiToken) and used.digest == token.digest


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
