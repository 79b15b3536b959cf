"""The shared seating engine on real databases: layouts, best available, holds that lapse, sales, races.

The engine is shared code with no HTTP of its own, so it is exercised directly on a SQLite file and
on PostgreSQL; the verticals' tests drive the same engine through their MCP tools.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine

from shared.errors import ConflictError, InvalidInputError, NotFoundError
from shared.kit.db import make_engine, session_scope
from shared.schemas.seating import LayoutRow, LayoutSeat, LayoutSection, SeatLayout
from shared.seating import InventorySpec, SeatingEngine, compile_layout

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
TTL = timedelta(minutes=10)


def hall() -> SeatLayout:
    """A small cinema: 6 rows of 10, an aisle after seat 5, couple seats at the back, two wheelchair spaces."""
    rows = []
    for r in range(1, 7):
        seats = []
        for n in range(1, 11):
            x = n - 1 + (1 if n > 5 and r < 6 else 0)  # aisle between 5 and 6, except the couple row
            kind = "standard"
            if r == 6:
                kind = "couple_left" if n % 2 else "couple_right"
            if r == 1 and n in (1, 10):
                kind = "accessible"
            tier = "VIP" if r in (3, 4) else ("LOVE" if r == 6 else "STD")
            seats.append(LayoutSeat(number=n, x=x, kind=kind, tier=tier))
        rows.append(LayoutRow(label=str(r), rank=0, seats=seats))
    return SeatLayout(sections=[LayoutSection(code="H", name="Hall", centre_row="4", rows=rows)])


LAYOUT = compile_layout("test-hall", hall())
PRICES = {"STD": 1200, "VIP": 1600, "LOVE": 3000}


def spec_for(inventory_id: str) -> InventorySpec:
    if not inventory_id.startswith("shw_"):
        raise NotFoundError(f"No showtime {inventory_id!r}.", "Use a showtime id.")
    blocked = frozenset({"H-2-1", "H-2-2"}) if inventory_id == "shw_blocked" else frozenset()
    return InventorySpec(inventory_id, LAYOUT, PRICES, "EUR", blocked)


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, SeatingEngine]]:
    url = f"sqlite:///{tmp_path / 'seats.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    metadata = MetaData()
    seating = SeatingEngine(metadata, "test", spec_for)
    engine = make_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    try:
        yield engine, seating
    finally:
        metadata.drop_all(engine)
        engine.dispose()


def test_layout_rules() -> None:
    assert LAYOUT.tier_totals == Counter({"STD": 30, "VIP": 20, "LOVE": 10})
    with pytest.raises(InvalidInputError, match="couple"):
        LAYOUT.resolve(["H-6-1"])
    assert [s.seat_id for s in LAYOUT.resolve(["h-6-1", "H-6-2"])] == ["H-6-1", "H-6-2"]
    with pytest.raises(NotFoundError, match="H-9-9"):
        LAYOUT.resolve(["H-9-9"])
    with pytest.raises(InvalidInputError, match="twice"):
        LAYOUT.resolve(["H-1-2", "H-1-2"])
    with pytest.raises(ValueError, match="couple"):
        LayoutRow(label="X", seats=[LayoutSeat(number=1, x=0, kind="couple_left", tier="A")])


def test_best_available_prefers_centre_and_respects_aisles_and_couples() -> None:
    # centre row 4 (VIP rows are 3 and 4), centred horizontally around the aisle
    assert [s.seat_id for s in LAYOUT.best_available("VIP", 2, set())] in (["H-4-5", "H-4-6"], ["H-4-4", "H-4-5"])
    four = LAYOUT.best_available("VIP", 4, set())
    assert all(s.row == "4" for s in four)
    assert len({s.number > 5 for s in four}) == 1, "four seats side by side never straddle the aisle"
    # 6 seats side by side cannot exist (blocks of 5): empty unless a split is allowed
    assert LAYOUT.best_available("VIP", 6, set()) == []
    assert len(LAYOUT.best_available("VIP", 6, set(), allow_split=True)) == 6
    # couple seats come in whole pairs
    pair = LAYOUT.best_available("LOVE", 2, set())
    assert pair[0].kind == "couple_left" and pair[1].kind == "couple_right"
    assert LAYOUT.best_available("LOVE", 3, set()) == [], "three seats would cut a couple pair in half"


def test_hold_map_sell_refund_cycle(db: tuple[Engine, SeatingEngine]) -> None:
    engine, seating = db
    with session_scope(engine) as s:
        hold = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, tier="VIP", quantity=2, request_key="k1")
        assert hold.status == "held" and hold.total.amount_minor == 3200 and len(hold.seats) == 2
        again = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, tier="VIP", quantity=2, request_key="k1")
        assert again.hold_id == hold.hold_id, "a retried hold request holds once"
    with session_scope(engine) as s:
        m = seating.seat_map(s, "shw_1", now=NOW, user_id="usr_a")
        row4 = next(r for r in m.sections[0].rows if r.row == "4")
        assert row4.seats.count("y") == 2 and " " in row4.seats
        assert m.free == 58 and next(t for t in m.tiers if t.tier == "VIP").free == 18
        other = seating.seat_map(s, "shw_1", now=NOW, user_id="usr_b")
        assert next(r for r in other.sections[0].rows if r.row == "4").seats.count("x") == 2
        assert seating.remaining(s, ["shw_1"], NOW)["shw_1"] == {"STD": 30, "VIP": 18, "LOVE": 10}
        with pytest.raises(ConflictError, match="no longer available"):
            seating.hold(s, "shw_1", user_id="usr_b", now=NOW, ttl=TTL, seat_ids=[hold.seats[0].seat_id])
        with pytest.raises(NotFoundError):
            seating.sell(s, hold.hold_id, user_id="usr_b", order_id="ord_x", now=NOW)
    with session_scope(engine) as s:
        sold = seating.sell(s, hold.hold_id, user_id="usr_a", order_id="ord_1", now=NOW + timedelta(minutes=1))
        assert sold.status == "sold"
        assert seating.sell(s, hold.hold_id, user_id="usr_a", order_id="ord_1", now=NOW).status == "sold"
        with pytest.raises(ConflictError, match="already bought"):
            seating.release(s, hold.hold_id, user_id="usr_a", now=NOW)
    later = NOW + timedelta(hours=1)
    with session_scope(engine) as s:  # sold seats never lapse
        assert seating.remaining(s, ["shw_1"], later)["shw_1"]["VIP"] == 18
        assert seating.user_seat_count(s, "usr_a", ["shw_1"], later) == 2
        assert seating.unsell(s, "ord_1", [x.seat_id for x in hold.seats]) == 2
        assert seating.remaining(s, ["shw_1"], later)["shw_1"]["VIP"] == 20


def test_holds_lapse_by_themselves(db: tuple[Engine, SeatingEngine]) -> None:
    engine, seating = db
    with session_scope(engine) as s:
        hold = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, seat_ids=["H-1-3", "H-1-4"])
    after = NOW + TTL
    with session_scope(engine) as s:
        assert seating.get_hold(s, hold.hold_id, user_id="usr_a", now=after).status == "expired"
        assert seating.remaining(s, ["shw_1"], after)["shw_1"]["STD"] == 30
        with pytest.raises(ConflictError, match="expired"):
            seating.sell(s, hold.hold_id, user_id="usr_a", order_id="ord_1", now=after)
    with session_scope(engine) as s:  # someone else takes the lapsed seats
        taken = seating.hold(s, "shw_1", user_id="usr_b", now=after, ttl=TTL, seat_ids=["H-1-4"])
        assert taken.status == "held"
    with session_scope(engine) as s:
        rows = s.connection().execute(select(seating.claims.c.seat_id, seating.claims.c.user_id)).all()
        assert dict(rows) == {"H-1-3": "usr_a", "H-1-4": "usr_b"}, "only the lapsed claim that was wanted is replaced"
        released = seating.release(s, taken.hold_id, user_id="usr_b", now=after)
        assert released.status == "released"
        assert seating.release(s, taken.hold_id, user_id="usr_b", now=after).status == "released"


def test_bad_requests_change_nothing(db: tuple[Engine, SeatingEngine]) -> None:
    engine, seating = db
    cases = [
        {"seat_ids": ["H-2-1"], "inventory": "shw_blocked"},
        {"tier": "GOLD", "quantity": 1},
        {"tier": "VIP", "quantity": 0},
        {"tier": "VIP", "quantity": 11},
        {"seat_ids": ["H-1-1"], "tier": "VIP", "quantity": 1},
        {"seat_ids": ["H-6-2"]},
    ]
    for case in cases:
        inventory = str(case.pop("inventory", "shw_1"))
        with pytest.raises((ConflictError, InvalidInputError)), session_scope(engine) as s:
            seating.hold(s, inventory, user_id="usr_a", now=NOW, ttl=TTL, **case)  # type: ignore[arg-type]
    with session_scope(engine) as s:
        assert s.connection().execute(select(seating.claims)).all() == []
        assert s.connection().execute(select(seating.holds)).all() == []


def test_racing_holds_and_sales_sell_each_seat_once(db: tuple[Engine, SeatingEngine]) -> None:
    """Twelve threads race for the same few seats (explicit and best available) and buy what they get."""
    engine, seating = db
    wanted = [["H-4-4", "H-4-5"], ["H-4-5", "H-4-6"], ["H-4-6", "H-4-7"], ["H-4-5"]]
    barrier = threading.Barrier(12)
    outcomes: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        barrier.wait()
        for round_ in range(4):
            try:
                with session_scope(engine) as s:
                    kwargs = (
                        {"seat_ids": wanted[(i + round_) % len(wanted)]} if i % 2 else {"tier": "VIP", "quantity": 2}
                    )
                    hold = seating.hold(s, "shw_race", user_id=f"usr_{i}", now=NOW, ttl=TTL, **kwargs)  # type: ignore[arg-type]
                with session_scope(engine) as s:
                    seating.sell(s, hold.hold_id, user_id=f"usr_{i}", order_id=f"ord_{i}_{round_}", now=NOW)
                with lock:
                    outcomes.append("sold")
            except ConflictError:
                with lock:
                    outcomes.append("refused")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 48
    with session_scope(engine) as s:
        claims = s.connection().execute(select(seating.claims.c.seat_id, seating.claims.c.order_id)).all()
        holds = s.connection().execute(select(seating.holds.c.order_id, seating.holds.c.seats)).all()
    seat_ids = [c[0] for c in claims]
    assert len(seat_ids) == len(set(seat_ids)), "a seat was claimed twice"
    by_order: dict[str, set[str]] = {}
    for seat_id, order_id in claims:
        assert order_id, "every surviving claim was sold"
        by_order.setdefault(order_id, set()).add(seat_id)
    paid = {order_id: {seat for seat, _ in seats} for order_id, seats in holds if order_id}
    assert paid == by_order, "every paid order holds exactly its seats"
    assert outcomes.count("sold") == len(paid) and outcomes.count("refused") > 0
    assert sum(len(v) for v in paid.values()) <= 20


def test_wheelchair_spaces_only_when_asked() -> None:
    everything_but_two = {s for s in LAYOUT.seats if s.startswith("H-1-") and s not in ("H-1-1", "H-1-2", "H-1-10")}
    rest = everything_but_two | {s for s in LAYOUT.seats if s.split("-")[1] in ("2", "5")}
    picked = LAYOUT.best_available("STD", 1, rest)
    assert [s.seat_id for s in picked] == ["H-1-2"], "the wheelchair spaces H-1-1 and H-1-10 are skipped"
    assert LAYOUT.best_available("STD", 1, rest | {"H-1-2"}) == []
    assert LAYOUT.best_available("STD", 1, rest | {"H-1-2"}, accessible=True)[0].accessible


def test_per_user_limit_and_retries_find_the_first_hold(db: tuple[Engine, SeatingEngine]) -> None:
    engine, seating = db
    with session_scope(engine) as s:
        first = seating.hold(
            s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, tier="STD", quantity=3, limit=4, request_key="r1"
        )
        assert seating.find_hold(s, "shw_1", user_id="usr_a", request_key="r1", now=NOW) == first
        retry = seating.hold(
            s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, tier="STD", quantity=3, limit=4, request_key="r1"
        )
        assert retry.hold_id == first.hold_id, "a retry is not counted against the limit"
        with pytest.raises(ConflictError, match="limit is 4"):
            seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, tier="STD", quantity=2, limit=4)
        assert seating.hold(s, "shw_1", user_id="usr_b", now=NOW, ttl=TTL, tier="STD", quantity=4, limit=4)
    with session_scope(engine) as s:  # once the hold lapses it no longer counts
        assert seating.find_hold(s, "shw_1", user_id="usr_a", request_key="r1", now=NOW + TTL) is None
        seating.hold(s, "shw_1", user_id="usr_a", now=NOW + TTL, ttl=TTL, tier="STD", quantity=4, limit=4)


def test_best_available_wheelchair_spaces_by_request(db: tuple[Engine, SeatingEngine]) -> None:
    engine, seating = db
    row1 = [f"H-1-{n}" for n in range(2, 10)]
    with session_scope(engine) as s:  # every standard STD seat but row 1's spaces is gone
        seating.hold(s, "shw_1", user_id="usr_b", now=NOW, ttl=TTL, seat_ids=row1)
        for r in ("2", "5"):
            seating.hold(s, "shw_1", user_id="usr_b", now=NOW, ttl=TTL, seat_ids=[f"H-{r}-{n}" for n in range(1, 11)])
    with session_scope(engine) as s, pytest.raises(ConflictError):
        seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, tier="STD", quantity=1)
    with session_scope(engine) as s:
        hold = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, tier="STD", quantity=1, accessible=True)
        assert hold.seats[0].kind == "accessible"
        m = seating.seat_map(s, "shw_1", now=NOW, user_id="usr_a")
        row = next(r for r in m.sections[0].rows if r.row == "1")
        assert row.seats.count("y") == 1 and row.seats.count("a") == 1 and row.free == 1


def test_near_best_lists_the_best_windows_first() -> None:
    windows = LAYOUT.near_best("VIP", 2, {"H-4-5"}, 3)
    assert len(windows) == 3
    assert windows[0] == LAYOUT.best_available("VIP", 2, {"H-4-5"})
    for w in windows:
        assert len(w) == 2 and "H-4-5" not in {s.seat_id for s in w} and w[1].x == w[0].x + 1
    assert len({tuple(s.seat_id for s in w) for w in windows}) == 3


def test_the_same_seats_again_return_the_live_hold(db: tuple[Engine, SeatingEngine]) -> None:
    engine, seating = db
    with session_scope(engine) as s:
        first = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, seat_ids=["H-1-3", "H-1-4"])
        again = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, seat_ids=["h-1-4", "H-1-3"])
        assert again.hold_id == first.hold_id, "a retry naming the same seats holds once"
        with pytest.raises(ConflictError, match="no longer available"):
            seating.hold(s, "shw_1", user_id="usr_b", now=NOW, ttl=TTL, seat_ids=["H-1-3", "H-1-4"])
        assert len(s.connection().execute(select(seating.holds)).all()) == 1
