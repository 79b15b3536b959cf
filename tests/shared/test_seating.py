"""The shared seating engine on real databases: layouts, best available, holds that lapse, sales, races.

The engine is shared code with no HTTP of its own, so it is exercised directly on a SQLite file and
on PostgreSQL; the verticals' tests drive the same engine through their MCP tools. Best available is
also checked on every layout the fixtures have: every event's zoning of its venue and every screen.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, insert, select
from sqlalchemy.engine import Engine

from servers.movies.backend.catalog import CinemaRec
from servers.tickets.backend.catalog import Catalog, EventRec, VenueRec
from servers.tickets.backend.inventory import Inventory
from shared.errors import ConflictError, InvalidInputError, NotFoundError
from shared.kit.db import make_engine, session_scope
from shared.kit.settings import REPO_FIXTURES
from shared.schemas.seating import SEAT_ID_FORMAT, LayoutRow, LayoutSeat, LayoutSection, SeatLayout
from shared.seating import CompiledLayout, InventorySpec, SeatInfo, SeatingEngine, compile_layout

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
TTL = timedelta(minutes=10)
SEAT_ID = re.compile(r"^[A-Z0-9_]+-ROW[A-Z0-9]+-SEAT\d+$")


def sid(row: int | str, number: int) -> str:
    """A seat id of the test hall."""
    return f"H-ROW{row}-SEAT{number}"


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
    blocked = frozenset({sid(2, 1), sid(2, 2)}) if inventory_id == "shw_blocked" else frozenset()
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
        LAYOUT.resolve([sid(6, 1)])
    assert [s.seat_id for s in LAYOUT.resolve(["h-row6-seat1", sid(6, 2)])] == [sid(6, 1), sid(6, 2)]
    with pytest.raises(NotFoundError, match=sid(9, 9)):
        LAYOUT.resolve([sid(9, 9)])
    with pytest.raises(InvalidInputError, match="twice"):
        LAYOUT.resolve([sid(1, 2), sid(1, 2)])
    with pytest.raises(ValueError, match="couple"):
        LayoutRow(label="X", seats=[LayoutSeat(number=1, x=0, kind="couple_left", tier="A")])


def test_seat_ids_read_on_their_own_and_the_older_ids_still_mean_the_same_seats() -> None:
    assert sid(4, 5) in LAYOUT.seats and all(SEAT_ID.match(s) and len(s) <= 100 for s in LAYOUT.seats)
    assert "SEAT" in SEAT_ID_FORMAT and "STL-ROW5-SEAT12" in SEAT_ID_FORMAT and "STL-5-12" in SEAT_ID_FORMAT
    assert [s.seat_id for s in LAYOUT.resolve(["H-4-5", "h-4-6"])] == [sid(4, 5), sid(4, 6)]
    assert LAYOUT.canonical("H-1-1") == sid(1, 1) and LAYOUT.seat("h-1-1").label == "Hall, row 1, wheelchair space 1"
    with pytest.raises(InvalidInputError, match="twice"):
        LAYOUT.resolve(["H-4-5", sid(4, 5)])  # the same seat under both names
    standing = club_floor(places=2)
    assert list(standing.seats) == ["GA-PLACE1", "GA-PLACE2", "GA-PLACE3", "GA-PLACE4"]
    assert standing.canonical("GA-2-1") == "GA-PLACE3" and standing.seats["GA-PLACE3"].label == "Floor, place 3"
    movie = compile_layout("screen", SeatLayout(sections=[LayoutSection(
        code="SALI1", legacy_code="H", name="Sali 1", rows=[LayoutRow(label="H", seats=[
            LayoutSeat(number=15, x=0, tier="STD")])])]))  # fmt: skip
    assert movie.canonical("H-H-15") == "SALI1-ROWH-SEAT15"  # the id that read as 'hall H, row H'


def test_a_seat_named_by_its_row_and_number_is_that_seat_where_one_section_has_it() -> None:
    """An agent passes what the user read off a ticket or a seat map ('E7', 'row 5 seat 12' as '5-12'): it was
    'Seat E7 does not exist here', a turn lost. Where two sections share the row and number, the refusal names both."""
    screen = compile_layout("screen", SeatLayout(sections=[LayoutSection(code="SALI4", name="Sali 4", rows=[
        LayoutRow(label="E", seats=[LayoutSeat(number=n, x=n, tier="STD") for n in (7, 8)])])]))  # fmt: skip
    assert [s.seat_id for s in screen.resolve(["E7", "e-8"])] == ["SALI4-ROWE-SEAT7", "SALI4-ROWE-SEAT8"]
    assert LAYOUT.canonical("4-5") == sid(4, 5) and LAYOUT.canonical("45") == "45"  # no guessing at '45'
    two = compile_layout("house", SeatLayout(sections=[
        LayoutSection(code=code, name=code, rows=[LayoutRow(label="1", seats=[LayoutSeat(number=3, x=0, tier="A")])])
        for code in ("STL", "BAL")]))  # fmt: skip
    with pytest.raises(InvalidInputError, match="STL-ROW1-SEAT3, BAL-ROW1-SEAT3") as refused:
        two.resolve(["1-3"])
    assert "which section" in refused.value.hint


def club_floor(places: int, spaces: Callable[[int, int], bool] = lambda row, n: False) -> CompiledLayout:
    """A standing floor 'GA' of two rows of ``places``; ``spaces(row, n)`` marks wheelchair spaces."""
    rows = [
        LayoutRow(
            label=str(r),
            seats=[
                LayoutSeat(number=n, x=n, tier="GA", kind="accessible" if spaces(r, n) else "standard")
                for n in range(1, places + 1)
            ],
        )
        for r in (1, 2)
    ]
    floor = LayoutSection(code="GA", name="Floor", standing=True, rows=rows)
    return compile_layout("club", SeatLayout(sections=[floor]))


def test_best_available_prefers_centre_and_respects_aisles_and_couples() -> None:
    # centre row 4 (VIP rows are 3 and 4), centred horizontally around the aisle
    assert [s.seat_id for s in LAYOUT.best_available("VIP", 2, set())] in (
        [sid(4, 5), sid(4, 6)],
        [sid(4, 4), sid(4, 5)],
    )
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


# ----- best available on every layout of the fixtures ----------------------------------------------
def fixture_layouts() -> list[CompiledLayout]:
    """Every event's zoning of its venue, and every screen of every cinema, as the backends compile them."""
    read = lambda *p: json.loads(REPO_FIXTURES.joinpath(*p).read_text(encoding="utf-8"))  # noqa: E731
    venues = [VenueRec.model_validate(v) for v in read("tickets", "venues.json")["venues"]]
    events = [EventRec.model_validate(e) for e in read("tickets", "events.json")["events"]]
    inventory = Inventory(Catalog.build(venues, events, []))
    cinemas = [CinemaRec.model_validate(c) for c in read("movies", "cinemas.json")["cinemas"]]
    return [inventory.layout(e) for e in events] + [
        compile_layout(a.id, a.layout()) for c in cinemas for a in c.auditoriums
    ]


