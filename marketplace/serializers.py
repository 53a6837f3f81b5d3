"""One input and one output serializer per operation. Money is a decimal string in dollars
("12.50") on the wire and integer cents inside."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.serializers import TextField
from marketplace import history, money, permissions, selectors
from marketplace.errors import DUPLICATE_EXTRA
from marketplace.message_kinds import kind_of
from marketplace.models import (
    Conversation,
    Gig,
    GigExtra,
    GigStatus,
    LedgerEntry,
    Message,
    Order,
    OrderExtra,
    Withdrawal,
)


class CentsField(serializers.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:  # type: ignore[override]
        return money.to_cents(super().to_internal_value(data))

    def to_representation(self, value: Any) -> Any:
        return super().to_representation(money.to_decimal(value))


def price_field(**kwargs: Any) -> CentsField:
    return CentsField(min_value=Decimal("1.00"), max_value=Decimal("100000.00"), **kwargs)


class UserSummarySerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "display_name", "seller_level"]
        read_only_fields = fields


# ---------------------------------------------------------------- gigs
class GigExtraSerializer(serializers.ModelSerializer[GigExtra]):
    price = CentsField(source="price_cents", read_only=True)

    class Meta:
        model = GigExtra
        fields = ["id", "name", "price"]
        read_only_fields = fields


class GigSerializer(serializers.ModelSerializer[Gig]):
    seller = UserSummarySerializer(read_only=True)
    base_price = CentsField(source="base_price_cents", read_only=True)
    extras = GigExtraSerializer(many=True, read_only=True)
    cover = serializers.SerializerMethodField(help_text="The cover picture's URL, or null.")
    cover_thumbnail = serializers.SerializerMethodField(
        help_text="The list's 480 x 360 thumbnail of the cover, or null."
    )

    class Meta:
        model = Gig
        fields = [
            "id",
            "title",
            "description",
            "base_price",
            "status",
            "seller",
            "extras",
            "cover",
            "cover_thumbnail",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True})
    def get_cover(self, gig: Gig) -> str | None:
        return self._absolute(gig.cover.url) if gig.cover else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_cover_thumbnail(self, gig: Gig) -> str | None:
        return self._absolute(gig.cover_thumbnail.url) if gig.cover_thumbnail else None

    def _absolute(self, url: str) -> str:
        """Like the API's links: absolute (a storage such as S3 gives absolute URLs already)."""
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class GigSearchSerializer(serializers.Serializer[dict[str, Any]]):
    # A CharField refuses NUL characters, which Postgres cannot compare with (a 500 otherwise).
    q = TextField(
        required=False,
        default="",
        allow_blank=True,
        help_text="Text to search in title and description (the first 100 characters count).",
    )


class ExtraInputSerializer(serializers.Serializer[dict[str, Any]]):
    name = TextField(max_length=80)
    price = price_field()


class GigCreateSerializer(serializers.Serializer[dict[str, Any]]):
    title = TextField(max_length=120)
    description = TextField(max_length=5000)
    base_price = price_field()
    extras = ExtraInputSerializer(many=True, required=False, max_length=10)  # type: ignore[call-arg]


class GigUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    title = TextField(max_length=120, required=False)
    description = TextField(max_length=5000, required=False)
    base_price = price_field(required=False)
    status = serializers.ChoiceField(choices=GigStatus.choices, required=False)
    extras = ExtraInputSerializer(many=True, required=False, max_length=10)  # type: ignore[call-arg]


# ---------------------------------------------------------------- orders
class OrderExtraSerializer(serializers.ModelSerializer[OrderExtra]):
    price = CentsField(source="price_cents", read_only=True)

    class Meta:
        model = OrderExtra
        fields = ["name", "price"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer[Order]):
    actions = serializers.SerializerMethodField(
        help_text="What the requesting user may do with the order now (the state table's "
        "events: `deliver`, `request_revision`, `accept`, `cancel`, `tip`)."
    )
    buyer = UserSummarySerializer(read_only=True)
    seller = UserSummarySerializer(read_only=True)
    base_price = CentsField(source="base_price_cents", read_only=True)
    extras = OrderExtraSerializer(many=True, read_only=True)
    extras_total = CentsField(source="extras_cents", read_only=True)
    tip = CentsField(source="tip_cents", read_only=True)
    total = CentsField(source="total_cents", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "gig",
            "title",
            "buyer",
            "seller",
            "status",
            "base_price",
            "extras",
            "extras_total",
            "tip",
            "total",
            "revisions",
            "conversation",
            "placed_at",
            "delivered_at",
            "revision_requested_at",
            "completed_at",
            "cancelled_at",
            "tipped_at",
            "actions",
        ]
        read_only_fields = fields

    def get_actions(self, order: Order) -> list[str]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return permissions.available_events(user, order) if isinstance(user, User) else []


