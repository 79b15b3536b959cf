"""A seat layout compiled for fast lookups: every seat by id, rows in order, best-available search.

Compiling happens once per layout (venue zoning or auditorium) and the result is immutable, so
one ``CompiledLayout`` is shared by every session or showtime that uses it; only the claims
(who holds what) are per session, and they live in the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from shared.errors import InvalidInputError, NotFoundError
from shared.schemas.seating import LayoutRow, LayoutSection, SeatKind, SeatLayout, seat_id_of


@dataclass(frozen=True, slots=True)
class SeatInfo:
    """One sellable seat (or standing place) with everything a hold or a ticket needs."""

    seat_id: str
    section: str
    row: str
    number: int
    x: int
    kind: SeatKind
    tier: str
    rank: int
    standing: bool
    label: str
    partner: str = ""  # the other half of a couple pair

    @property
    def accessible(self) -> bool:
        return self.kind == "accessible"


@dataclass(slots=True)
class RowPlan:
    """One row with the numbers best available scores it by."""

    section: LayoutSection
    row: LayoutRow
    seats: list[SeatInfo]
    centre_distance: int  # rows away from the section's centre row
    mid_x: float  # horizontal centre of the section, in seat widths
    min_x: int  # leftmost x of the section, for drawing rows aligned
    # The row drawn with every seat free; a seat map copies it and marks only the taken seats.
    base: list[str] = field(default_factory=list)  # one entry per seat, plus spacer entries for aisles
    slot: dict[str, int] = field(default_factory=dict)  # seat id -> its entry in ``base``
    tier: str = ""  # the row's most common tier
    tiers: list[str] = field(default_factory=list)  # every tier of the row: the most common first
    tier_runs: str = ""  # only for mixed rows: '1-4:B 5-16:A 17-20:B'


@dataclass
class CompiledLayout:
    """Immutable lookups over one ``SeatLayout``."""

    key: str
    layout: SeatLayout
    seats: dict[str, SeatInfo] = field(default_factory=dict)
    rows: list[RowPlan] = field(default_factory=list)
    by_desirability: list[RowPlan] = field(default_factory=list)  # best rank first, then nearest the centre row
    row_of: dict[str, int] = field(default_factory=dict)  # seat id -> index in ``rows``
    tier_totals: Counter[str] = field(default_factory=Counter)
    map_tool: str = "the seat map"  # where hints send the model for seat ids

    @property
    def tiers(self) -> list[str]:
        return list(self.tier_totals)

    def section_codes(self) -> list[str]:
        return [s.code for s in self.layout.sections]

    def resolve(self, seat_ids: Iterable[str]) -> list[SeatInfo]:
        """Seats by id, in the order given; refuses unknown ids, repeats and half couple pairs."""
        ids = [s.strip().upper() for s in seat_ids]
        if not ids:
            raise InvalidInputError("No seats given.", "Pass seat ids such as 'STL-5-12', or a tier and a quantity.")
        unknown = [s for s in ids if s not in self.seats]
        if unknown:
            raise NotFoundError(
                f"Seat {unknown[0]!r} does not exist here.",
                f"Seat ids look like 'STL-5-12' (section-row-seat); read them from {self.map_tool}.",
                field="seat_ids",
            )
        if len(set(ids)) != len(ids):
            raise InvalidInputError("A seat is listed twice.", "List each seat id once.", field="seat_ids")
        seats = [self.seats[s] for s in ids]
        chosen = set(ids)
        for seat in seats:
            if seat.partner and seat.partner not in chosen:
                raise InvalidInputError(
                    f"Seat {seat.seat_id} is half of a couple seat sold as a pair with {seat.partner}.",
                    f"Hold both {seat.seat_id} and {seat.partner}, or choose other seats.",
                    field="seat_ids",
                )
        return seats

    def best_available(
        self,
        tier: str,
        quantity: int,
        unavailable: Container[str],
        *,
        allow_split: bool = False,
        accessible: bool = False,
    ) -> list[SeatInfo]:
        """``quantity`` adjacent free seats of ``tier``: best row rank first, then nearest the centre.

        Adjacent means side by side with no aisle between and no couple pair cut in half. Wheelchair
        spaces are only handed out when ``accessible`` asks for them. With ``allow_split`` and no
        adjacent run left, the best single seats instead; otherwise empty. Standing sections have
        no adjacency: any free places of the tier will do. Rows are visited best first and the
        search stops at the first row that cannot beat what it found, so a pick reads a few rows,
        not the whole house.
        """
        best: tuple[tuple[int, int, float], list[SeatInfo]] | None = None
        for plan in self.by_desirability:
            if best is not None and (plan.row.rank, plan.centre_distance) > best[0][:2]:
                break
            seats = plan.seats
            if plan.section.standing:
                free = [s for s in seats if s.tier == tier and s.seat_id not in unavailable]
                if len(free) >= quantity:
                    score = (plan.row.rank, plan.centre_distance, 0.0)
                    if best is None or score < best[0]:
                        best = (score, free[:quantity])
                continue
            run: list[SeatInfo] = []
            for seat in seats:
                if seat.tier != tier or seat.seat_id in unavailable or (seat.accessible and not accessible):
                    run = []
                    continue
                if run and seat.x != run[-1].x + 1:  # an aisle between them
                    run = []
                run.append(seat)
                if len(run) < quantity:
                    continue
                window = run[-quantity:]
                if window[0].kind == "couple_right" or window[-1].kind == "couple_left":
                    continue
                centre = (window[0].x + window[-1].x) / 2
                score = (plan.row.rank, plan.centre_distance, abs(centre - plan.mid_x))
                if best is None or score < best[0]:
                    best = (score, list(window))
        if best is not None:
            return best[1]
        if not allow_split:
            return []
        singles = [
            (s.rank, plan.centre_distance, abs(s.x - plan.mid_x), s)
            for plan in self.by_desirability
            for s in plan.seats
            if s.tier == tier and s.seat_id not in unavailable and not s.partner and (accessible or not s.accessible)
        ]
        if len(singles) < quantity:
            return []
        singles.sort(key=lambda t: t[:3])
        return [t[3] for t in singles[:quantity]]

    def near_best(
        self, tier: str, quantity: int, unavailable: Container[str], count: int, *, accessible: bool = False
    ) -> list[list[SeatInfo]]:
        """Up to ``count`` of the best windows of ``quantity`` adjacent free seats, best first.

        For a racer whose first pick was taken by someone faster: the others who lost the same race
        want the same next-best seats, so it picks among the few best instead of queueing behind them.
        """
        found: list[tuple[tuple[int, int, float], list[SeatInfo]]] = []
        for plan in self.by_desirability:
            if len(found) >= count and (plan.row.rank, plan.centre_distance) > found[count - 1][0][:2]:
                break
            if plan.section.standing:
                continue
            run: list[SeatInfo] = []
            for seat in plan.seats:
                if seat.tier != tier or seat.seat_id in unavailable or (seat.accessible and not accessible):
                    run = []
                    continue
                if run and seat.x != run[-1].x + 1:
                    run = []
                run.append(seat)
                if len(run) < quantity:
                    continue
                window = run[-quantity:]
                if window[0].kind == "couple_right" or window[-1].kind == "couple_left":
                    continue
                centre = (window[0].x + window[-1].x) / 2
                found.append(((plan.row.rank, plan.centre_distance, abs(centre - plan.mid_x)), list(window)))
            found.sort(key=lambda f: f[0])
        return [w for _, w in found[:count]]


def compile_layout(key: str, layout: SeatLayout, *, map_tool: str = "the seat map") -> CompiledLayout:
    """Index a layout once; ``key`` names it (venue + zoning, or auditorium) for caches and logs,
    ``map_tool`` the tool whose output holds seat ids, for error hints."""
    out = CompiledLayout(key=key, layout=layout, map_tool=map_tool)
    for section in layout.sections:
        labels = [r.label for r in section.rows]
        centre_index = labels.index(section.centre_row) if section.centre_row else (len(labels) - 1) // 2
        xs = [seat.x for row in section.rows for seat in row.seats]
        min_x, max_x = min(xs), max(xs)
        place = 0
        for index, row in enumerate(section.rows):
            infos: list[SeatInfo] = []
            for seat in row.seats:
                place += 1
                sid = seat_id_of(section.code, row.label, seat.number)
                partner = ""
                if seat.kind == "couple_left":
                    partner = seat_id_of(section.code, row.label, seat.number + 1)
                elif seat.kind == "couple_right":
                    partner = seat_id_of(section.code, row.label, seat.number - 1)
                label = (
                    f"{section.name}, place {place}"
                    if section.standing
                    else f"{section.name}, row {row.label}, seat {seat.number}"
                )
                info = SeatInfo(
                    seat_id=sid,
                    section=section.code,
                    row=row.label,
                    number=seat.number,
                    x=seat.x,
                    kind=seat.kind,
                    tier=seat.tier,
                    rank=row.rank,
                    standing=section.standing,
                    label=label,
                    partner=partner,
                )
                infos.append(info)
                out.seats[sid] = info
                out.tier_totals[seat.tier] += 1
            out.rows.append(
                RowPlan(
                    section=section,
                    row=row,
                    seats=infos,
                    centre_distance=abs(index - centre_index),
                    mid_x=(min_x + max_x) / 2,
                    min_x=min_x,
                )
            )
    for index, plan in enumerate(out.rows):
        _draw(plan)
        for info in plan.seats:
            out.row_of[info.seat_id] = index
    out.by_desirability = sorted(out.rows, key=lambda p: (p.row.rank, p.centre_distance))
    return out


FREE_CHAR = {"standard": ".", "accessible": "a", "couple_left": "<", "couple_right": ">"}


def _draw(plan: RowPlan) -> None:
    """The row with every seat free: a character per seat, spaces for aisles, aligned to the section."""
    base: list[str] = [" " * (plan.seats[0].x - plan.min_x)] if plan.seats[0].x > plan.min_x else []
    runs: list[tuple[str, int, int]] = []  # (tier, first number, last number)
    prev_x = None
    for seat in plan.seats:
        if prev_x is not None and seat.x > prev_x + 1:
            base.append(" " * (seat.x - prev_x - 1))
        prev_x = seat.x
        plan.slot[seat.seat_id] = len(base)
        base.append(FREE_CHAR[seat.kind])
        if runs and runs[-1][0] == seat.tier:
            runs[-1] = (seat.tier, runs[-1][1], seat.number)
        else:
            runs.append((seat.tier, seat.number, seat.number))
    widths: Counter[str] = Counter()
    for tier, first, last in runs:
        widths[tier] += last - first + 1
    plan.base = base
    plan.tier = widths.most_common(1)[0][0]
    plan.tiers = [plan.tier] + [t for t in widths if t != plan.tier]
    plan.tier_runs = " ".join(f"{first}-{last}:{t}" for t, first, last in runs) if len(runs) > 1 else ""
