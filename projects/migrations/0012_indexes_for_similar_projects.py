"""Indexes for scoring similar projects in the database (web/similar.py SIMILAR_SQL): programme
names in any case, and the projects of a theme or a phase read from the index alone."""

from django.db import migrations, models
from django.db.models.functions import Lower


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0011_trigram_search_names"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="intervention",
            index=models.Index(Lower("name"), name="intervention_lower_name"),
        ),
        # The many-to-many tables Django makes have no Meta to declare these in.
        migrations.RunSQL(
            "CREATE INDEX project_themes_theme_project ON projects_project_themes (theme_id, project_id)",
            "DROP INDEX project_themes_theme_project",
        ),
        migrations.RunSQL(
            "CREATE INDEX project_phases_phase_project ON projects_project_phases (phase_id, project_id)",
            "DROP INDEX project_phases_phase_project",
        ),
    ]
