from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers

from accounts.models import ApiToken, User
from core.registry import Registry
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


@dataclass(frozen=True)
class MeField:
    name: str
    # A fresh field for the serializer class (a DRF field belongs to one serializer).
    field: Callable[[], serializers.Field[Any, Any, Any, Any]]


# What apps above add to `GET /api/me/` (moderation: the member's warnings, M-8), declared in
# their `ready()`; the URLs, and so the API views, load after every app is ready.
ME_FIELDS: Registry[MeField] = Registry("field of /api/me/")


def me_field(name: str, field: Callable[[], serializers.Field[Any, Any, Any, Any]]) -> MeField:
    return ME_FIELDS.add(name, MeField(name, field))


def me_serializer() -> type[MeSerializer]:
    """`MeSerializer` with the fields other apps declared."""
    extra = {entry.name: entry.field() for entry in ME_FIELDS}
    names = [*MeSerializer.Meta.fields, *extra]
    meta = type("Meta", (MeSerializer.Meta,), {"fields": names, "read_only_fields": names})
    return type("Me", (MeSerializer,), {**extra, "Meta": meta})
