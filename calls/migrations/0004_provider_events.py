"""The provider's webhook log, and support's read-only view of it."""

import django.utils.timezone
from django.db import migrations, models

from core.db import grant_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0003_host_pool"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProviderEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                (
                    "next_attempt_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="next attempt"),
                ),
                ("event", models.CharField(max_length=60, verbose_name="event")),
                ("key", models.CharField(max_length=300, unique=True)),
                ("meeting_id", models.CharField(max_length=200, verbose_name="meeting id")),
                ("meeting_uuid", models.CharField(max_length=200, verbose_name="meeting UUID")),
                ("body", models.JSONField()),
                (
                    "received_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="received"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("pending", "To be applied"),
                            ("applied", "Applied"),
                            ("unknown_meeting", "Unknown meeting, ignored"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="outcome",
                    ),
                ),
                ("applied_at", models.DateTimeField(blank=True, null=True, verbose_name="applied")),
            ],
            options={
                "verbose_name": "provider event",
                "verbose_name_plural": "provider events",
                "indexes": [
                    models.Index(fields=["meeting_id", "received_at"], name="calls_event_meeting"),
                    models.Index(
                        condition=models.Q(("next_attempt_at__isnull", False)),
                        fields=["next_attempt_at"],
                        name="calls_event_retry",
                    ),
                ],
            },
        ),
        grant_permissions(
            {
                "Support agent": ["calls.view_providerevent"],
                "Trust & safety reviewer": ["calls.view_providerevent"],
            }
        ),
    ]
