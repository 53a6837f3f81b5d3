"""Trigram indexes for the gig search, on Postgres only.

The search is `title ILIKE '%term%' OR description ILIKE '%term%'` (Django's `icontains`, which
Postgres runs as `UPPER(col::text) LIKE UPPER(term)`). Without an index that is a sequential scan
of every gig: about 150 ms at 100,000 gigs for a rare term (docs/performance.md). GIN trigram
indexes on exactly those expressions let Postgres find the matches directly. SQLite (the embedded
default) has no pg_trgm and keeps scanning, which is fine at its size.
"""

from django.db import migrations

INDEXES = {
    "marketplace_gig_title_trgm": "UPPER(title::text)",
    "marketplace_gig_description_trgm": "UPPER(description::text)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (Postgres 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON marketplace_gig "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0003_conversation_last_activity")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
