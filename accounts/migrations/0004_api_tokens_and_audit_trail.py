"""API tokens as django-rest-knox keeps them (hashed, per device, expiring), and the indexes of
"everything that concerns user X" in the audit log.

DRF's clear-text tokens are gone with its `authtoken` app: a database migrated before drops
their table here (every old token stops working; clients log in again), along with the
permissions that pointed at it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forget_clear_text_tokens(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="authtoken").delete()
    ContentType.objects.filter(app_label="authtoken").delete()
    schema_editor.execute("DROP TABLE IF EXISTS authtoken_token", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_audit_append_only"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("digest", models.CharField(max_length=128, primary_key=True, serialize=False)),
                ("token_key", models.CharField(db_index=True, max_length=25)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("expiry", models.DateTimeField(blank=True, null=True)),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="device")),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used"),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "ordering": ["-created"],
            },
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["target_user", "-at", "-id"], name="accounts_audit_target"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["actor", "-at", "-id"], name="accounts_audit_actor"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="auth_token_set",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(forget_clear_text_tokens, migrations.RunPython.noop),
    ]
