from __future__ import annotations

from typing import Any

from rest_framework import serializers

from moderation.models import ConductRule, Report


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
