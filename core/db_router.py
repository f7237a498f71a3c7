"""Read replicas: reads go to a replica, writes (only load_evidence writes) to the primary.

Configured by DATABASE_REPLICA_URLS (comma-separated database URLs); with none set, everything
uses the primary and this router is not installed.
"""

import random
from contextvars import ContextVar

import dj_database_url
from django.conf import settings
from django.db import connections


def replica_databases(urls: str, *, conn_max_age: int = 60) -> dict[str, dict]:
    """DATABASES entries `replica_1`, `replica_2`, … for the given URLs. In tests each mirrors the
    primary, so a test database is not created for it."""
    databases = {}
    for number, url in enumerate((u.strip() for u in urls.split(",") if u.strip()), start=1):
        config = dj_database_url.parse(url, conn_max_age=conn_max_age)
        config["TEST"] = {"MIRROR": "default"}
        databases[f"replica_{number}"] = config
    return databases


# The database a request reads everything from, so that all its reads see one snapshot.
pinned_database: ContextVar[str | None] = ContextVar("pinned_database", default=None)


def writing() -> bool:
    """Inside a transaction on the primary (a load), reads must see its own uncommitted writes."""
    return connections["default"].in_atomic_block


class ReplicaRouter:
    def __init__(self, replicas: list[str] | None = None):
        if replicas is None:
            replicas = [name for name in settings.DATABASES if name.startswith("replica_")]
        self.replicas = replicas

    def db_for_read(self, model, **hints):
        if not self.replicas or writing():
            return "default"
        return pinned_database.get() or random.choice(self.replicas)

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same data as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
