from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from calls.models import Call
from marketplace.models import Message
from moderation.models import (
    Appeal,
    AppealOutcome,
    Ban,
    Case,
    CaseOutcome,
    CaseStatus,
    ConductRule,
    Flag,
    Report,
    Review,
    ReviewOutcome,
    TargetType,
    UserWarning,
    WarningType,
)
from moderation.selectors import CaseContext


class ReportCreateSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=ConductRule.choices)
    details = serializers.CharField(max_length=2000, trim_whitespace=True)


class ReportSerializer(serializers.ModelSerializer[Report]):
    class Meta:
        model = Report
        fields = [
            "id",
            "target_type",
            "call",
            "message",
            "reason",
            "details",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class TargetReportCreateSerializer(ReportCreateSerializer):
    target_type = serializers.ChoiceField(choices=TargetType.choices)
    target_id = serializers.CharField(
        max_length=64, help_text="The message's or the user's id (a number), or the call's UUID."
    )


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
    """A warning as its member sees it (M-8): the type and the rule it reminds them of, and
    when it was withdrawn on appeal (M-12; it no longer counts)."""

    type: serializers.SlugRelatedField[WarningType] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    type_name = serializers.CharField(source="type.name", read_only=True)
    rule = serializers.CharField(source="type.rule", read_only=True)

    class Meta:
        model = UserWarning
        fields = ["id", "type", "type_name", "rule", "issued_at", "withdrawn_at"]
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


# ---------------------------------------------------------------- the queue (M-10)
class CaseReportSerializer(serializers.ModelSerializer[Report]):
    reporter = serializers.IntegerField(source="reporter_id")

    class Meta:
        model = Report
        fields = ["id", "reporter", "reason", "details", "status", "created_at"]
        read_only_fields = fields


class CaseFlagSerializer(serializers.ModelSerializer[Flag]):
    rules = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Flag
        fields = ["id", "detector", "rules", "details", "status", "created_at"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer[Case]):
    subject = serializers.IntegerField(source="subject_id", allow_null=True)
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)
    decided_by = serializers.IntegerField(source="decided_by_id", allow_null=True)
    message = serializers.IntegerField(source="message_id", allow_null=True)
    call = serializers.UUIDField(source="call_id", allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "target_type",
            "message",
            "call",
            "subject",
            "reason",
            "sensitive",
            "repeat_target",
            "reports_count",
            "flags_count",
            "priority",
            "status",
            "assignee",
            "claim_expires_at",
            "created_at",
            "first_action_at",
            "decided_at",
            "decided_by",
            "outcome",
            "decision_note",
            "warning",
            "review",
            "ban",
        ]
        read_only_fields = fields


class ContextMessageSerializer(serializers.ModelSerializer[Message]):
    sender = serializers.IntegerField(source="sender_id", allow_null=True)

    class Meta:
        model = Message
        fields = ["id", "sender", "kind", "body", "created_at"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    """One case with what a reviewer decides on: the view passes `selectors.case_context` as
    the serializer's context "case_context"."""

    reports = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
    conversation = serializers.SerializerMethodField(
        help_text="The reported or flagged message with its neighbours."
    )
    participants = serializers.SerializerMethodField()
    has_recording = serializers.SerializerMethodField()
    earlier_warnings = serializers.SerializerMethodField()
    earlier_cases = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "reports",
            "flags",
            "conversation",
            "participants",
            "has_recording",
            "earlier_warnings",
            "earlier_cases",
        ]
        read_only_fields = fields

    def _of(self) -> CaseContext:
        return cast(CaseContext, self.context["case_context"])

    @extend_schema_field(CaseReportSerializer(many=True))
    def get_reports(self, case: Case) -> Any:
        return CaseReportSerializer(self._of().reports, many=True).data

    @extend_schema_field(CaseFlagSerializer(many=True))
    def get_flags(self, case: Case) -> Any:
        return CaseFlagSerializer(self._of().flags, many=True).data

    @extend_schema_field(ContextMessageSerializer(many=True))
    def get_conversation(self, case: Case) -> Any:
        return ContextMessageSerializer(self._of().neighbours, many=True).data

    def get_participants(self, case: Case) -> list[int]:
        return [user.pk for user in self._of().participants]

    def get_has_recording(self, case: Case) -> bool:
        return self._of().has_recording

    def get_earlier_warnings(self, case: Case) -> int:
        return self._of().earlier_warnings

    def get_earlier_cases(self, case: Case) -> int:
        return self._of().earlier_cases


class CaseAssignSerializer(serializers.Serializer[Any]):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_staff=True),
        allow_null=True,
        help_text="A staff member's user id, or null to put the case back in the queue.",
    )


class CaseResolveSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices)
    note = serializers.CharField(
        max_length=2000, help_text="What you found; kept with the decision."
    )
    warning_type = WarningTypeField(required=False, allow_null=True)
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text="For a call's case that names nobody: the participant the decision is about.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["outcome"] == CaseOutcome.WARN and not attrs.get("warning_type"):
            raise serializers.ValidationError({"warning_type": ["Choose the type of the warning."]})
        return attrs


class QueueFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False, default="")
    target_type = serializers.ChoiceField(choices=TargetType.choices, required=False, default="")
    reason = serializers.ChoiceField(choices=ConductRule.choices, required=False, default="")
    assignee = serializers.RegexField(r"^(me|none|[1-9][0-9]{0,17})$", required=False, default="")


# ---------------------------------------------------------------- appeals (M-12)
class AppealCreateSerializer(serializers.Serializer[Any]):
    statement = serializers.UUIDField(
        help_text="The statement of reasons of the decision appealed (its id, from the notice)."
    )
    text = serializers.CharField(max_length=4000, help_text="Why we should look again.")


class AppealSerializer(serializers.ModelSerializer[Appeal]):
    decision = serializers.CharField(source="statement.kind", read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "statement",
            "decision",
            "text",
            "status",
            "created_at",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields


class AppealDecisionSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=AppealOutcome.choices)
    reason = serializers.CharField(max_length=2000, help_text="The member is told this reason.")
