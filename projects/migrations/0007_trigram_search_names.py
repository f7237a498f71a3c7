"""Typo-tolerant search on PostgreSQL: Project.search_names, the pg_trgm extension and a GIN
trigram index on that column, so `search_names %> 'fonics'` is an index scan.

The extension and the index are PostgreSQL only (TrigramExtension() would fail on SQLite, which
searches with FTS5 and has no trigrams), so they are SQL that runs only there, outside the model
state, like 0002's full-text index.
"""

from django.db import migrations, models


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS projects_project_search_names_trgm "
            "ON projects_project USING gin (search_names gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS projects_project_search_names_trgm")


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_theme_parent")]

    operations = [
        migrations.AddField(
            model_name="project",
            name="search_names",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
