"""A client-side deadline on every PostgreSQL round trip of a web process.

A database that stops answering (a stopped server, a dead network path) leaves libpq waiting on
its socket for ever: `statement_timeout` is enforced by the server, so it cannot help, and
`connect_timeout` covers only connecting. psycopg2 lets a wait callback do the waiting instead
(it then talks to libpq in non-blocking mode); ours waits with select() and gives up when the
deadline passes, raising OperationalError, which psycopg2 answers by closing the connection and
the site answers with a 503 and Retry-After (web.views.server_error, core.views.healthz).

The query is not cancelled: PQcancel opens a new connection to the same server and blocks on it,
so on a hung server it would hang too. A server that is merely slow ends the abandoned query at
its `statement_timeout`. Once a round trip has timed out, the rest of that request fails at once
(Django reconnects to reset autocommit as a failed transaction ends, which would wait again).
Installed for web processes only (oa_evidence/wsgi.py, which runserver
uses as well); loads and migrations may run long statements.
"""

import select
import threading
import time

from django.core.signals import request_started
from psycopg2 import OperationalError, extensions

_request = threading.local()  # gunicorn's sync workers and runserver serve a request per thread


def _forget_timeout(**kwargs) -> None:
    _request.timed_out = False


def install_deadline(seconds: float) -> None:
    """Every connect and query of this process's psycopg2 connections waits at most `seconds`
    (0 or less: no deadline, psycopg2's blocking calls)."""
    extensions.set_wait_callback(deadline_waiter(seconds) if seconds > 0 else None)
    request_started.connect(_forget_timeout, dispatch_uid="database-deadline")


def deadline_waiter(seconds: float):
    def wait(connection) -> None:
        if getattr(_request, "timed_out", False):
            raise OperationalError("the database did not answer earlier in this request")
        deadline = time.monotonic() + seconds
        while True:
            state = connection.poll()
            if state == extensions.POLL_OK:
                return
            if state == extensions.POLL_READ:
                waiting = ([connection.fileno()], [], [])
            elif state == extensions.POLL_WRITE:
                waiting = ([], [connection.fileno()], [])
            else:
                raise OperationalError(f"unexpected psycopg2 poll state {state}")
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not any(select.select(*waiting, remaining)):
                _request.timed_out = True
                raise OperationalError(f"the database did not answer within {seconds:g} s")

    return wait