def free_pairs(layout: CompiledLayout, tier: str, taken: set[str]) -> list[tuple[SeatInfo, SeatInfo]]:
    """Every two free seats of ``tier`` side by side (no aisle between, no wheelchair space, no half couple)."""
    out = []
    for plan in layout.rows:
        if plan.section.standing:
            continue
        for a, b in zip(plan.seats, plan.seats[1:], strict=False):
            if (
                b.x == a.x + 1
                and a.tier == b.tier == tier
                and not (a.accessible or b.accessible)
                and a.kind != "couple_right"
                and b.kind != "couple_left"
                and not {a.seat_id, b.seat_id} & taken
            ):
                out.append((a, b))
    return out


def biggest_house() -> tuple[CompiledLayout, str]:
    """The fixture layout with the most seats, and its biggest tier."""
    big = max(fixture_layouts(), key=lambda layout: len(layout.seats))
    return big, max(big.tiers, key=lambda t: big.tier_totals[t])


def pair_score(layout: CompiledLayout, a: SeatInfo, b: SeatInfo) -> tuple[object, ...]:
    return layout.rows[layout.row_of[a.seat_id]].score(a, b)


def off_centre(layout: CompiledLayout, a: SeatInfo, b: SeatInfo) -> tuple[float, float]:
    """How far the middle of seats a..b is from its section's centre line, and a quarter of the section's width."""
    xs = [s.x for s in layout.seats.values() if s.section == a.section]
    return abs((a.x + b.x) / 2 - (min(xs) + max(xs)) / 2), (max(xs) - min(xs) + 1) / 4


