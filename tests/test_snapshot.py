"""Every GET reads from one snapshot (core.middleware.DataVersionMiddleware): on PostgreSQL a
REPEATABLE READ READ ONLY transaction that psycopg2 begins with the request's first query, its
characteristics sent with that BEGIN, so a request that reads nothing sends nothing."""

import os

import pytest
from django.db import connections
from psycopg2 import extensions

from core.middleware import DataVersionMiddleware

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="the snapshot's transaction characteristics are PostgreSQL's"),
    pytest.mark.django_db,
]


@pytest.fixture
def connection(monkeypatch):
    """A connection of its own to the test database, outside the test's transaction (as a web
    process's is), given to the middleware as the database it reads from."""
    own = connections.create_connection("default")
    monkeypatch.setattr("core.middleware.connections", {"default": own})
    own.ensure_connection()
    yield own
    own.close()


def show(connection, setting: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        return cursor.fetchone()[0]


def test_a_get_sends_nothing_until_its_first_query_which_begins_a_read_only_snapshot(connection):
    seen = {}
    with DataVersionMiddleware(lambda request: None).snapshot():
        # Before: BEGIN and SET TRANSACTION had been sent here, a round trip more than needed,
        # and three for a response from the cache, which reads nothing.
        seen["before any query"] = connection.connection.get_transaction_status()
        seen["isolation"] = show(connection, "transaction_isolation")
        seen["read only"] = show(connection, "transaction_read_only")
        seen["after a query"] = connection.connection.get_transaction_status()
    assert seen == {"before any query": extensions.TRANSACTION_STATUS_IDLE, "isolation": "repeatable read",
                    "read only": "on", "after a query": extensions.TRANSACTION_STATUS_INTRANS}


def test_after_the_snapshot_the_connection_writes_with_the_servers_defaults(connection):
    with DataVersionMiddleware(lambda request: None).snapshot():
        show(connection, "transaction_isolation")
    assert connection.get_autocommit() and not connection.in_atomic_block
    assert connection.connection.get_transaction_status() == extensions.TRANSACTION_STATUS_IDLE
    assert show(connection, "transaction_isolation") == "read committed"
    assert show(connection, "transaction_read_only") == "off"
    with connection.cursor() as cursor:  # not refused as inside a read-only transaction
        cursor.execute("CREATE TEMPORARY TABLE written (n int)")
        cursor.execute("INSERT INTO written VALUES (1)")


def test_an_error_inside_the_snapshot_rolls_it_back_and_restores_the_connection(connection):
    with pytest.raises(ZeroDivisionError), DataVersionMiddleware(lambda request: None).snapshot():
        show(connection, "transaction_isolation")
        1 / 0  # noqa: B018
    assert connection.get_autocommit()
    assert connection.connection.get_transaction_status() == extensions.TRANSACTION_STATUS_IDLE
    assert show(connection, "transaction_read_only") == "off"
