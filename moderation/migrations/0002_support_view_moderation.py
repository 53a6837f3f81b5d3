"""Support agents and reviewers see reports and flags in the admin, read-only (the queue
itself comes with the moderation issues)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view_report", "view_flag"]
GROUPS = ["Support agent", "Trust & safety reviewer"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("moderation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="moderation", codename__in=VIEW)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="moderation", codename__in=VIEW)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial"), ("accounts", "0002_staff_roles")]

    operations = [migrations.RunPython(grant, revoke)]