def test_best_available_on_a_partly_sold_house_is_the_best_scoring_free_pair_on_every_fixture_layout() -> None:
    """With seats taken at random (a tenth to nearly all), two seats of a tier are a free pair no other free pair
    scores better than, and none are found only when there is no free pair: the per-tier rows and runs that best
    available walks (``RowPlan.usable``) skip nothing and let nothing through."""
    rng = random.Random(7)
    checked = 0
    for layout in fixture_layouts():
        seats = [s.seat_id for s in layout.seats.values() if not s.standing]
        for share in (0.1, 0.6, 0.95):
            taken = set(rng.sample(seats, int(len(seats) * share)))
            for tier in layout.tiers:
                pairs = free_pairs(layout, tier, taken)
                pick = layout.best_available(tier, 2, taken)
                standing = [p for p in layout.rows if p.section.standing and tier in p.usable]
                if standing:
                    continue  # any two free places of a standing tier will do: no pair to compare
                if not pairs:
                    assert pick == [], (layout.key, tier, share)
                    continue
                assert (pick[0], pick[1]) in pairs, (layout.key, tier, share, pick)
                best = min(pair_score(layout, a, b) for a, b in pairs)
                assert pair_score(layout, *pick) == best, (layout.key, tier, share)
                checked += 1
    assert checked > 300


def test_best_available_picks_the_centre_of_the_best_band_and_section_on_every_fixture_layout() -> None:
    """Two seats on an empty map: in the best-ranked row band, in the best section of that band (main floor before
    upper tiers, side terraces last), and nearest the section's centre line among that band's free pairs."""
    layouts = fixture_layouts()
    assert len(layouts) == 61 + 10  # tickets events, cinema screens
    checked = 0
    for layout in layouts:
        order = {s.code: (min(r.rank for r in s.rows), i) for i, s in enumerate(layout.layout.sections)}
        for tier in layout.tiers:
            pairs = free_pairs(layout, tier, set())
            if not pairs:
                continue
            pick = layout.best_available(tier, 2, set())
            assert len(pick) == 2 and (pick[0], pick[1]) in pairs, (layout.key, tier)
            band = min(a.rank for a, _ in pairs)
            assert pick[0].rank == band, (layout.key, tier, pick)
            in_band = [p for p in pairs if p[0].rank == band]
            best_section = min((order[a.section] for a, _ in in_band))
            assert order[pick[0].section] == best_section, (layout.key, tier, pick)

            nearest = min(off_centre(layout, a, b)[0] for a, b in in_band if order[a.section] == best_section)
            distance, quarter = off_centre(layout, pick[0], pick[1])
            assert distance == nearest, (layout.key, tier, pick)
            assert distance <= quarter, "in the middle half of the row"
            checked += 1
    assert checked > 150