class OrderFilterSerializer(serializers.Serializer[dict[str, Any]]):
    role = serializers.ChoiceField(
        choices=selectors.ORDER_ROLES,
        required=False,
        help_text="Only the orders the user buys, or only those they sell (one index each: "
        "fast however many orders there are). Without it, both.",
    )


class OrderCreateSerializer(serializers.Serializer[dict[str, Any]]):
    gig = serializers.IntegerField(min_value=1, max_value=2**62)
    extras = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        required=False,
        max_length=20,
        default=list,
    )

    def validate_extras(self, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError(str(DUPLICATE_EXTRA.message), code="duplicate")
        return value


class TipSerializer(serializers.Serializer[dict[str, Any]]):
    amount = CentsField(
        min_value=Decimal("0.01"),
        max_value=money.to_decimal(settings.MAX_TIP_CENTS),
        error_messages={"min_value": money.TIP_RANGE, "max_value": money.TIP_RANGE},
    )


# ---------------------------------------------------------------- inbox
class MessageSerializer(serializers.ModelSerializer[Message]):
    kind = serializers.CharField(
        help_text="A declared message kind: `text` (a user's message), `system` (a notice of "
        "the platform, no sender), and the kinds other parts add (`call_invitation`)."
    )
    text = serializers.SerializerMethodField(
        help_text="The message as one line in the reader's language (a notice is translated)."
    )

    class Meta:
        model = Message
        fields = ["id", "kind", "sender", "body", "text", "payload", "order", "created_at"]
        read_only_fields = fields

    def get_text(self, message: Message) -> str:
        return kind_of(message).text(message)


class ConversationSerializer(serializers.ModelSerializer[Conversation]):
    other = serializers.SerializerMethodField()
    last_message = MessageSerializer(read_only=True, allow_null=True)
    unread_count = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = ["id", "other", "last_message", "last_message_at", "unread_count"]
        read_only_fields = fields

    def _viewer_id(self) -> int:
        return int(self.context["request"].user.pk)

    @extend_schema_field(UserSummarySerializer)
    def get_other(self, conversation: Conversation) -> dict[str, Any]:
        other = (
            conversation.user_high
            if conversation.user_low_id == self._viewer_id()
            else conversation.user_low
        )
        return dict(UserSummarySerializer(other).data)

    def get_unread_count(self, conversation: Conversation) -> int:
        return conversation.unread_for(self._viewer_id())


class ConversationCreateSerializer(serializers.Serializer[dict[str, Any]]):
    # `with` is a Python keyword, so the field is declared below under its wire name.
    pass


ConversationCreateSerializer._declared_fields["with"] = serializers.IntegerField(
    min_value=1, max_value=2**62, help_text="The other user's id."
)


class MessageCreateSerializer(serializers.Serializer[dict[str, Any]]):
    body = TextField(max_length=Message.MAX_LENGTH)


# ---------------------------------------------------------------- earnings and wallet
class EarningsSerializer(serializers.Serializer[Any]):
    completed_orders = serializers.IntegerField()
    total_earned = serializers.DecimalField(max_digits=14, decimal_places=2)
    earnings_asp = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    eligibility_asp = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    last_order_at = serializers.DateTimeField(allow_null=True)
    explanation = serializers.CharField()


class WalletSerializer(serializers.Serializer[Any]):
    pending = CentsField(source="pending_cents")
    available = CentsField(source="available_cents")
    credits = CentsField(source="credit_cents")


class WithdrawalCreateSerializer(serializers.Serializer[dict[str, Any]]):
    amount = CentsField(min_value=Decimal("0.01"), max_value=Decimal("1000000.00"))
    idempotency_key = TextField(
        max_length=100,
        help_text="Any unique string per intended withdrawal; a retry with the same key "
        "returns the first withdrawal and never pays twice.",
    )


class WithdrawalSerializer(serializers.ModelSerializer[Withdrawal]):
    amount = CentsField(source="amount_cents", read_only=True)
    explanation = serializers.SerializerMethodField(help_text="Where it stands, in words.")

    class Meta:
        model = Withdrawal
        fields = ["id", "amount", "status", "explanation", "created_at", "settled_at"]
        read_only_fields = fields

    def get_explanation(self, withdrawal: Withdrawal) -> str:
        return history.withdrawal_status(withdrawal)


class LedgerEntrySerializer(serializers.ModelSerializer[LedgerEntry]):
    amount = CentsField(
        source="amount_cents", read_only=True, help_text="Signed: money in (+) or out (-)."
    )
    balance = serializers.CharField(source="bucket", read_only=True, help_text="Which balance.")
    order = serializers.UUIDField(source="order_id", read_only=True, allow_null=True)
    explanation = serializers.SerializerMethodField(help_text="What happened, in words.")

    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "balance", "amount", "order", "explanation", "created_at"]
        read_only_fields = fields

    def get_explanation(self, entry: LedgerEntry) -> str:
        return history.explain(entry)
