"""The sandbox clock: one simulated "now" for every server and every restart, kept in the database.

It also carries the version of the sandbox's address books (``book_version``), read with the time,
so a cached answer that depends on a user's addresses is known to be stale in every process.

The row says where simulated time stood at a moment of real (wall-clock) time and how fast it runs,
so every process computes the same instant without talking to the others. A process re-reads the
row at the start of every provider request (``refresh``), and otherwise at most once a second, so a
change made anywhere (``lifestyle-mcp clock advance``, a test) is seen by the next request
everywhere. Time never runs backwards by itself: a wall clock that steps back is ignored, and only
an explicit ``set(…, backwards=True)`` moves the clock back.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from shared.clock import SimClock, utc
from shared.errors import InvalidInputError
from shared.geo import CITY_TZ
from shared.kit.db import session_scope

from .models import StateRow

STALE_AFTER_S = 1.0
SKEW_KEPT_S = 60.0
"""How long the best (quickest) skew sample stands before any sample may replace it (hosts' clocks drift)."""
MAX_SCALE = 1_000_000.0  # a year in 32 real seconds
MAX_JUMP = timedelta(days=3650)
MAX_RUN = timedelta(days=365 * 100)  # however long a fast clock runs, it stops a century ahead
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
READ_STATE = "SELECT sim_anchor, real_anchor, scale, clock_version, book_version FROM account_state WHERE id = 1"
PG_WALL = "SELECT extract(epoch from clock_timestamp())"
READ_STATE_PG = (
    "SELECT sim_anchor, real_anchor, scale, clock_version, book_version, extract(epoch from clock_timestamp()) "
    "FROM account_state WHERE id = 1"
)
"""The state and the database host's wall clock in one round trip."""


class SkewEstimate:
    """How far the database host's wall clock is ahead of ours, estimated as NTP does.

    A read of the database's ``clock_timestamp()`` that took ``rtt`` seconds there and back says the database's
    time at the middle of the round trip, give or take ``rtt / 2``. Taking each read at its word would let one
    slow read (a busy machine, a long queue) set this process's sandbox time back by that wait, which at a fast
    sandbox clock (1,200× in the benchmarks, more in evaluations) is minutes: a hold would then look live here
    after another process has already seen it lapse. So the quickest sample stands, and a slower one replaces
    it only after ``SKEW_KEPT_S``, as hosts' clocks drift.
    """

    def __init__(self) -> None:
        self.value = 0.0
        self.rtt = math.inf
        self._taken = -math.inf

    def observe(self, db_wall: float, sent: float, received: float) -> None:
        rtt = max(received - sent, 0.0)
        taken = time.monotonic()
        if rtt <= self.rtt or taken - self._taken > SKEW_KEPT_S:
            self.value, self.rtt, self._taken = db_wall - (sent + received) / 2, rtt, taken


class SandboxClock(SimClock):
    """A ``SimClock`` whose anchor lives in the sandbox database (``account_clock``)."""

    def __init__(self, engine: Engine) -> None:  # no super().__init__: the anchor is the row's
        self.engine = engine
        self._lock = threading.Lock()
        self._through = threading.local()
        self._skew = SkewEstimate()  # the database host's wall clock minus ours (PostgreSQL), so hosts agree
        self._sim = datetime(2000, 1, 1, tzinfo=UTC)
        self._real = 0.0
        self._scale = 0.0
        self._version = -1
        self.book_version = 0
        self._read_at = float("-inf")
        self._last: datetime | None = None
        self.refresh()

    # ----- reading ------------------------------------------------------------------------------
    @property
    def scale(self) -> float:
        with self._lock:
            return self._scale

    def refresh(self) -> None:
        """Read the row again (the provider does this at the start of every request).

        A plain read on a pooled connection, outside any SQLAlchemy transaction: on SQLite every
        transaction here begins IMMEDIATE (takes the write lock), and a read before every request
        must not queue behind the writers.
        """
        session = getattr(self._through, "session", None)
        if session is not None:
            self._read(session)
            return
        postgres = self.engine.dialect.name == "postgresql"
        raw = self.engine.raw_connection()
        try:
            if postgres:  # one read on its own: no transaction to open and roll back (two round trips fewer)
                raw.driver_connection.autocommit = True  # type: ignore[union-attr]
            cursor = raw.cursor()
            sent = time.time()
            cursor.execute(READ_STATE_PG if postgres else READ_STATE)
            found = cursor.fetchone()
            received = time.time()
            cursor.close()
            if not postgres:
                raw.rollback()  # nothing to end on SQLite, but say so to the pool
        finally:
            if postgres:
                raw.driver_connection.autocommit = False  # type: ignore[union-attr]
            raw.close()
        if found is not None and postgres:  # servers on several hosts: measure time on the database's
            self._skew.observe(float(found[5]), sent, received)
            found = found[:5]
        if found is None:
            raise RuntimeError("the sandbox has no state row: open it with shared.account.open_sandbox")
        sim, real, scale, clock_version, book_version = found
        sim = datetime.fromisoformat(sim) if isinstance(sim, str) else sim
        with self._lock:
            self._keep_values(sim, float(real), float(scale), int(clock_version), int(book_version))

    @contextmanager
    def through(self, session: Session) -> Iterator[None]:
        """Read the row through ``session``'s transaction in this block (this thread only): while a vertical
        seeds in its schema turn on SQLite, a second connection would wait for the very lock the turn holds."""
        self._through.session = session
        try:
            self.refresh()
            yield
        finally:
            self._through.session = None

    def _read(self, session: Session) -> None:
        row = session.get(StateRow, 1)
        if row is None:
            raise RuntimeError("the sandbox has no state row: open it with shared.account.open_sandbox")
        with self._lock:
            self._keep(row)

    def now(self) -> datetime:
        """The simulated now, in the city's time zone."""
        if time.monotonic() - self._read_at > STALE_AFTER_S:
            self.refresh()
        with self._lock:
            return self._now_locked().astimezone(CITY_TZ)

    def _keep(self, row: StateRow) -> None:
        self._keep_values(row.sim_anchor, row.real_anchor, row.scale, row.clock_version, row.book_version)

    def _keep_values(self, sim: datetime, real: float, scale: float, clock_version: int, book_version: int) -> None:
        if clock_version != self._version:
            self._last = None  # a deliberate change: its instant stands, even if earlier
        self._sim, self._real, self._scale = utc(sim), real, scale
        self._version, self.book_version = clock_version, book_version
        self._read_at = time.monotonic()

    def _now_locked(self) -> datetime:
        value = _at(self._sim, self._real, self._scale, self.wall())
        if self._last is not None and value < self._last:
            value = self._last  # the wall clock stepped back: simulated time waits instead
        self._last = value
        return value

    def wall(self) -> float:
        """Wall-clock seconds since the epoch as the sandbox's database host tells them (ours on SQLite)."""
        return time.time() + self._skew.value

    # ----- changing -----------------------------------------------------------------------------
    def change(
        self,
        *,
        set_to: datetime | None = None,
        advance: timedelta = timedelta(0),
        scale: float | None = None,
        backwards: bool = False,
    ) -> datetime:
        """Jump to ``set_to`` and/or move forward by ``advance``, and/or change the speed: checked as a whole
        first, then done in one transaction (a refused change changes nothing)."""
        if set_to is not None and set_to.tzinfo is None:
            raise InvalidInputError(
                f"set_to {set_to.isoformat()} has no UTC offset.", "Give the time with an offset, e.g. +02:00."
            )
        if advance < timedelta(0) or advance > MAX_JUMP:
            raise InvalidInputError(
                f"Advancing by {advance} is out of range.", f"Move forward by 0 to {MAX_JUMP.days} days at a time."
            )
        if scale is not None and not (math.isfinite(scale) and 0 <= scale <= MAX_SCALE):
            raise InvalidInputError(
                f"scale {scale} is not a speed.", f"Pass 0 to freeze, 1 for real time, or up to {MAX_SCALE:,.0f}."
            )
        with session_scope(self.engine) as session:
            row = session.exec(select(StateRow).where(StateRow.id == 1).with_for_update()).one()
            wall = self.wall()
            current = _at(utc(row.sim_anchor), row.real_anchor, row.scale, wall)
            target = (utc(set_to) if set_to is not None else current) + advance
            if not EARLIEST <= target <= LATEST:
                raise InvalidInputError(
                    f"{target:%Y-%m-%d} is outside the years the sandbox keeps ({EARLIEST:%Y}–{LATEST:%Y}).",
                    "Pass a time within them.",
                )
            if target < current and not backwards:
                raise InvalidInputError(
                    f"{target.astimezone(CITY_TZ):%Y-%m-%d %H:%M:%S} is earlier than the sandbox's now "
                    f"({current.astimezone(CITY_TZ):%Y-%m-%d %H:%M:%S}); the clock does not go back unless asked.",
                    "Pass a later time, or allow going back explicitly (--backwards); orders may then look undone.",
                )
            row.sim_anchor, row.real_anchor = target, wall
            row.scale = _speed(row.scale) if scale is None else scale
            row.clock_version += 1
            session.add(row)
        with self._lock:
            self._keep(row)
        return target

    def freeze(self, at: datetime | None = None, *, backwards: bool = False) -> datetime:
        """Stop time (at ``at`` if given) and return the frozen instant."""
        return self.change(set_to=at, scale=0.0, backwards=backwards)

    def set(self, at: datetime, *, backwards: bool = False) -> None:
        self.change(set_to=at, backwards=backwards)

    def advance(self, delta: timedelta) -> datetime:
        return self.change(advance=delta)

    def run(self, scale: float) -> None:
        """Let time flow from now at ``scale`` simulated seconds per real second (0 freezes)."""
        self.change(scale=scale)


def _speed(scale: float) -> float:
    """A stored speed as a usable one (a row written before speeds were checked may hold inf or nan)."""
    return scale if math.isfinite(scale) and 0 <= scale <= MAX_SCALE else 0.0


def _at(sim: datetime, real: float, scale: float, wall: float) -> datetime:
    """Simulated time at wall-clock time ``wall``, for a clock anchored at ``sim`` when the wall clock read ``real``."""
    seconds = min(max(0.0, wall - real) * _speed(scale), MAX_RUN.total_seconds())
    return min(sim + timedelta(seconds=seconds), LATEST)


def new_clock_row(start: datetime | None, scale: float, wall: float | None = None) -> StateRow:
    """The clock a new sandbox starts with: at ``start`` (default: now), running at ``scale`` from wall-clock time
    ``wall`` (default: this host's)."""
    if start is not None and start.tzinfo is None:
        raise ValueError("the sandbox clock start must be timezone-aware")
    if not (math.isfinite(scale) and 0 <= scale <= MAX_SCALE):
        raise ValueError(f"time_scale {scale} is not a speed: 0 (frozen) to {MAX_SCALE:,.0f}")
    anchor = (start or datetime.now(UTC)).astimezone(UTC)  # stored in UTC: SQLite keeps no offset
    return StateRow(id=1, sim_anchor=anchor, real_anchor=time.time() if wall is None else wall, scale=scale)