def test_a_centre_pair_one_band_back_beats_a_side_pair_by_the_aisle() -> None:
    """Kinopalatsi's Sali 1 (aisles after seats 5 and 19): with the sweet-spot row K gone and row J's centre block
    taken, "2 seats in the middle" are row I's centre, not J-20/J-21 beside the aisle."""
    layout = next(x for x in fixture_layouts() if x.key == "cin_n1376356017-1")
    centre = layout.layout.sections[0].code
    taken = {s.seat_id for s in layout.seats.values() if s.row == "K" or (s.row == "J" and 6 <= s.number <= 19)}
    assert [s.seat_id for s in layout.best_available("STD", 2, set())] == [
        f"{centre}-ROWK-SEAT12",
        f"{centre}-ROWK-SEAT13",
    ]
    assert [s.seat_id for s in layout.best_available("STD", 2, taken)] == [
        f"{centre}-ROWI-SEAT12",
        f"{centre}-ROWI-SEAT13",
    ]
    # the side block of the same band still comes before the centre two bands back
    more = taken | {s.seat_id for s in layout.seats.values() if s.row in ("I", "L")}
    assert {s.row for s in layout.best_available("STD", 2, more)} == {"J"}


def test_centre_floor_pairs_beat_a_side_terrace_of_the_same_band() -> None:
    """Musiikkitalo, tier B (rank 2): rows 13–17 of the floor, the upper tiers and both terraces. The floor's centre
    comes first, then (with the floor gone) the first and second tiers, and the terraces last."""
    layouts = [x for x in fixture_layouts() if x.key.startswith("vnu_w58023634:") and "B" in x.tier_totals]
    assert layouts
    layout = layouts[0]
    pick = layout.best_available("B", 2, set())
    assert {s.section for s in pick} == {"FLR"} and [s.number for s in pick] == [18, 19]
    floor = {s.seat_id for s in layout.seats.values() if s.section == "FLR"}
    assert {s.section for s in layout.best_available("B", 2, floor)} == {"T1"}
    upper = floor | {s.seat_id for s in layout.seats.values() if s.section in ("T1", "T2")}
    assert {s.section for s in layout.best_available("B", 2, upper)} == {"TL"}


# ----- wheelchair spaces ---------------------------------------------------------------------------
def test_wheelchair_spaces_only_when_asked_and_then_with_companions_beside_them() -> None:
    everything_but_two = {s for s in LAYOUT.seats if s.startswith("H-ROW1-") and s not in (sid(1, 1), sid(1, 2))}
    rest = (everything_but_two - {sid(1, 10)}) | {s for s in LAYOUT.seats if LAYOUT.seats[s].row in ("2", "5")}
    picked = LAYOUT.best_available("STD", 1, rest)
    assert [s.seat_id for s in picked] == [sid(1, 2)], "the wheelchair spaces H-1-1 and H-1-10 are skipped"
    assert LAYOUT.best_available("STD", 1, rest | {sid(1, 2)}) == []
    assert LAYOUT.best_available("STD", 1, rest | {sid(1, 2)}, wheelchair=True)[0].accessible
    # one space and quantity - 1 companions right beside it, in the same row and block
    two = LAYOUT.best_available("STD", 2, set(), wheelchair=True)
    assert [s.accessible for s in two].count(True) == 1 and two[1].x == two[0].x + 1 and two[0].row == "1"
    three = LAYOUT.best_available("STD", 3, set(), wheelchair=True)
    assert [s.accessible for s in three].count(True) == 1 and three[-1].x - three[0].x == 2
    assert LAYOUT.best_available("STD", 2, {sid(1, 2), sid(1, 9)}, wheelchair=True) == []
    assert LAYOUT.best_available("VIP", 2, set(), wheelchair=True) == [], "no VIP spaces"


