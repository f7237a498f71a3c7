from django.db import migrations

CREATE = ("CREATE VIRTUAL TABLE IF NOT EXISTS project_search "
          "USING fts5(title, body, tokenize = 'porter unicode61')")


def create(apps, schema_editor):
    """SQLite's full-text index of projects (PostgreSQL uses Project.search_vector instead)."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS project_search")


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_area_figures_evidence_on_figures")]
    operations = [migrations.RunPython(create, drop)]
