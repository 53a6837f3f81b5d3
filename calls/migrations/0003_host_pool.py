"""The provider's host pool: each call's host user and planned end (its booked window), the
hosts' daily create counts, and support's and reviewers' view of the pool in the admin."""

from datetime import timedelta

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from core.db import grant_permissions


def fill_planned_end(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Call = apps.get_model("calls", "Call")
    for call in Call.objects.filter(planned_end_at__isnull=True).only(
        "scheduled_for", "duration_minutes"
    ):
        call.planned_end_at = call.scheduled_for + timedelta(minutes=call.duration_minutes)
        call.save(update_fields=["planned_end_at"])


class Migration(migrations.Migration):
    dependencies = [("calls", "0002_support_view_calls"), ("accounts", "0002_staff_roles")]

    operations = [
        migrations.AddField(
            model_name="call",
            name="provider_host_id",
            field=models.CharField(blank=True, max_length=200, verbose_name="host at the provider"),
        ),
        migrations.AddField(
            model_name="call",
            name="planned_end_at",
            field=models.DateTimeField(null=True, verbose_name="planned end"),
        ),
        migrations.RunPython(fill_planned_end, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="call",
            name="planned_end_at",
            field=models.DateTimeField(verbose_name="planned end"),
        ),
        migrations.AddIndex(
            model_name="call",
            index=models.Index(
                condition=models.Q(("status__in", ["scheduled", "live"])),
                fields=["provider_host_id", "scheduled_for"],
                name="calls_call_host_open",
            ),
        ),
        migrations.CreateModel(
            name="HostDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("host", models.CharField(max_length=200, verbose_name="host")),
                ("day", models.DateField(verbose_name="day (UTC)")),
                (
                    "creates",
                    models.PositiveIntegerField(default=0, verbose_name="meetings created"),
                ),
            ],
            options={"verbose_name": "host's day", "verbose_name_plural": "host pool"},
        ),
        migrations.AddConstraint(
            model_name="hostday",
            constraint=models.UniqueConstraint(fields=("host", "day"), name="calls_hostday_once"),
        ),
        grant_permissions(
            {
                "Support agent": ["calls.view_hostday"],
                "Trust & safety reviewer": ["calls.view_hostday"],
            }
        ),
    ]