def test_a_standing_wheelchair_space_goes_to_a_wheelchair_request_with_places_of_its_section() -> None:
    """A club floor or a timed entry has wheelchair spaces at the back: a wheelchair request found nothing there and
    a plain one could take them. Now it gets one space plus quantity - 1 other places of the section, anywhere in
    it, and a plain request never a space."""
    floor = club_floor(places=3, spaces=lambda row, n: row == 2 and n > 1)
    spaces = {"GA-PLACE5", "GA-PLACE6"}
    assert floor.wheelchair_tiers == ["GA"] and all(floor.seats[s].accessible for s in spaces)
    assert floor.seats["GA-PLACE5"].label == "Floor, place 5 (wheelchair space)"
    front = {"GA-PLACE1", "GA-PLACE2", "GA-PLACE3"}
    assert [s.seat_id for s in floor.best_available("GA", 1, front)] == ["GA-PLACE4"]
    assert floor.best_available("GA", 2, front) == []  # only the spaces are left beside it
    two = floor.best_available("GA", 2, set(), wheelchair=True)
    assert [s.accessible for s in two] == [True, False] and two[0].seat_id in spaces
    # the back row's other place taken: the companion stands in the front row of the same floor
    apart = floor.best_available("GA", 2, {"GA-PLACE4"}, wheelchair=True)
    assert apart[0].seat_id in spaces and apart[1].seat_id in front
    assert floor.best_available("GA", 2, spaces, wheelchair=True) == []  # no space left: nothing


def test_a_wheelchair_space_and_a_companion_seat_are_held_together(db: tuple[Engine, SeatingEngine]) -> None:
    engine, seating = db
    with session_scope(engine) as s:
        hold = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, tier="STD", quantity=2, wheelchair=True)
        assert [x.kind for x in hold.seats].count("accessible") == 1 and len(hold.seats) == 2
        assert any("wheelchair space" in x.label for x in hold.seats)
        assert hold.total.amount_minor == 2 * PRICES["STD"]
        m = seating.seat_map(s, "shw_1", now=NOW, user_id="usr_a")
        row = next(r for r in m.sections[0].rows if r.row == "1")
        assert row.seats.count("y") == 2 and row.seats.count("a") == 1
    other_space = next(
        x for x in LAYOUT.seats.values() if x.accessible and x.seat_id not in {y.seat_id for y in hold.seats}
    )
    companion = sid(1, 9) if other_space.number == 10 else sid(1, 2)
    with session_scope(engine) as s:  # someone takes the seat beside the other space
        seating.hold(s, "shw_1", user_id="usr_b", now=NOW, ttl=TTL, seat_ids=[companion])
    with session_scope(engine) as s, pytest.raises(ConflictError) as refused:
        seating.hold(s, "shw_1", user_id="usr_c", now=NOW, ttl=TTL, tier="STD", quantity=2, wheelchair=True)
    text = str(refused.value)
    assert "1 wheelchair space(s) of tier STD are free, but none has 1 free companion seat(s)" in text
    assert not text.startswith("Only"), text
    with session_scope(engine) as s:  # the space alone is still there
        alone = seating.hold(s, "shw_1", user_id="usr_c", now=NOW, ttl=TTL, tier="STD", quantity=1, wheelchair=True)
        assert [x.seat_id for x in alone.seats] == [other_space.seat_id]
    with session_scope(engine) as s, pytest.raises(InvalidInputError, match="no wheelchair spaces"):
        seating.hold(s, "shw_1", user_id="usr_d", now=NOW, ttl=TTL, tier="VIP", quantity=2, wheelchair=True)


def test_racing_wheelchair_requests_get_whole_space_and_companion_pairs(db: tuple[Engine, SeatingEngine]) -> None:
    """Eight threads want a wheelchair space with a companion seat at once; the hall has two spaces. Two get a
    space and the seat beside it, the others are refused saying why, and no seat is held twice."""
    engine, seating = db
    barrier = threading.Barrier(8)
    held: list[list[str]] = []
    refused: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        barrier.wait()
        try:
            with session_scope(engine) as s:
                hold = seating.hold(
                    s, "shw_wc", user_id=f"usr_{i}", now=NOW, ttl=TTL, tier="STD", quantity=2, wheelchair=True
                )
            with lock:
                held.append([x.seat_id for x in hold.seats])
        except ConflictError as exc:
            with lock:
                refused.append(str(exc))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(held) == 2 and len(refused) == 6
    assert all("wheelchair space" in r for r in refused)
    seats = [x for pair in held for x in pair]
    assert len(seats) == len(set(seats))
    for pair in held:
        infos = [LAYOUT.seats[x] for x in pair]
        assert [i.accessible for i in infos].count(True) == 1 and abs(infos[0].x - infos[1].x) == 1
    with session_scope(engine) as s:
        claimed = s.connection().execute(select(seating.claims.c.seat_id)).scalars().all()
    assert sorted(claimed) == sorted(seats)


