"""core/db_deadline.py: the client-side deadline on PostgreSQL round trips (the live case, a
hung server behind gunicorn, is in tests/test_faults.py)."""

import os
import time

import psycopg2
import pytest
from django.db import connection
from psycopg2 import extensions

from core.db_deadline import _forget_timeout, install_deadline

postgresql_only = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                     reason="the deadline is psycopg2's (PostgreSQL)")


@pytest.fixture
def deadline():
    install_deadline(0.5)
    _forget_timeout()
    yield
    extensions.set_wait_callback(None)
    _forget_timeout()


@postgresql_only
@pytest.mark.django_db
def test_a_query_slower_than_the_deadline_fails_in_time_and_the_next_request_reconnects(deadline):
    params = connection.get_connection_params()
    slow = psycopg2.connect(**params)
    started = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match="did not answer within 0.5 s"):
        slow.cursor().execute("SELECT pg_sleep(3)")
    assert time.monotonic() - started < 1.5
    assert slow.closed  # psycopg2 drops a connection whose wait failed
    with pytest.raises(psycopg2.OperationalError, match="earlier in this request"):
        psycopg2.connect(**params)  # the rest of the request does not wait again
    _forget_timeout()  # a new request
    fresh = psycopg2.connect(**params)
    cursor = fresh.cursor()
    cursor.execute("SELECT pg_sleep(0.1), 1")
    assert cursor.fetchone()[1] == 1
    fresh.close()


def test_without_the_web_process_nothing_waits_with_a_deadline():
    """Loads and migrations (manage.py) may run long statements: only oa_evidence/wsgi.py installs it."""
    assert extensions.get_wait_callback() is None
