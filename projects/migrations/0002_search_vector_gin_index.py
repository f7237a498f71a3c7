"""A GIN index on Project.search_vector for full-text search, on PostgreSQL only.

SQLite has no GIN indexes (and searches search_document there), so the index is created by
SQL that runs only on PostgreSQL; it is not part of the model state.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS projects_project_search_vector_gin "
            "ON projects_project USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS projects_project_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
