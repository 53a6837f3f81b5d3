"""Database-level guarantees that migrations install (Postgres only; SQLite, the embedded
default, relies on the model-level checks)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations import RunPython
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState, StateApps

FUNCTION = """
CREATE OR REPLACE FUNCTION core_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class RefuseChanges(Operation):
    """A trigger that refuses UPDATE and DELETE on a model's table, so not even raw SQL or a
    shell can rewrite an append-only record. TRUNCATE stays possible (the test database's
    flush, an operator who means it)."""

    reversible = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__name__, [self.model_name], {}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def _names(
        self, app_label: str, state: ProjectState, editor: BaseDatabaseSchemaEditor
    ) -> tuple[str, str]:
        """The quoted table and trigger names."""
        table = str(state.apps.get_model(app_label, self.model_name)._meta.db_table)
        return editor.quote_name(table), editor.quote_name(f"{table}_append_only")

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table, trigger = self._names(app_label, to_state, schema_editor)
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION core_refuse_change()",
            params=None,
        )

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table, trigger = self._names(app_label, from_state, schema_editor)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}", params=None)

    def describe(self) -> str:
        return f"Refuse UPDATE and DELETE on {self.model_name} (Postgres)"


def grant_permissions(grants: dict[str, list[str]]) -> RunPython:
    """A migration step that adds permissions ("app.codename") to staff roles (groups by
    name), and takes them away when reversed. Permissions are normally created after all
    migrations ran (post_migrate); they are created here first, so a fresh database can grant
    them at once."""

    def _permissions(apps: StateApps, names: list[str]) -> list[Any]:
        Permission = apps.get_model("auth", "Permission")
        found = []
        for name in names:
            app_label, codename = name.split(".")
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return found

    def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        labels = {name.split(".")[0] for names in grants.values() for name in names}
        for label in labels:
            app_config = apps.get_app_config(label)
            app_config.models_module = True  # type: ignore[assignment] # what post_migrate checks
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        for role, names in grants.items():
            group, _ = Group.objects.get_or_create(name=role)
            group.permissions.add(*_permissions(apps, names))

    def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        Group = apps.get_model("auth", "Group")
        for role, names in grants.items():
            for group in Group.objects.filter(name=role):
                group.permissions.remove(*_permissions(apps, names))

    return RunPython(forward, backward)
