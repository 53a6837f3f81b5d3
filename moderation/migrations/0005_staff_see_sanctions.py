"""Support agents and reviewers see warnings, reviews and bans in the admin, read-only (every
change goes through an admin action that calls a service); reviewers also add and edit warning
types (M-1: "plus types staff add")."""

from typing import Any

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view_userwarning", "view_review", "view_ban", "view_warningtype"]
REVIEWER_ONLY = ["add_warningtype", "change_warningtype"]
SUPPORT_AGENT, REVIEWER = "Support agent", "Trust & safety reviewer"


def _permissions(apps: Any, codenames: list[str]) -> Any:
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="moderation", codename__in=codenames)


def grant(apps: Any, schema_editor: Any) -> None:
    app_config = apps.get_app_config("moderation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[SUPPORT_AGENT, REVIEWER]):
        group.permissions.add(*_permissions(apps, VIEW))
    for group in Group.objects.filter(name=REVIEWER):
        group.permissions.add(*_permissions(apps, REVIEWER_ONLY))


def revoke(apps: Any, schema_editor: Any) -> None:
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[SUPPORT_AGENT, REVIEWER]):
        group.permissions.remove(*_permissions(apps, VIEW + REVIEWER_ONLY))


class Migration(migrations.Migration):
    dependencies = [("moderation", "0004_seed_warning_types"), ("accounts", "0002_staff_roles")]

    operations = [migrations.RunPython(grant, revoke)]
