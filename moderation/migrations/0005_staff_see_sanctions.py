"""Support agents and reviewers see warnings, reviews and bans in the admin, read-only (every
change goes through an admin action that calls a service); reviewers also add and edit warning
types (M-1: "plus types staff add")."""

from django.db import migrations

from core.db import grant_permissions

VIEW = [
    "moderation.view_userwarning",
    "moderation.view_review",
    "moderation.view_ban",
    "moderation.view_warningtype",
]
REVIEWER_ONLY = ["moderation.add_warningtype", "moderation.change_warningtype"]


class Migration(migrations.Migration):
    dependencies = [("moderation", "0004_seed_warning_types"), ("accounts", "0002_staff_roles")]

    operations = [
        grant_permissions(
            {"Support agent": VIEW, "Trust & safety reviewer": [*VIEW, *REVIEWER_ONLY]}
        )
    ]
