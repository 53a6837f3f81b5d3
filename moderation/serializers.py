from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from calls.models import Call
from marketplace.models import Message
from moderation.models import (
    Ban,
    ConductRule,
    Report,
    Review,
    ReviewOutcome,
    UserWarning,
    WarningType,
)


class ReportCreateSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=ConductRule.choices)
    details = serializers.CharField(max_length=2000, trim_whitespace=True)


class ReportSerializer(serializers.ModelSerializer[Report]):
    class Meta:
        model = Report
        fields = ["id", "call", "reason", "details", "status", "created_at"]
        read_only_fields = fields


class RecordingAccessSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=500, help_text="Why you open it (the report or flag you are handling)."
    )


class RecordingLinkSerializer(serializers.Serializer[Any]):
    url = serializers.URLField()
    expires_in = serializers.IntegerField(help_text="Seconds the link works.")


# ---------------------------------------------------------------- sanctions (M-1 … M-9)
class WarningTypeField(serializers.SlugRelatedField[WarningType]):
    """A warning type by its code; retired types are not accepted."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            slug_field="code", queryset=WarningType.objects.filter(is_active=True), **kwargs
        )


def _member_field() -> serializers.PrimaryKeyRelatedField[User]:
    return serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="The member's user id."
    )


class EvidenceSerializer(serializers.Serializer[Any]):
    report = serializers.PrimaryKeyRelatedField(
        queryset=Report.objects.all(), required=False, allow_null=True
    )
    message = serializers.PrimaryKeyRelatedField(
        queryset=Message.objects.all(), required=False, allow_null=True
    )
    call = serializers.PrimaryKeyRelatedField(
        queryset=Call.objects.all(), required=False, allow_null=True
    )


class WarningCreateSerializer(serializers.Serializer[Any]):
    user = _member_field()
    type = WarningTypeField()
    note = serializers.CharField(max_length=2000, help_text="What happened (kept for staff).")
    evidence = EvidenceSerializer(required=False)


class WarningPreviewRequestSerializer(serializers.Serializer[Any]):
    user = _member_field()
    type = WarningTypeField()


class WarningPreviewSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(
        choices=["reminder", "restrict", "attach"], help_text="What the warning would cause."
    )
    rule = serializers.CharField(help_text='The rule that decides: "M-2.1" … "M-2.4", "M-6".')
    repeat = serializers.BooleanField(help_text="M-6: the review would be marked a repeat.")
    earlier_warnings = serializers.IntegerField(help_text="The earlier warnings that count.")
    text = serializers.CharField()


class WarningSerializer(serializers.ModelSerializer[UserWarning]):
    type: serializers.SlugRelatedField[WarningType] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = UserWarning
        fields = [
            "id",
            "user",
            "type",
            "note",
            "issued_by",
            "issued_at",
            "action",
            "rule",
            "review",
        ]
        read_only_fields = fields


class OwnWarningSerializer(serializers.ModelSerializer[UserWarning]):
    """A warning as its member sees it (M-8): the type and the rule it reminds them of."""

    type: serializers.SlugRelatedField[WarningType] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    type_name = serializers.CharField(source="type.name", read_only=True)
    rule = serializers.CharField(source="type.rule", read_only=True)

    class Meta:
        model = UserWarning
        fields = ["id", "type", "type_name", "rule", "issued_at"]
        read_only_fields = fields


class RestrictionCreateSerializer(serializers.Serializer[Any]):
    user = _member_field()
    reason = serializers.CharField(max_length=2000)


class BanCreateSerializer(RestrictionCreateSerializer):
    pass


class BanSerializer(serializers.ModelSerializer[Ban]):
    class Meta:
        model = Ban
        fields = ["id", "user", "banned_by", "banned_at", "reason", "review", "settled_at"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer[Review]):
    """A review as every staff member sees it — without its deadline (M-9)."""

    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["id", *Review.STAFF_FIELDS, "warnings"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_warnings(self, review: Review) -> list[str]:
        # `.all()`, not a query of its own: the list prefetches the reviews' warnings.
        return [str(warning.pk) for warning in review.warnings.all()]


class ReviewerReviewSerializer(ReviewSerializer):
    """A review as a reviewer sees it: with its deadline."""

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "deadline"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    reason = serializers.CharField(max_length=2000)
