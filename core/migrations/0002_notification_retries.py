"""Notices' e-mails are retried from their row (`core.models.Deferred`): the attempt count is
renamed, and a notice still waiting gets its next attempt now, so the sweep finds it."""

from django.db import migrations, models
from django.db.models import F, Q


def due_now(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    Notification.objects.filter(email_status="pending").update(next_attempt_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_notifications")]

    operations = [
        migrations.RemoveIndex(model_name="notification", name="core_notif_email_due"),
        migrations.RenameField(
            model_name="notification", old_name="email_attempts", new_name="attempts"
        ),
        migrations.AlterField(
            model_name="notification",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.AddField(
            model_name="notification",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="next attempt"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=Q(email_status="pending"),
                fields=["next_attempt_at"],
                name="core_notif_email_due",
            ),
        ),
        migrations.RunPython(due_now, migrations.RunPython.noop),
    ]