# ----- holds, sales, lapses, races -----------------------------------------------------------------
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


def test_claims_and_holds_stored_with_the_older_ids_still_hold_their_seats(db: tuple[Engine, SeatingEngine]) -> None:
    """A database written before seat ids named the row and the seat: its claims and holds carry 'H-4-5'. They
    read back under today's ids, keep their seats from everyone else, and can be sold and refunded."""
    engine, seating = db
    later = NOW + TTL * 3
    with session_scope(engine) as s:
        conn = s.connection()
        conn.execute(
            insert(seating.claims),
            [
                {"inventory_id": "shw_old", "seat_id": "H-4-5", "tier": "VIP", "hold_id": "hld_sold",
                 "user_id": "usr_a", "order_id": "ord_old", "expires_at": NOW},
                {"inventory_id": "shw_old", "seat_id": "H-4-4", "tier": "VIP", "hold_id": "hld_live",
                 "user_id": "usr_a", "order_id": "", "expires_at": later},
            ],
        )  # fmt: skip
        conn.execute(
            insert(seating.holds).values(
                id="hld_live", inventory_id="shw_old", user_id="usr_a", request_key="", seats=[["H-4-4", 1600]],
                total_minor=1600, currency="EUR", created_at=NOW, expires_at=later, released_at=None, order_id="",
            )
        )  # fmt: skip
    with session_scope(engine) as s:
        spec = spec_for("shw_old")
        assert {sid(4, 4), sid(4, 5)} <= seating.unavailable(s, spec, NOW)
        row4 = next(
            r for r in seating.seat_map(s, "shw_old", now=NOW, user_id="usr_a").sections[0].rows if r.row == "4"
        )
        assert row4.seats.count("y") == 1 and row4.seats.count("x") == 1
        old = seating.get_hold(s, "hld_live", user_id="usr_a", now=NOW)
        assert [x.seat_id for x in old.seats] == [sid(4, 4)] and old.seats[0].label == "Hall, row 4, seat 4"
        again = seating.hold(s, "shw_old", user_id="usr_a", now=NOW, ttl=TTL, seat_ids=[sid(4, 4)])
        assert again.hold_id == "hld_live", "the same seats under today's id are the same live hold"
        for wanted in ([sid(4, 5)], ["H-4-5"], [sid(4, 4)]):
            with pytest.raises(ConflictError, match="no longer available"):
                seating.hold(s, "shw_old", user_id="usr_b", now=NOW, ttl=TTL, seat_ids=wanted)
        best = seating.hold(s, "shw_old", user_id="usr_b", now=NOW, ttl=TTL, tier="VIP", quantity=2)
        assert not {x.seat_id for x in best.seats} & {sid(4, 4), sid(4, 5)}
    with session_scope(engine) as s:
        assert seating.sell(s, "hld_live", user_id="usr_a", order_id="ord_new", now=NOW).status == "sold"
        assert seating.unsell(s, "ord_old", [sid(4, 5)], "shw_old") == 1, "refunded under today's id"
        assert seating.unsell(s, "ord_new", ["H-4-4"], "shw_old") == 1, "or under the old one"
        assert not {sid(4, 4), sid(4, 5)} & seating.unavailable(s, spec_for("shw_old"), NOW)


