"""``Idempotency-Key`` for every write of every provider API, as payment APIs honour it.

A client that did not hear the answer to a write (a timeout, a dropped connection) sends it again
with the same key; the provider answers with the first answer instead of acting twice. A key is
the caller's own (two users' keys never meet), is bound to the exact request it first came with
(the same key on another request is refused), and a retry that arrives while the first attempt
is still running is told so rather than run beside it. Only successes are kept: a refused request
changed nothing (that is the rule everywhere here), so running it again is safe, and a retry after
the cause is fixed (a wallet topped up, a seat freed) must not get the old refusal. Answers are
kept for a day.

A confirmation token sent as the key is left to the desk that issued it, which knows its own retries (see
``__call__``). A route that recognises its own retries is left out too (``own_retries``): holding seats records the
request on the hold itself and, in the user's turn, returns the live hold a retry asks for again
(``SeatingEngine.hold``), which also serves a retry that arrives while the first attempt runs. Keeping its answers
here as well cost the hot path of an on-sale rush two commits and two thread hops per hold (bench_holds: about 30%
of the provider's CPU per hold).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import anyio.to_thread
from sqlalchemy import bindparam, delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import ConflictError, InvalidInputError, LifestyleError
from shared.kit.asgi import send_error
from shared.kit.db import session_scope, statement_scope, upsert
from shared.kit.signing import ServiceKey

from .models import IdempotencyRow

HEADER = "idempotency-key"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEEP = timedelta(days=1)
TOKEN_PREFIX = "cft_"  # a confirmation token sent as the key (shared.account.checkout)
ABANDONED_AFTER = timedelta(seconds=60)  # a first attempt that never finished (its process died)
MAX_KEY = 255
PRUNE_EVERY = 512
"""Keys recorded by one process between two sweeps of answers older than ``KEEP``."""
_NEW = {"status": 0, "body": b"", "content_type": ""}


def _valid(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY and all(33 <= ord(c) <= 126 for c in key)


class IdempotencyMiddleware:
    def __init__(
        self, app: ASGIApp, *, engine: Engine, keys: ServiceKey, own_retries: frozenset[tuple[str, str]] = frozenset()
    ) -> None:
        self.app = app
        self.engine = engine
        self.keys = keys
        self.own_retries = own_retries
        self._table = IdempotencyRow.__table__  # type: ignore[attr-defined]
        record = upsert(engine.dialect.name, self._table)
        self._record = record.on_conflict_do_nothing(index_elements=["user_id", "key"])
        # Built once: every write ends here, and building an UPDATE per request cost more than running it.
        t = self._table
        mine = (t.c.user_id == bindparam("who")) & (t.c.key == bindparam("which"))
        self._keep = (
            update(t)
            .where(mine)
            .values(status=bindparam("kept_status"), content_type=bindparam("kept_type"), body=bindparam("kept_body"))
        )
        self._forget = delete(t).where(mine)
        self._recorded = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        if scope["type"] != "http" or method not in WRITES or (method, scope["path"]) in self.own_retries:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(HEADER)
        if key is None or key.startswith(TOKEN_PREFIX):
            # A confirmation token is its own idempotency key, kept by the desk: ``Checkout.redeem`` locks it, so a
            # retry waits for the first use, and a used token is answered with what it made only after the
            # arguments are checked against its quote (``require_as_asked``). A kept answer replayed here skipped
            # that check: a retry with another deliver_at or note was told "done".
            await self.app(scope, receive, send)
            return
        if not _valid(key):
            await send_error(send, InvalidInputError(
                "The Idempotency-Key header must be 1–255 printable ASCII characters.",
                "Send an id such as a confirmation token or a UUID.",
            ))  # fmt: skip
            return
        caller = scope.get("state", {}).get("caller")  # checked already by ServiceCredentials
        if caller is None:
            try:
                caller = self.keys.check(headers.get("authorization"), scope="")
            except LifestyleError:
                await self.app(scope, receive, send)  # the route refuses the missing credential itself
                return
        user = caller.user_id
        body = await _read_body(receive)
        digest = hashlib.sha256(
            b"\0".join([scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), body])
        ).hexdigest()
        found = await anyio.to_thread.run_sync(self._begin, user, key, digest)
        if isinstance(found, LifestyleError):
            await send_error(send, found)
            return
        if found is not None:
            await _replay(send, found)
            return
        await self._first(scope, body, send, user, key)

    def _begin(self, user: str, key: str, digest: str) -> IdempotencyRow | LifestyleError | None:
        """The stored answer to replay, an error to send, or None: this request is the first (now recorded).

        Every write passes here, so the common case — a key never seen — is one statement that records it
        (``INSERT … ON CONFLICT DO NOTHING``, committing by itself); only a key seen before is read back.
        """
        now = datetime.now(UTC)
        with statement_scope(self.engine) as conn:
            recorded = conn.execute(self._record, {**_NEW, "user_id": user, "key": key, "fingerprint": digest,
                                                   "created_at": now}).rowcount  # fmt: skip
        self._recorded += 1
        if self._recorded % PRUNE_EVERY == 0:
            self._prune(now)
        return None if recorded else self._seen_before(user, key, digest, now)

    def _seen_before(self, user: str, key: str, digest: str, now: datetime) -> IdempotencyRow | LifestyleError | None:
        try:
            with session_scope(self.engine) as session:
                row = session.get(IdempotencyRow, (user, key))
                started = row.created_at.replace(tzinfo=row.created_at.tzinfo or UTC) if row is not None else now
                if row is not None and now - started > KEEP:  # kept answers last a day; this key is new again
                    session.delete(row)
                    session.flush()
                    row = None
                if row is not None:
                    if row.fingerprint != digest:
                        return _reused(key)
                    if row.status:
                        return row
                    if now - started < ABANDONED_AFTER:
                        return _still_running()
                    session.delete(row)
                    session.flush()
                session.add(IdempotencyRow(user_id=user, key=key, fingerprint=digest, created_at=now))
        except IntegrityError:  # another first attempt got in at the same moment
            return _still_running()
        return None

    def _prune(self, now: datetime) -> None:
        """Forget answers older than a day (every ``PRUNE_EVERY`` keys recorded here, not on every write)."""
        with statement_scope(self.engine) as conn:
            conn.execute(delete(self._table).where(self._table.c.created_at < now - KEEP))

    async def _first(self, scope: Scope, body: bytes, send: Send, user: str, key: str) -> None:
        status = 0
        content_type = ""
        chunks: list[bytes] = []
        delivered = False
        complete = False

        async def receive_again() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def keep(message: Message) -> None:
            nonlocal status, content_type, complete
            if message["type"] == "http.response.start":
                status = message["status"]
                content_type = Headers(raw=message.get("headers", [])).get("content-type", "")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        try:
            await self.app(scope, receive_again, keep)
        finally:
            # Shielded: a caller that gave up (its deadline cancelled this request in process) must still leave
            # the answer for its retry, or the key would read "still being processed" until it is abandoned.
            with anyio.CancelScope(shield=True):
                kept = status if complete else 0  # half an answer is no answer: the retry runs again
                await anyio.to_thread.run_sync(self._finish, user, key, kept, content_type, b"".join(chunks))

    def _finish(self, user: str, key: str, status: int, content_type: str, body: bytes) -> None:
        """Keep a success for the retries (one statement); forget anything else, so a retry runs again."""
        mine = {"who": user, "which": key}
        with statement_scope(self.engine) as conn:
            if 200 <= status < 300:
                conn.execute(self._keep, {**mine, "kept_status": status, "kept_type": content_type, "kept_body": body})
            else:
                conn.execute(self._forget, mine)


def _reused(key: str) -> InvalidInputError:
    """A key sent again with another request (a confirmation token never comes here: its desk answers it)."""
    return InvalidInputError(
        "This Idempotency-Key was already used for a different request.",
        "Use a new key for a new request; reuse a key only to retry the very same one.",
    )


def _still_running() -> ConflictError:
    """A retry that arrived while the first attempt is still running: worth sending again in a moment (the
    backend client does, as ``retryable`` asks), and it may yet act (``in_progress``)."""
    return ConflictError(
        "A request with this Idempotency-Key is still being processed.",
        "Wait a moment and retry with the same key to get its answer.",
        retryable=True,
        in_progress=True,
    )


async def _read_body(receive: Receive) -> bytes:
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _replay(send: Send, row: IdempotencyRow) -> None:
    headers = [(b"idempotent-replayed", b"true"), (b"content-length", str(len(row.body)).encode())]
    if row.content_type:
        headers.append((b"content-type", row.content_type.encode()))
    await send({"type": "http.response.start", "status": row.status, "headers": headers})
    await send({"type": "http.response.body", "body": row.body})
