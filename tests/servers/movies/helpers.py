"""Small helpers the movies tests share: choosing showtimes from the real programme and buying through the tools."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mcp import Client
from sqlmodel import Session

from servers.movies.backend.catalog import ShowtimeRec
from tests.servers.food.helpers import err, ok
from tests.servers.movies.conftest import MoviesEnv

__all__ = ["buy", "err", "free_run", "ok", "pick", "status_of"]


def status_of(env: MoviesEnv) -> dict[str, list[ShowtimeRec]]:
    """Every showtime as of now, soonest first, grouped by status."""
    svc = env.service
    now = svc.now()
    recs = svc.catalog.ordered
    with Session(svc.engine) as session:
        remaining = svc.seating.remaining(session, [r.id for r in recs], now)
    out: dict[str, list[ShowtimeRec]] = {}
    for rec in recs:
        out.setdefault(svc.status(rec, sum(remaining[rec.id].values()), now), []).append(rec)
    return out


def pick(
    env: MoviesEnv, *, min_hours: float = 0, max_hours: float = 24 * 30, free: int = 6, tier: str = "STD", skip: int = 0
) -> ShowtimeRec:
    """The soonest on-sale showtime ``min_hours``–``max_hours`` ahead with ``free`` seats left in ``tier``."""
    svc = env.service
    now = svc.now()
    found = []
    with Session(svc.engine) as session:
        for rec in status_of(env).get("on_sale", []):
            if not timedelta(hours=min_hours) <= rec.starts_at - now <= timedelta(hours=max_hours):
                continue
            if svc.seating.remaining(session, [rec.id], now)[rec.id].get(tier, 0) >= free:
                found.append(rec)
            if len(found) > skip:
                break
    assert len(found) > skip, "no showtime in the fixtures matches"
    return found[skip]


def free_run(env: MoviesEnv, rec: ShowtimeRec, n: int, tier: str = "STD") -> list[str]:
    """``n`` free adjacent seat ids of one tier, read from the engine."""
    svc = env.service
    spec = svc.spec(rec.id)
    with Session(svc.engine) as session:
        taken = svc.seating.unavailable(session, spec, svc.now())
    seats = spec.layout.best_available(tier, n, taken)
    assert seats, "no free run"
    return [s.seat_id for s in seats]


async def buy(c: Client, showtime_id: str, quantity: int, tier: str = "STD") -> dict[str, Any]:
    """Hold best-available seats and buy them with the confirmation token; returns the order."""
    hold = await ok(c, "movies_hold_seats", {"showtime_id": showtime_id, "tier": tier, "quantity": quantity})
    quote = await ok(c, "movies_purchase", {"hold_id": hold["id"]})
    assert quote["status"] == "confirmation_required", quote
    done = await ok(
        c, "movies_purchase", {"hold_id": hold["id"], "confirmation_token": quote["quote"]["confirmation_token"]}
    )
    assert done["status"] == "done"
    return done["order"]  # type: ignore[no-any-return]
