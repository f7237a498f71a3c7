"""Create the PostgreSQL database DATABASE_URL names if the server does not have it yet, so the
README's `DATABASE_URL=… make run` works on a fresh server. Does nothing on SQLite."""

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand
from psycopg2 import sql


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database if it does not exist (SQLite needs nothing)."

    def handle(self, *args, **options):
        config = settings.DATABASES["default"]
        if not config["ENGINE"].endswith("postgresql"):
            return
        server = {"host": config.get("HOST") or None, "port": config.get("PORT") or None,
                  "user": config.get("USER") or None, "password": config.get("PASSWORD") or None,
                  "dbname": "postgres", "connect_timeout": 5}
        connection = psycopg2.connect(**{key: value for key, value in server.items() if value is not None})
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
                self.stdout.write(f"Created database {config['NAME']}.")
        connection.close()
