"""Postgres plumbing of the generator: the bench database's life cycle and fast COPY."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow

from bench import common


def copy_rows(
    cur: psycopg.Cursor[TupleRow],
    table: str,
    columns: str | Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    chunk: int = 20_000,
) -> int:
    """COPY rows (sequences of already text-formatted values; None is NULL) into a table.

    Values never contain tabs, newlines or backslashes (the generator makes them), so text
    format needs no escaping and the lines are joined in Python, much faster than write_row."""
    if isinstance(columns, str):  # "id name price_cents"
        columns = columns.split()
    check_columns(cur, table, columns)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with cur.copy(statement) as copy:
        batch: list[str] = []
        for row in rows:
            batch.append("\t".join(r"\N" if v is None else str(v) for v in row))
            if len(batch) >= chunk:
                copy.write("\n".join(batch) + "\n")
                count += len(batch)
                batch.clear()
        if batch:
            copy.write("\n".join(batch) + "\n")
            count += len(batch)
    return count


def check_columns(cur: psycopg.Cursor[TupleRow], table: str, columns: Sequence[str]) -> None:
    """The models change while the bench lives: stop on a new required column, and say so when
    a new column is left to its database default (which may not be what the data means)."""
    rows = cur.execute(
        "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL "
        "AND is_identity = 'NO' FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s",
        [table],
    ).fetchall()
    left_out = {name: required for name, required in rows if name not in columns}
    required = sorted(name for name, needed in left_out.items() if needed)
    if required:
        raise SystemExit(
            f"{table} has required columns the generator does not fill: {required}. "
            "Update bench/generate.py to the current models."
        )
    for name in sorted(left_out):
        print(f" [{table}.{name} left to its default]", end="")


def admin_url(url: str) -> tuple[str, str]:
    """The maintenance database's URL on the same server, and the bench database's name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"BENCH_DATABASE_URL has no database name: {url}")
    return urlunsplit(parts._replace(path="/postgres")), name


def database_marker(url: str) -> str | None:
    maintenance, name = admin_url(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return None if row is None else row[0]


def recreate_database(url: str, *, force: bool) -> None:
    maintenance, name = admin_url(url)
    if "bench" not in name and not force:
        raise SystemExit(
            f"Refusing to drop database {name!r}: its name does not contain 'bench'. "
            "Pass --force to drop it anyway."
        )
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def migrate(url: str | None = None) -> None:
    """Run the project's migrations on the bench database (or on `url`)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    if url is not None:
        env["BENCH_DATABASE_URL"] = url
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=common.BASE_DIR,
        env=env,
        check=True,
    )


def migrations_pending() -> bool:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check", "-v", "0"],
        cwd=common.BASE_DIR,
        env=env,
        check=False,
        capture_output=True,
    )
    return check.returncode != 0


def check_foreign_keys(
    cur: psycopg.Cursor[TupleRow], foreign_keys: Sequence[tuple[str, str, str, str]]
) -> None:
    """Each (child table, column, parent table, parent column) with one anti-join."""
    for child, column, parent, parent_column in foreign_keys:
        query = sql.SQL(
            "SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM {parent} p WHERE p.{parent_column} = c.{column})"
        ).format(
            child=sql.Identifier(child),
            column=sql.Identifier(column),
            parent=sql.Identifier(parent),
            parent_column=sql.Identifier(parent_column),
        )
        row = cur.execute(query).fetchone()
        if row is None or row[0] != 0:
            raise SystemExit(f"Broken foreign key {child}.{column} → {parent}: {row}")


def reset_sequences(cur: psycopg.Cursor[TupleRow], tables: Sequence[str]) -> None:
    """Move each table's id sequence past the ids COPY wrote."""
    for table in tables:
        cur.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence({name}, 'id'), "
                "coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            ).format(name=sql.Literal(table), table=sql.Identifier(table))
        )


def vacuum(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '256MB'")
        conn.execute("VACUUM (ANALYZE)")


def mark_complete(url: str, marker: str) -> None:
    _, name = admin_url(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(marker)
            )
        )
