"""The calls API's input and output (one serializer per direction)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from calls.models import Call, Participant, Recording, RecordingStatus
from core import clock
from marketplace.serializers import UserSummarySerializer

# A moment ago still counts as now: the form's clock and ours differ by a little.
PAST_TOLERANCE = timedelta(minutes=2)


def validate_start(value: Any) -> Any:
    """C-6: a call is scheduled from now up to CALL_MAX_SCHEDULE_DAYS ahead."""
    if value is None:
        return value
    now = clock.now()
    if value < now - PAST_TOLERANCE:
        raise serializers.ValidationError(_("Choose a time in the future."))
    if value > now + timedelta(days=settings.CALL_MAX_SCHEDULE_DAYS):
        raise serializers.ValidationError(
            _("Calls can be scheduled at most %(days)s days ahead.")
            % {"days": settings.CALL_MAX_SCHEDULE_DAYS}
        )
    return value


class CallCreateSerializer(serializers.Serializer[Any]):
    scheduled_for = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        validators=[validate_start],
        help_text="When the call is meant to start (ISO 8601 with an offset); omit for now.",
    )
    topic = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class InviteSerializer(serializers.Serializer[Any]):
    emails = serializers.ListField(
        child=serializers.EmailField(), min_length=1, max_length=settings.CALL_MAX_PARTICIPANTS
    )


class ParticipantSerializer(serializers.ModelSerializer[Participant]):
    user = UserSummarySerializer(read_only=True)

    class Meta:
        model = Participant
        fields = ["user", "role", "joined_at"]
        read_only_fields = fields


class RecordingSerializer(serializers.ModelSerializer[Recording]):
    url = serializers.SerializerMethodField()
    available_until = serializers.DateTimeField(source="expires_at", read_only=True)

    class Meta:
        model = Recording
        fields = ["status", "available_until", "deleted_at", "media_type", "url"]
        read_only_fields = fields

    def get_url(self, recording: Recording) -> str | None:
        if recording.status != RecordingStatus.AVAILABLE:
            return None
        request = self.context["request"]
        return str(
            request.build_absolute_uri(reverse("api:call-recording", args=[recording.call_id]))
        )


class CallSerializer(serializers.ModelSerializer[Call]):
    host = UserSummarySerializer(read_only=True)
    participants = serializers.SerializerMethodField()
    join_url = serializers.SerializerMethodField()
    recording = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "status",
            "topic",
            "scheduled_for",
            "started_at",
            "ended_at",
            "join_url",
            "host",
            "participants",
            "recording",
            "conversation",
            "order",
        ]
        read_only_fields = fields

    def get_join_url(self, call: Call) -> str | None:
        """Our own join link: it works only for a logged-in participant (C-5)."""
        if not call.is_open:
            return None
        return str(
            self.context["request"].build_absolute_uri(reverse("calls:join", args=[call.pk]))
        )

    def get_participants(self, call: Call) -> list[dict[str, Any]]:
        rows = call.participants.select_related("user").order_by("created_at", "id")
        return list(ParticipantSerializer(rows, many=True).data)

    def get_recording(self, call: Call) -> dict[str, Any] | None:
        recording = Recording.objects.filter(call=call).first()
        if recording is None:
            return None
        return dict(RecordingSerializer(recording, context=self.context).data)


class EligibilityFiguresSerializer(serializers.Serializer[Any]):
    policy = serializers.CharField()
    eligibility_asp = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    threshold = serializers.DecimalField(max_digits=12, decimal_places=2)
    last_order_at = serializers.DateTimeField(allow_null=True)
    recent_order_until = serializers.DateTimeField(allow_null=True)
    recent_order_days = serializers.IntegerField()


class ReasonSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()


class EligibilitySerializer(serializers.Serializer[Any]):
    allowed = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)
    explanation = serializers.ListField(child=serializers.CharField())
    figures = EligibilityFiguresSerializer(
        allow_null=True, help_text="Your own figures (sellers only); never another user's."
    )
