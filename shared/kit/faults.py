"""Fault injection in the mocked providers, so agent builders can see how their agent copes with a bad day.

One setting describes the faults, ``LIFESTYLE_FAULTS`` (or ``FOOD_FAULTS``, ``TICKETS_FAULTS``, … for one
provider), e.g. ``latency=50ms,jitter=20ms,error=0.05,timeout=0.02,drop=0.02,db_down=0.01,seed=7``:

=========  ======================================================================================================
latency    added to every request before the provider reads it (``ms`` or ``s``)
jitter     latency varies by up to this much either way
error      share of requests answered ``503`` with the usual error body, before anything ran
timeout    share of requests that hang until the caller gives up (nothing ran)
drop       share of requests whose answer is lost *after* the provider ran and committed: the caller sees the
           connection break (in process: httpx's ``RemoteProtocolError``, as over the network)
db_down    share of requests for which the database is unreachable: its first statement fails as a lost
           connection would, and the provider answers ``503`` (nothing was changed)
seed       the random sequence, so a run can be repeated (each provider mixes in its own name)
=========  ======================================================================================================

Every request but the account's ``/auth`` and ``/admin`` routes and the API reference draws once: at most
one of error, timeout, drop or db_down (their shares add up to at most 1), after the latency. The
middleware sits inside the credential check and outside the clock and the ``Idempotency-Key`` replay, so a
dropped answer to a keyed write is already stored when the connection breaks and a retry gets it back (a seat
hold's retry finds the live hold itself: ``provider_app(own_retries=…)``).
``app.state.faults.injected`` counts what was injected.
"""

from __future__ import annotations

import logging
import random
import re
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any

import anyio
import httpx
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import BackendUnavailableError
from shared.kit.asgi import send_error

log = logging.getLogger(__name__)

SHARES = ("error", "timeout", "drop", "db_down")
DURATIONS = ("latency", "jitter")
EXEMPT = ("/auth/", "/admin/", "/docs", "/redoc", "/openapi.json")
"""Who is calling (token introspection), the sandbox's administration and the API reference are never faulted:
they are not the provider API an agent works with."""
HANG_LIMIT = 300.0
"""A timeout fault hangs until the caller gives up; a caller that never does gets a 504 after this many seconds."""
EXAMPLE = "latency=50ms,jitter=20ms,error=0.05,timeout=0.02,drop=0.02,db_down=0.01,seed=7"
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s)$")


class FaultSpecError(ValueError):
    """A ``LIFESTYLE_FAULTS`` value that cannot be read; the message says which part and how to write it."""


@dataclass(frozen=True)
class FaultPlan:
    """Which faults a provider injects, parsed from one setting (see the module docstring)."""

    latency: float = 0.0  # seconds
    jitter: float = 0.0  # seconds
    error: float = 0.0
    timeout: float = 0.0
    drop: float = 0.0
    db_down: float = 0.0
    seed: int = 0

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """``'latency=50ms,error=0.05,seed=7'`` → a plan; '' → no faults. Refuses anything it cannot read."""
        values: dict[str, Any] = {}
        known = [f.name for f in fields(cls)]
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                continue
            name, sep, raw = (s.strip() for s in part.partition("="))
            if not sep or name not in known:
                raise FaultSpecError(
                    f"fault setting {part[:40]!r} is not key=value with a known key: use {', '.join(known)}, "
                    f"e.g. {EXAMPLE!r}."
                )
            if name in values:
                raise FaultSpecError(f"fault setting {name!r} is given twice; give each key once.")
            values[name] = _value(name, raw)
        total = sum(values.get(name, 0.0) for name in SHARES)
        if total > 1 + 1e-9:
            raise FaultSpecError(
                f"the fault shares {', '.join(n for n in SHARES if n in values)} add up to {total:g}; each request "
                "gets at most one of them, so together they must be at most 1."
            )
        if values.get("jitter", 0.0) > values.get("latency", 0.0):
            raise FaultSpecError("fault setting jitter is larger than latency; jitter varies latency by ± itself.")
        return cls(**values)

    def __bool__(self) -> bool:
        return any((self.latency, self.jitter, *(getattr(self, name) for name in SHARES)))

    def describe(self) -> str:
        """The plan as a setting value (what ``parse`` reads back)."""
        parts = [f"{name}={getattr(self, name) * 1000:g}ms" for name in DURATIONS if getattr(self, name)]
        parts += [f"{name}={getattr(self, name):g}" for name in SHARES if getattr(self, name)]
        return ",".join([*parts, f"seed={self.seed}"])


def _value(name: str, raw: str) -> float | int:
    if name == "seed":
        if not re.fullmatch(r"-?\d{1,18}", raw):
            raise FaultSpecError(f"fault setting seed={raw[:20]!r} is not a whole number, e.g. seed=7.")
        return int(raw)
    if name in DURATIONS:
        found = _DURATION.match(raw)
        if found is None:
            raise FaultSpecError(
                f"fault setting {name}={raw[:20]!r} is not a duration with its unit: write e.g. {name}=50ms or "
                f"{name}=0.5s."
            )
        seconds = float(found[1]) / (1000 if found[2] == "ms" else 1)
        if seconds > 60:
            raise FaultSpecError(f"fault setting {name}={raw} is over a minute; use at most 60s.")
        return seconds
    share = raw[:-1] if raw.endswith("%") else raw
    try:
        value = float(share) / (100 if raw.endswith("%") else 1)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise FaultSpecError(
            f"fault setting {name}={raw[:20]!r} is not a share of requests: write a number from 0 to 1 (or a "
            f"percentage), e.g. {name}=0.05 or {name}=5%."
        )
    return value


