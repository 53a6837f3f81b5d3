"""What the data migrations seed — the staff roles and C-9's warning types — put back after a
transactional test's flush emptied every table (tests/conftest.py does it before each such
test). The roles are the live role table, which the migrations granted
(tests/accounts/test_roles_and_audit.py checks that they agree)."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from accounts.roles import ROLES

WARNING_TYPES = importlib.import_module("moderation.migrations.0004_seed_warning_types")


def restore_seed_data() -> None:
    for role, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=label, codename=codename)
            for label, codename in (name.split(".") for name in names)
        )
    WARNING_TYPES.seed(apps, None)
