"""The simulated clock that order and hold lifecycles follow.

Lifecycles are derived from timestamps at read time (no background jobs), so the only thing
that must be controllable is "now". A ``SimClock`` runs at a configurable speed from an
anchor and can be frozen, set and advanced, which lets tests walk an order from placed to
delivered deterministically and lets a demo compress an hour of delivery into a minute.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from shared.geo import CITY_TZ


def utc(value: datetime) -> datetime:
    """Databases (SQLite) may hand back naive datetimes; everything is stored in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local(value: datetime) -> datetime:
    """The same instant in the city's time zone (a naive value is read as UTC)."""
    return utc(value).astimezone(CITY_TZ)


class SimClock:
    """Simulated wall clock: ``now() = anchor + (monotonic elapsed) * scale``.

    ``scale=0`` freezes time. Thread-safe, because sync backend handlers run in a pool.
    """

    def __init__(self, start: datetime | None = None, scale: float = 1.0) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("SimClock start must be timezone-aware")
        self._lock = threading.Lock()
        self._anchor = start or datetime.now(UTC)
        self._anchor_mono = time.monotonic()
        self._scale = scale

    @property
    def scale(self) -> float:
        return self._scale

    def now(self) -> datetime:
        with self._lock:
            return self._now_locked()

    def _now_locked(self) -> datetime:
        elapsed = (time.monotonic() - self._anchor_mono) * self._scale
        return self._anchor + timedelta(seconds=elapsed)

    def _reanchor(self, at: datetime, scale: float) -> None:
        self._anchor = at
        self._anchor_mono = time.monotonic()
        self._scale = scale

    def freeze(self, at: datetime | None = None) -> datetime:
        """Stop time (at ``at`` if given) and return the frozen instant."""
        with self._lock:
            target = at or self._now_locked()
            self._reanchor(target, 0.0)
            return target

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("SimClock.set needs a timezone-aware datetime")
        with self._lock:
            self._reanchor(at, self._scale)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            target = self._now_locked() + delta
            self._reanchor(target, self._scale)
            return target

    def run(self, scale: float) -> None:
        """Let time flow again at ``scale`` simulated seconds per real second."""
        with self._lock:
            self._reanchor(self._now_locked(), scale)