# ----- the faults --------------------------------------------------------------------------------------------
class ResponseDropped(httpx.RemoteProtocolError):
    """The provider ran the request and committed, then its answer was lost on the way.

    Over the network the server closes the connection after the status line, and the caller's httpx
    raises its own ``RemoteProtocolError``. In process httpx's ASGI transport hands an app's exception to
    the caller as it is, so this *is* httpx's error: the caller sees the same failure either way.
    """


class DatabaseDown(OperationalError):
    """The database could not be reached for this request (an injected ``db_down``)."""

    def __init__(self, statement: str) -> None:
        super().__init__(statement, None, ConnectionRefusedError("the database is unreachable (injected fault)"))


_DOWN: ContextVar[bool] = ContextVar("lifestyle_db_down", default=False)


def _refuse_statements(
    _conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _executemany: bool
) -> None:
    # BEGIN goes through: the first real statement fails, as when a connection dies under a transaction.
    if _DOWN.get() and not statement.lstrip()[:5].upper().startswith("BEGIN"):
        raise DatabaseDown(statement)


def arm_database(engine: Engine) -> None:
    """Let ``db_down`` reach ``engine``: a statement run for a request marked down fails (once per engine)."""
    if not event.contains(engine, "before_cursor_execute", _refuse_statements):
        event.listen(engine, "before_cursor_execute", _refuse_statements)


class Faults:
    """One provider's plan, its seeded draws and the count of what it injected (``app.state.faults``)."""

    def __init__(self, plan: FaultPlan, name: str) -> None:
        self.plan = plan
        self.name = name
        self.random = random.Random(f"{plan.seed}:{name}")
        self.injected: Counter[str] = Counter()
        self._edges: list[tuple[float, str]] = []
        edge = 0.0
        for kind in SHARES:
            edge += getattr(plan, kind)
            self._edges.append((edge, kind))

    def draw(self) -> tuple[float, str]:
        """The next request's added latency and its fault ('' for none)."""
        plan = self.plan
        delay = plan.latency + (self.random.uniform(-plan.jitter, plan.jitter) if plan.jitter else 0.0)
        roll = self.random.random()
        kind = next((kind for edge, kind in self._edges if roll < edge), "")
        return max(0.0, delay), kind


class FaultInjector:
    """The ASGI middleware that injects a provider's ``Faults`` (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, faults: Faults) -> None:
        self.app = app
        self.faults = faults
        self.name = faults.name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT):
            await self.app(scope, receive, send)
            return
        delay, kind = self.faults.draw()
        if delay:
            self.faults.injected["latency"] += 1
            await anyio.sleep(delay)
        if not kind:
            await self.app(scope, receive, send)
            return
        self.faults.injected[kind] += 1
        log.info("fault injected: %s on %s %s", kind, scope["method"], scope["path"])
        if kind == "error":
            await send_error(send, self._unavailable("is temporarily unavailable", kind))
        elif kind == "timeout":
            await self._hang(receive, send)
        elif kind == "drop":
            await self._drop(scope, receive, send)
        else:
            await self._without_database(scope, receive, send)

    def _unavailable(self, what: str, kind: str) -> BackendUnavailableError:
        return BackendUnavailableError(
            f"The {self.name} provider {what}.", "Nothing was changed; retry in a moment.", fault=kind
        )

    async def _hang(self, receive: Receive, send: Send) -> None:
        with anyio.move_on_after(HANG_LIMIT):
            while (await receive())["type"] != "http.disconnect":
                pass
            return  # the caller gave up: nobody to answer
        await send_error(send, self._unavailable("took too long to answer", "timeout"))

    async def _drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self.app(scope, receive, hold)  # it ran (and committed, and stored its answer for replays)
        start = next((m for m in held if m["type"] == "http.response.start"), None)
        if start is not None:
            await send(start)  # the status line gets out; the body never does
        raise ResponseDropped(f"the {self.name} provider's answer to {scope['method']} {scope['path']} was lost")

    async def _without_database(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        down = _DOWN.set(True)
        try:
            await self.app(scope, receive, watch)
        except DatabaseDown:
            if started:
                raise
            await send_error(send, self._unavailable("cannot reach its database", "db_down"))
        finally:
            _DOWN.reset(down)


def install_faults(app: Any, plan: FaultPlan, *, name: str, engine: Engine) -> None:
    """Add the fault middleware to a provider app when the plan injects anything (else: nothing, no cost)."""
    if not plan:
        return
    if plan.db_down:
        arm_database(engine)
    app.state.faults = Faults(plan, name)
    app.add_middleware(FaultInjector, faults=app.state.faults)
    log.warning("%s provider: injecting faults %s", name, plan.describe())
