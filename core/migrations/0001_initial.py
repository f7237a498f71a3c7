from django.db import migrations, models


class Migration(migrations.Migration):
    """DataVersion moved here from projects; its table stays where projects created it."""

    initial = True
    dependencies = [("projects", "0003_project_figures")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataVersion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("content_hash", models.CharField(max_length=64, unique=True)),
                        ("loaded_at", models.DateTimeField()),
                        ("counts", models.JSONField(default=dict)),
                    ],
                    options={"ordering": ["-loaded_at"], "get_latest_by": "loaded_at",
                             "db_table": "projects_dataversion"},
                ),
            ],
        ),
    ]
