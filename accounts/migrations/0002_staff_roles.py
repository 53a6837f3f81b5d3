"""A-5: the staff roles as groups with named permissions.

The role table is copied here rather than imported from accounts.roles: a migration must keep
doing what it did when it was written, whatever the live code later says. A later change of a
role's permissions is a new migration.

Edited once, when DRF's `authtoken` app was removed (API tokens became hashed, migration 0004):
this migration depended on that app and granted `authtoken.view_token`, which no longer exists.
A database migrated before keeps the grant until 0004 drops the old token table.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Support agent": [
        "accounts.view_user",
        "accounts.issue_warning",
        "accounts.handle_report",
    ],
    "Trust & safety reviewer": [
        "accounts.view_user",
        "accounts.issue_warning",
        "accounts.handle_report",
        "accounts.restrict_user",
        "accounts.ban_user",
        "accounts.decide_review",
        "accounts.view_review_deadline",
        "accounts.access_call_recording",
        "accounts.view_auditentry",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate); create them now
    # so the groups can reference them on a fresh database.
    for label in ("accounts",):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
