"""Typo-tolerant search on PostgreSQL: Project.search_names, the pg_trgm extension and a GIN
trigram index on that column, so `search_names %> 'fonics'` is an index scan.

The extension and the index are PostgreSQL only (TrigramExtension() would fail on SQLite, which
searches with FTS5 and has no trigrams), so they are SQL that runs only there, outside the model
state, like 0002's full-text index.
"""

from django.db import migrations, models


# pg_trgm declares `%>` as cheap as `=` (COST 1), so on 10,000 projects the planner preferred a
# sequential scan computing word similarity on every row (263 ms) to the trigram index (47 ms).
# Its real cost makes the planner use the index. A role that may not alter the extension's
# function keeps the default plan: slower, not wrong.
RAISE_OPERATOR_COST = """
DO $$ BEGIN
    ALTER FUNCTION word_similarity_commutator_op(text, text) COST 100;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm left at its default cost: the trigram index may go unused';
END $$
"""


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS projects_project_search_names_trgm "
            "ON projects_project USING gin (search_names gin_trgm_ops)"
        )
        schema_editor.execute(RAISE_OPERATOR_COST)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS projects_project_search_names_trgm")


class Migration(migrations.Migration):
    dependencies = [("projects", "0010_theme_parent")]

    operations = [
        migrations.AddField(
            model_name="project",
            name="search_names",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