def test_holds_lapse_by_themselves(db: tuple[Engine, SeatingEngine]) -> None:
    engine, seating = db
    with session_scope(engine) as s:
        hold = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, seat_ids=[sid(1, 3), sid(1, 4)])
    after = NOW + TTL
    with session_scope(engine) as s:
        assert seating.get_hold(s, hold.hold_id, user_id="usr_a", now=after).status == "expired"
        assert seating.remaining(s, ["shw_1"], after)["shw_1"]["STD"] == 30
        with pytest.raises(ConflictError, match="expired"):
            seating.sell(s, hold.hold_id, user_id="usr_a", order_id="ord_1", now=after)
    with session_scope(engine) as s:  # someone else takes the lapsed seats
        taken = seating.hold(s, "shw_1", user_id="usr_b", now=after, ttl=TTL, seat_ids=[sid(1, 4)])
        assert taken.status == "held"
    with session_scope(engine) as s:
        rows = s.connection().execute(select(seating.claims.c.seat_id, seating.claims.c.user_id)).all()
        assert dict(rows) == {sid(1, 3): "usr_a", sid(1, 4): "usr_b"}, "only the lapsed claim wanted is replaced"
        released = seating.release(s, taken.hold_id, user_id="usr_b", now=after)
        assert released.status == "released"
        assert seating.release(s, taken.hold_id, user_id="usr_b", now=after).status == "released"


