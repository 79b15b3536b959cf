"""A request whose transaction lost a race to another runs again; one the database cannot serve is a 503.

The services serialise each user's writes (``Accounts.take_turn``), claim seats in one order and
upsert where rows may already exist, so two requests rarely collide. Rarely is not never: PostgreSQL may still
pick a deadlock victim (``40P01``), refuse a serialisable snapshot (``40001``), report a row inserted at the
same moment by a transaction that started after this one looked (``23505``) or time out waiting for a lock
(``55P03``); SQLite may say "database is locked" when its busy timeout runs out. Each of these rolled the whole
transaction back, and a provider request writes in one transaction, so nothing of the request was saved and
running it again is safe: ``RaceRetry`` replays it (with the body it buffered) up to ``ATTEMPTS`` times with a
short jittered backoff, as long as no byte of the answer has gone out and ``BUDGET`` has not passed. A request
that keeps losing gets ``409 conflict`` saying to call again, never a 500.

A database that cannot be reached at all (connection refused, the server shutting down, the pool exhausted, a
file SQLite cannot open) is ``503 backend_unavailable``. Any other exception is a bug and goes on to the
server's error handling untouched.

The exceptions must reach this middleware: the provider's exception handlers map only ``LifestyleError``
and request validation, so a ``DBAPIError`` passes through Starlette's ``ExceptionMiddleware`` and every
inner middleware. ``provider_app`` installs it inside the Host check and outside everything that touches
the database (the credential check, fault injection, the clock refresh and ``Idempotency-Key`` replay,
whose first attempt forgets a request that failed, so a replayed one runs as new).
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time

import anyio
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import BackendUnavailableError, ConflictError
from shared.kit.asgi import send_error

log = logging.getLogger(__name__)

ATTEMPTS = 4
"""Runs of one request, the first included."""
BACKOFF = 0.01
"""Seconds before the second run; doubled for each further run and jittered by ±50% so losers spread out."""
BUDGET = 5.0
"""Seconds after which a request that lost is not run again: it already waited that long for a lock (SQLite's
busy timeout is 30 s), and its caller has likely given up on it (``Settings.backend_timeout``)."""

RACES = {
    "40P01": "a deadlock",
    "40001": "a serialization failure",
    "23505": "a row inserted at the same moment",
    "55P03": "a lock not available",
}
"""PostgreSQL SQLSTATEs of a transaction that lost a race to another one (and was rolled back whole)."""
UNREACHABLE_CLASSES = ("08", "53", "57P")
"""SQLSTATE prefixes of a database that cannot serve: connection exceptions, insufficient resources
(too many connections), operator intervention (shutting down, starting up)."""
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
SQLITE_UNREACHABLE = {10: "disk I/O error", 13: "database or disk is full", 14: "unable to open database file"}


def _sqlite_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None  # the primary code of an extended one


def _sqlstate(error: BaseException) -> str:
    return str(getattr(error, "sqlstate", None) or getattr(error, "pgcode", None) or "")


def lost_race(exc: BaseException) -> str:
    """What race ``exc`` says the transaction lost ('' when it is no race): worth running again."""
    error = exc.orig if isinstance(exc, DBAPIError) else exc
    if error is None:
        return ""
    state = _sqlstate(error)
    if state in RACES:
        return RACES[state]
    if isinstance(error, sqlite3.OperationalError):
        code = _sqlite_code(error)
        message = str(error).lower()
        if code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in message:
            return "a database lock held by another writer"
    return ""


def unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot serve at all (rather than this request being wrong)."""
    if isinstance(exc, PoolTimeoutError):
        return True  # every pooled connection is busy for longer than the pool waits
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        error: BaseException | None = exc.orig
    else:
        error = exc
    if error is None:
        return False
    if isinstance(error, sqlite3.Error):
        return _sqlite_code(error) in SQLITE_UNREACHABLE or "unable to open database" in str(error).lower()
    module = type(error).__module__
    if module.startswith(("psycopg", "psycopg2")):
        state = _sqlstate(error)
        # psycopg raises an OperationalError without a SQLSTATE when it gets no server to talk to
        return state.startswith(UNREACHABLE_CLASSES) or (not state and type(error).__name__ == "OperationalError")
    return False


def _brief(exc: BaseException) -> str:
    """The driver's own first line, without the statement and parameters SQLAlchemy adds (user data)."""
    error = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0][:200] if lines else ''}"


def _innermost(exc: BaseException) -> BaseException:
    """The one exception of a group (an anyio task group in a middleware may wrap it), else ``exc``."""
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc


class _Run:
    """One run of a request: it reads the buffered body, then the live channel (where only the caller leaving
    comes); ``started`` says whether its answer has begun to go out (then it cannot be run again)."""

    def __init__(self, body: bytes, receive: Receive, send: Send) -> None:
        self.body = body
        self.delivered = False
        self.started = False
        self._receive = receive
        self._send = send

    async def receive(self) -> Message:
        if self.delivered:
            return await self._receive()
        self.delivered = True
        return {"type": "http.request", "body": self.body, "more_body": False}

    async def send(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self._send(message)


class RaceRetry:
    """ASGI middleware: run a request again while its transaction loses races; see the module docstring."""

    def __init__(
        self, app: ASGIApp, *, attempts: int = ATTEMPTS, backoff: float = BACKOFF, budget: float = BUDGET
    ) -> None:
        self.app = app
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.budget = budget

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        if not complete:
            return  # the caller went away before it finished sending: nobody to answer
        began = time.monotonic()
        for attempt in range(1, self.attempts + 1):
            run = _Run(body, receive, send)
            try:
                await self.app(dict(scope), run.receive, run.send)
                return
            except Exception as raised:
                exc = _innermost(raised)
                if run.started:
                    raise
                race = lost_race(exc)
                where = f"{scope['method']} {scope['path']}"
                if race and attempt < self.attempts and time.monotonic() - began < self.budget:
                    log.info("%s lost a race (%s) on run %d; running it again", where, race, attempt)
                    await anyio.sleep(self.backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
                    continue
                if race:
                    log.warning("%s lost a race (%s) on run %d; answering 409", where, race, attempt)
                    await send_error(send, self._conflict(attempt))
                    return
                if unreachable(exc):
                    log.warning("%s: the database cannot be reached: %s", where, _brief(exc))
                    await send_error(send, self._unavailable())
                    return
                raise

    @staticmethod
    def _conflict(attempts: int) -> ConflictError:
        return ConflictError(
            f"Another request changed this at the same moment, and this one lost the race {attempts} times; "
            "nothing of it was saved.",
            "Call again: the same call is safe to repeat.",
            retryable=True,  # nothing was saved: the MCP server's client may send it again as it is
        )

    @staticmethod
    def _unavailable() -> BackendUnavailableError:
        return BackendUnavailableError(
            "The provider cannot reach its database right now.", "Try the same call again in a moment."
        )


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The whole request body, so every run of the request reads the same bytes; False if the caller left."""
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(parts), False
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(parts), True