def test_bad_requests_change_nothing(db: tuple[Engine, SeatingEngine]) -> None:
    engine, seating = db
    cases = [
        {"seat_ids": [sid(2, 1)], "inventory": "shw_blocked"},
        {"tier": "GOLD", "quantity": 1},
        {"tier": "VIP", "quantity": 0},
        {"tier": "VIP", "quantity": 11},
        {"seat_ids": [sid(1, 1)], "tier": "VIP", "quantity": 1},
        {"seat_ids": [sid(6, 2)]},
        {"tier": "LOVE", "quantity": 2, "wheelchair": True},
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
    wanted = [[sid(4, 4), sid(4, 5)], [sid(4, 5), sid(4, 6)], [sid(4, 6), sid(4, 7)], [sid(4, 5)]]
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


def test_racers_in_one_process_never_try_the_same_seats(pg_url: str) -> None:
    """Best available on PostgreSQL picks a try's seats and marks them in one step, so racers in one process
    never collide: together they get exactly the seats that holding one after another would have given (a lost
    race would send the loser to a random one of the next-best pairs)."""
    big, tier = biggest_house()
    spec = InventorySpec("inv_big", big, dict.fromkeys(big.tiers, 5000), "EUR", frozenset())
    metadata = MetaData()
    seating = SeatingEngine(metadata, "test", lambda _inventory_id: spec)
    engine = make_engine(pg_url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    racers, rounds = 12, 3
    taken: set[str] = set()
    for _ in range(racers * rounds):
        taken.update(seat.seat_id for seat in big.best_available(tier, 2, taken))
    barrier = threading.Barrier(racers)
    held: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        try:
            barrier.wait()
            for _ in range(rounds):
                with session_scope(engine) as s:
                    hold = seating.hold(s, "inv_big", user_id=f"usr_{i}", now=NOW, ttl=TTL, tier=tier, quantity=2)
                with lock:
                    held.extend(seat.seat_id for seat in hold.seats)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(racers)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert len(held) == 2 * racers * rounds and set(held) == taken
    finally:
        metadata.drop_all(engine)
        engine.dispose()


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


def test_near_best_lists_the_best_windows_first() -> None:
    windows = LAYOUT.near_best("VIP", 2, {sid(4, 5)}, 3)
    assert len(windows) == 3
    assert windows[0] == LAYOUT.best_available("VIP", 2, {sid(4, 5)})
    for w in windows:
        assert len(w) == 2 and sid(4, 5) not in {s.seat_id for s in w} and w[1].x == w[0].x + 1
    assert len({tuple(s.seat_id for s in w) for w in windows}) == 3


def test_rough_near_best_reads_only_the_first_rows_that_give_enough_windows() -> None:
    """``rough`` (a racer's spread pick) stops at the first rows, best first, that give ``count`` windows: it
    returns their best ``count``, best first, where the exact list reads on into rows that could still beat them."""
    big, tier = biggest_house()
    taken = set(random.Random(3).sample(sorted(big.seats), len(big.seats) // 3))
    count = 40
    rough = big.near_best(tier, 2, taken, count, rough=True)
    exact = big.near_best(tier, 2, taken, count)
    rows, supply = [], 0
    for plan in big.tier_rows[tier]:
        if supply >= count:
            break
        rows.append(plan)
        supply += len(list(big._windows(plan, tier, 2, taken, False)))
    read = {s.seat_id for plan in rows for s in plan.seats}
    assert len(rough) == count and all({a.seat_id, b.seat_id} <= read for a, b in rough)
    assert all(not {a.seat_id, b.seat_id} & taken and b.x == a.x + 1 for a, b in rough)
    scores = [pair_score(big, a, b) for a, b in rough]
    assert scores == sorted(scores)
    assert len(rows) < len(big.tier_rows[tier]) and rough != exact, "the case must tell rough from exact"
    assert [pair_score(big, a, b) for a, b in exact] <= scores


def test_the_same_seats_again_return_the_live_hold(db: tuple[Engine, SeatingEngine]) -> None:
    engine, seating = db
    with session_scope(engine) as s:
        first = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, seat_ids=[sid(1, 3), sid(1, 4)])
        again = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, seat_ids=["h-row1-seat4", "H-1-3"])
        assert again.hold_id == first.hold_id, "a retry naming the same seats holds once"
        with pytest.raises(ConflictError, match="no longer available"):
            seating.hold(s, "shw_1", user_id="usr_b", now=NOW, ttl=TTL, seat_ids=[sid(1, 3), sid(1, 4)])
        assert len(s.connection().execute(select(seating.holds)).all()) == 1


def test_a_seat_of_your_own_live_hold_is_refused_by_naming_that_hold(db: tuple[Engine, SeatingEngine]) -> None:
    """Asking for seats one already holds (with others) names the hold the seats are in, and which of the asked
    seats are someone else's; to another user the same seats are only "no longer available"."""
    engine, seating = db
    with session_scope(engine) as s:
        mine = seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, seat_ids=[sid(1, 3), sid(1, 4)])
        seating.hold(s, "shw_1", user_id="usr_b", now=NOW, ttl=TTL, seat_ids=[sid(1, 5)])
        with pytest.raises(ConflictError) as own:
            seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, seat_ids=["H-1-4"])
        with pytest.raises(ConflictError) as mixed:
            seating.hold(s, "shw_1", user_id="usr_a", now=NOW, ttl=TTL, seat_ids=[sid(1, 3), sid(1, 5)])
        with pytest.raises(ConflictError, match="no longer available") as theirs:
            seating.hold(s, "shw_1", user_id="usr_b", now=NOW, ttl=TTL, seat_ids=[sid(1, 4)])
        assert len(s.connection().execute(select(seating.holds)).all()) == 2
    assert own.value.message == (
        f"You already hold {sid(1, 4)} in your hold {mine.hold_id} (holding {sid(1, 3)}, {sid(1, 4)})."
    )
    assert mine.hold_id in own.value.hint and "the release tool" in own.value.hint
    assert own.value.details["your_holds"] == {mine.hold_id: [sid(1, 3), sid(1, 4)]}
    assert mixed.value.message.startswith(
        f"Seat(s) {sid(1, 5)} are no longer available, and you already hold {sid(1, 3)}"
    )
    assert mixed.value.details["seats"] == [sid(1, 3), sid(1, 5)]
    assert mine.hold_id not in str(theirs.value)
