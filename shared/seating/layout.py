"""A seat layout compiled for fast lookups: every seat by id, rows in order, best-available search.

Compiling happens once per layout (venue zoning or auditorium) and the result is immutable, so
one ``CompiledLayout`` is shared by every session or showtime that uses it; only the claims
(who holds what) are per session, and they live in the database.

Best available ranks every free window of seats (``quantity`` side by side, no aisle between, no
couple pair cut in half) by, in order:

1. **Row band**: the layout's row ``rank``, lower first (cinemas rank the rows about 60% back best;
   venues rank their front stalls or floor best). A window *off the centre* — its middle outside
   the middle half of the section's width, such as a side block beyond an aisle — counts one band
   worse, and within a band central windows come first: a centre pair one row back beats a side
   pair by the aisle.
2. **Section**: the section whose best row ranks better, then the one earlier in the layout (front
   of house first, side terraces last): centre floor seats before a side terrace of the same band.
3. **Centre line**: nearest the section's horizontal centre.
4. **Centre row**: nearest the section's centre row, then leftmost.

``BEST_AVAILABLE_ORDER`` says the same in a sentence for tool descriptions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from shared.errors import InvalidInputError, NotFoundError, shown
from shared.schemas.seating import (
    LayoutRow,
    LayoutSection,
    SeatKind,
    SeatLayout,
    legacy_seat_id_of,
    place_id_of,
    seat_id_of,
)

BEST_AVAILABLE_ORDER = (
    "Best available picks, in this order: the best row band of the tier; seats in the middle half of the row "
    "before side blocks past an aisle (a side seat counts one band worse); the better section (main floor before "
    "upper tiers, side terraces last); nearest the centre line; nearest the section's middle row."
)

Score = tuple[int, int, int, int, float, int]
"""(band, off centre, section's best rank, section position, distance from the centre line, rows from the centre row)"""


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
    legacy_id: str = ""  # the SECTION-ROW-NUMBER id the seat had before

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
    zone: tuple[float, float] = (0.0, 0.0)  # the middle half of the section's width: where central windows lie
    section_best: int = 0  # the best row rank of the section
    section_index: int = 0  # the section's position in the layout
    # The row drawn with every seat free; a seat map copies it and marks only the taken seats.
    base: list[str] = field(default_factory=list)  # one entry per seat, plus spacer entries for aisles
    slot: dict[str, int] = field(default_factory=dict)  # seat id -> its entry in ``base``
    tier: str = ""  # the row's most common tier
    tiers: list[str] = field(default_factory=list)  # every tier of the row: the most common first
    tier_runs: str = ""  # only for mixed rows: '1-4:B 5-16:A 17-20:B'
    usable: dict[str, tuple[tuple[SeatInfo, ...], tuple[bool, ...]]] = field(default_factory=dict)
    """tier -> the seats a request of that tier may get here (no wheelchair spaces), each with whether it sits right
    beside the one before it in the row with no unusable seat or aisle between: a window's run, worked out once."""
    section_rows: list[RowPlan] = field(default_factory=list, repr=False, compare=False)
    """Standing sections only: every row of the section, where a wheelchair space's companions may stand."""

    @property
    def bound(self) -> Score:
        """No window of this row scores better than this (its band, central, on the centre line)."""
        return (self.row.rank, 0, self.section_best, self.section_index, 0.0, self.centre_distance)

    def score(self, first: SeatInfo, last: SeatInfo) -> Score:
        """How good the window from ``first`` to ``last`` is: lower is better (see the module docstring)."""
        middle = (first.x + last.x) / 2
        side = 0 if self.zone[0] <= middle <= self.zone[1] else 1
        return (
            self.row.rank + side,
            side,
            self.section_best,
            self.section_index,
            abs(middle - self.mid_x),
            self.centre_distance,
        )


SPOKEN_SEAT = re.compile(
    r"^(?:ROW|RIVI)\s*(?P<row>[A-Z]{1,2}|\d{1,3})\s*[,.]?\s*(?:SEAT|PAIKKA|NO\.?|NUMBER|#)?\s*(?P<number>\d{1,3})$"
    r"|^(?:第)?(?P<row_zh>[A-Z]{1,2}|\d{1,3})\s*排\s*(?P<number_zh>\d{1,3})\s*[座号]?$"
)
"""A seat said by its row and number: 'Row 5 seat 7', 'row E, seat 7', 'rivi 5 paikka 7', '5排7座' (upper-cased)."""
ROW_SEAT = re.compile(r"^(?:(?P<letters>[A-Z]{1,2})\s*-?\s*|(?P<digits>\d{1,3})\s*-\s*)(?P<number>\d{1,3})$")
"""A row and a seat number run together as the short names have them: 'E7', 'E-7', '5-12' (upper-cased)."""


_SEAT_ID = re.compile(r"^[A-Z0-9]+-ROW[A-Z0-9]+-SEAT\d+$")
_LIST = re.compile(r"\s*(?:,|，|、|;|\bAND\b|&|和|及)\s*")
_TO = r"\s*(?:-|–|~|\bTO\b|到|至)\s*"
_SPAN = re.compile(rf"^(?P<row>[A-Z]{{1,2}})(?P<a>\d{{1,3}}){_TO}(?:(?P=row))?(?P<b>\d{{1,3}})$")
_ROW_OF_SEVERAL = re.compile(
    r"^(?:第)?(?P<row>[A-Z]{1,2}|\d{1,3})\s*排\s*(?P<nums>\d{1,3}(?:\s*(?:、|,|，|和|-|–|~|到|至)\s*\d{1,3})+)\s*[座号]?$"
    r"|^ROW\s*(?P<row_en>[A-Z]{1,2}|\d{1,3})\s*,?\s*SEATS?\s*(?P<nums_en>\d{1,3}(?:\s*(?:,|AND|&|-|–|TO)\s*\d{1,3})+)$"
)
MAX_SPAN = 10
"""The most seats one said span ('H7-H16') names: more is no selection a person makes seat by seat."""


def _one_seat(said: str) -> bool:
    return bool(_SEAT_ID.match(said) or SPOKEN_SEAT.match(said) or ROW_SEAT.match(said))


def _numbers(said: str) -> list[int] | None:
    """'7、8', '7 and 8', '7-9' as seat numbers; None for a span that runs backwards or too far."""
    out: list[int] = []
    for part in _LIST.split(said):
        ends = re.split(_TO, part)
        low, high = int(ends[0]), int(ends[-1])
        if high < low or high - low >= MAX_SPAN:
            return None
        out += range(low, high + 1)
    return out


def several_seats(seat_ids: list[str]) -> list[str]:
    """The seats each entry names, an entry naming several as several: 'H7,H8', 'H7-H8', 'H排7、8座', 'row H seats
    7 and 8' were each one seat that 'does not exist here'. An entry naming one seat ('row E, seat 7', a seat id
    with its dashes) is kept as it was; so is one this does not read, for the refusal to quote."""
    out: list[str] = []
    for entry in seat_ids:
        said = " ".join(entry.strip().upper().split())
        parts = _LIST.split(said)
        span, row = _SPAN.match(said), _ROW_OF_SEVERAL.match(said)
        numbers = _numbers(row["nums"] or row["nums_en"]) if row else None
        if len(parts) > 1 and all(_one_seat(p) for p in parts):
            out += parts
        elif span and int(span["a"]) <= int(span["b"]) < int(span["a"]) + MAX_SPAN:
            out += [f"{span['row']}{n}" for n in range(int(span["a"]), int(span["b"]) + 1)]
        elif row and numbers:
            out += [f"row {row['row'] or row['row_en']} seat {n}" for n in numbers]
        else:
            out.append(entry)
    return out


SEAT_POSITION = re.compile(
    r"后排|前排|中排|中间|正中|靠边|边上|过道|靠走道|最好的|(?<![A-Z])(?:BACK|FRONT|MIDDLE|CENTRE|CENTER|AISLE|REAR"
    r"|BEST|SIDE)(?![A-Z])",
    re.IGNORECASE,
)
"""Where in the room a seat is wanted ('后排', 'middle', 'aisle seats'), said where a seat goes: 'does not exist
here' read as a mistyped seat."""


def _short_names(row: str, number: int) -> list[str]:
    """What people call a seat by its row and number: 'E7' and 'E-7' for row E, '5-12' for row 5 (a number row
    runs into its seat number without the dash: '512' is not read)."""
    row = row.upper()
    names = [f"{row}-{number}", f"ROW{row}-SEAT{number}"]
    return [f"{row}{number}", *names] if row[-1:].isalpha() else names


@dataclass
class CompiledLayout:
    """Immutable lookups over one ``SeatLayout``."""

    key: str
    layout: SeatLayout
    seats: dict[str, SeatInfo] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # older SECTION-ROW-NUMBER id -> seat id
    short: dict[str, list[str]] = field(default_factory=dict)  # 'E7', 'E-7', '5-12' (row, seat) -> seat ids
    rows: list[RowPlan] = field(default_factory=list)
    by_desirability: list[RowPlan] = field(default_factory=list)  # by ``RowPlan.bound``: best first
    row_of: dict[str, int] = field(default_factory=dict)  # seat id -> index in ``rows``
    tier_rows: dict[str, list[RowPlan]] = field(default_factory=dict)  # tier -> ``by_desirability`` rows that have it
    tier_totals: Counter[str] = field(default_factory=Counter)
    wheelchair_tiers: list[str] = field(default_factory=list)  # tiers that have wheelchair spaces
    spaces: list[SeatInfo] = field(default_factory=list)  # every wheelchair space, in layout order
    map_tool: str = "the seat map"  # where hints send the model for seat ids
    rows_hint: str = ""  # how the vertical's hold takes rows said as the tier ('后排'), where it does

    @property
    def tiers(self) -> list[str]:
        return list(self.tier_totals)

    def section_codes(self) -> list[str]:
        return [s.code for s in self.layout.sections]

    def canonical(self, seat_id: str) -> str:
        """The seat id for ``seat_id`` as given: any case, or the older SECTION-ROW-NUMBER form. Unknown ids
        come back upper-cased and unchanged."""
        sid = seat_id.strip().upper()
        if sid in self.seats:
            return sid
        if sid in self.aliases:
            return self.aliases[sid]
        in_section = self._in_section(sid)
        if in_section is not None:
            return in_section
        spoken = SPOKEN_SEAT.match(sid)
        if spoken:  # 'ROW 5 SEAT 7' is what '5-7' names
            sid = f"{spoken['row'] or spoken['row_zh']}-{int(spoken['number'] or spoken['number_zh'])}"
        named = self.short.get(sid, [])
        return named[0] if len(named) == 1 else sid

    def _in_section(self, said: str) -> str | None:
        """The seat a section's name or code and a row and number name ('池座5排11号', 'Balcony row 3 seat 9',
        'STL 5-12'; upper-cased), or None: a section said first was 'not a valid seat', though the seat map names
        its sections so ('Stalls / 池座')."""
        for section in self.layout.sections:
            for name in {section.code, *(n.strip().upper() for n in section.name.split(" / "))} - {""}:
                if not said.startswith(name) or len(said) == len(name):
                    continue
                rest = said[len(name) :].lstrip(" ,:-")
                spoken = SPOKEN_SEAT.match(rest) or ROW_SEAT.match(rest)
                if spoken is None:
                    continue
                parts = spoken.groupdict()
                row = next(parts[k] for k in ("row", "row_zh", "letters", "digits") if parts.get(k))
                number = int(next(parts[k] for k in ("number", "number_zh") if parts.get(k)))
                seat_id = f"{section.code}-ROW{row}-SEAT{number}"
                if seat_id in self.seats:
                    return seat_id
        return None

    def together(self, seat_ids: Iterable[str]) -> bool:
        """Whether the seats sit side by side in one row with no aisle between: what best available gives when it
        can, and not what it gives when only scattered seats were left. Standing places are always together."""
        seats = [self.seats[sid] for sid in map(self.canonical, seat_ids) if sid in self.seats]
        if len({self.row_of[s.seat_id] for s in seats}) > 1:
            return False
        if not seats or self.rows[self.row_of[seats[0].seat_id]].section.standing:
            return True
        xs = sorted(s.x for s in seats)
        return all(b == a + 1 for a, b in pairwise(xs))

    def seat(self, seat_id: str) -> SeatInfo:
        """The seat with this id, old or new form (``KeyError`` when there is none)."""
        return self.seats[self.canonical(seat_id)]

    def resolve(self, seat_ids: Iterable[str]) -> list[SeatInfo]:
        """Seats by id, in the order given; refuses unknown ids, repeats and half couple pairs."""
        asked = list(seat_ids)
        ids = [self.canonical(s) for s in asked]
        said = dict(zip(ids, asked, strict=True))  # refusals quote the seat as given ('Row 5 seat 7'), not '5-7'
        example = next((s.seat_id for s in self.seats.values() if not s.standing), "STL-ROW5-SEAT12")
        if not ids:
            raise InvalidInputError("No seats given.", f"Pass seat ids such as {example!r}, or a tier and a quantity.")
        unknown = [s for s in ids if s not in self.seats]
        if unknown and len(self.short.get(unknown[0], [])) > 1:
            named = self.short[unknown[0]]
            one = self.seats[named[0]]
            raise InvalidInputError(
                f"Seat {shown(said[unknown[0]])} is row {one.row}, seat {one.number} of {len(named)} sections: "
                f"{', '.join(named)}.",
                f"Ask the user which section ({', '.join(self.seats[n].section for n in named)}), then pass that "
                "seat's id.",
                field="seat_ids",
            )
        if unknown and SEAT_POSITION.search(said[unknown[0]]):  # '后排', 'middle', 'aisle seats'
            raise InvalidInputError(
                f"Seat {shown(said[unknown[0]])} says where in the room, not which seat.",
                f"Read the free seats with {self.map_tool} (front rows first) and pass the ids of those there, or "
                "hold the best available with a tier and a quantity (the centre of the best rows first)"
                f"{self.rows_hint}.",
                field="seat_ids",
            )
        if unknown:
            raise NotFoundError(
                f"Seat {shown(said[unknown[0]])} does not exist here.",
                f"Seat ids look like {example!r} (section, row, seat); read them from {self.map_tool}.",
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

    # ----- best available ----------------------------------------------------------------------------
    def best_available(
        self,
        tier: str,
        quantity: int,
        unavailable: Container[str],
        *,
        allow_split: bool = False,
        wheelchair: bool = False,
    ) -> list[SeatInfo]:
        """The best ``quantity`` adjacent free seats of ``tier`` (ranked as the module docstring says).

        Adjacent means side by side with no aisle between and no couple pair cut in half. Wheelchair
        spaces are handed out only with ``wheelchair``, and then as one space of ``tier`` with
        ``quantity - 1`` companion seats (standard seats of any tier) right beside it. With
        ``allow_split`` and no adjacent run left, the best single seats instead; otherwise empty.
        Standing sections have no adjacency: any free places of the tier will do. Rows are visited
        best first and the search stops at the first row that cannot beat what it found, so a pick
        reads a few rows, not the whole house.
        """
        found = self._best_windows(tier, quantity, unavailable, 1, wheelchair=wheelchair)
        if found:
            return found[0]
        if not allow_split or wheelchair:
            return []
        singles = [
            (plan.score(s, s), s)
            for plan in self.by_desirability
            for s in plan.seats
            if s.tier == tier and s.seat_id not in unavailable and not s.partner and not s.accessible
        ]
        if len(singles) < quantity:
            return []
        singles.sort(key=lambda t: t[0])
        # The best seats, listed as the house reads them (row by row, left to right): a hold's seats and the
        # attendees named for them follow this order, and a best-first list jumps between rows at random.
        return sorted((t[1] for t in singles[:quantity]), key=lambda s: (self.row_of[s.seat_id], s.x))

    def near_best(
        self,
        tier: str,
        quantity: int,
        unavailable: Container[str],
        count: int,
        *,
        wheelchair: bool = False,
        rough: bool = False,
    ) -> list[list[SeatInfo]]:
        """Up to ``count`` of the best windows of ``quantity`` adjacent free seats, best first.

        For a racer whose first pick was taken by someone faster: the others who lost the same race
        want the same next-best seats, so it picks among the few best instead of queueing behind them.
        ``rough``: the best of the windows of the first rows (best first) that give ``count``, instead of
        reading on while a later row could still beat them: for a pick at random among many good windows, where
        reading a whole band of rows would cost more than the claim it is for.
        """
        return self._best_windows(tier, quantity, unavailable, count, wheelchair=wheelchair, rough=rough)

    def nearest_free(self, asked: list[SeatInfo], unavailable: Container[str]) -> list[SeatInfo]:
        """As many free seats side by side as ``asked``, of the first one's tier, nearest to them (rows away, then
        seats away from their middle): what to offer when they are taken. A refusal that named only the taken
        seats sent the model back to read the whole map; the box office offers the seats next to them."""
        if not asked or asked[0].standing:
            return []
        tier, row = asked[0].tier, self.row_of[asked[0].seat_id]
        middle = sum(s.x for s in asked) / len(asked)
        best: tuple[tuple[int, float], list[SeatInfo]] | None = None
        for plan in self.tier_rows.get(tier, ()):
            for _, window in self._windows(plan, tier, len(asked), unavailable, False):
                at = self.row_of[window[0].seat_id]
                key = (abs(at - row), abs(sum(s.x for s in window) / len(window) - middle))
                if best is None or key < best[0]:
                    best = key, window
        return best[1] if best else []

    def _best_windows(
        self,
        tier: str,
        quantity: int,
        unavailable: Container[str],
        count: int,
        *,
        wheelchair: bool,
        rough: bool = False,
    ) -> list[list[SeatInfo]]:
        found: list[tuple[Score, list[SeatInfo]]] = []
        # A wheelchair request's companions may be of any tier, so it reads every row; any other only the tier's.
        for plan in self.by_desirability if wheelchair else self.tier_rows.get(tier, ()):
            if len(found) >= count and (rough or plan.bound > found[-1][0]):
                break
            before = len(found)
            found.extend(self._windows(plan, tier, quantity, unavailable, wheelchair))
            if len(found) >= count and len(found) > before:
                found.sort(key=lambda f: f[0])  # stable: on equal scores the leftmost, the earlier row
                del found[count:]
        if len(found) < count:  # fewer than count in all: never sorted above
            found.sort(key=lambda f: f[0])
        return [w for _, w in found]

    @staticmethod
    def _windows(
        plan: RowPlan, tier: str, quantity: int, unavailable: Container[str], wheelchair: bool
    ) -> Iterator[tuple[Score, list[SeatInfo]]]:
        """Every free window of ``quantity`` seats in this row that a request may get, with its score."""
        if plan.section.standing:  # any free places; wheelchair spaces only to a wheelchair request, one each
            free = [s for s in plan.seats if s.tier == tier and s.seat_id not in unavailable]
            plain = [s for s in free if not s.accessible]
            if not wheelchair:
                if len(plain) >= quantity:
                    yield plan.bound, plain[:quantity]
                return
            space = next((s for s in free if s.accessible), None)
            others = [s for p in plan.section_rows for s in p.seats if s.tier == tier and s.seat_id not in unavailable]
            companions = [s for s in others if not s.accessible][: quantity - 1]
            if space is not None and len(companions) == quantity - 1:
                yield plan.bound, [space, *companions]
            return
        if wheelchair:  # one space of the tier with companions of any tier: worked out per request (rare)
            seats, beside_last = _runs(plan.seats, tier, wheelchair=True)
        else:  # the hot path of best available: this tier's seats, adjacency known since compile time
            seats, beside_last = plan.usable[tier]
        run: list[SeatInfo] = []
        for seat, beside in zip(seats, beside_last, strict=True):
            if seat.seat_id in unavailable:
                run = []
                continue
            if not beside:  # an aisle, or a seat this request may not get, before it
                run = []
            run.append(seat)
            if len(run) < quantity:
                continue
            window = run[-quantity:]
            if window[0].kind == "couple_right" or window[-1].kind == "couple_left":
                continue
            if wheelchair and sum(1 for s in window if s.accessible) != 1:
                continue  # one wheelchair space, the others its companions
            yield plan.score(window[0], window[-1]), window


def compile_layout(
    key: str, layout: SeatLayout, *, map_tool: str = "the seat map", rows_hint: str = ""
) -> CompiledLayout:
    """Index a layout once; ``key`` names it (venue + zoning, or auditorium) for caches and logs,
    ``map_tool`` the tool whose output holds seat ids, for error hints."""
    out = CompiledLayout(key=key, layout=layout, map_tool=map_tool, rows_hint=rows_hint)
    for section_index, section in enumerate(layout.sections):
        labels = [r.label for r in section.rows]
        centre_index = labels.index(section.centre_row) if section.centre_row else (len(labels) - 1) // 2
        xs = [seat.x for row in section.rows for seat in row.seats]
        min_x, max_x = min(xs), max(xs)
        mid_x = (min_x + max_x) / 2
        quarter = (max_x - min_x + 1) / 4
        section_best = min(r.rank for r in section.rows)
        former = section.legacy_code or section.code
        place = 0
        for index, row in enumerate(section.rows):
            infos: list[SeatInfo] = []
            for seat in row.seats:
                place += 1
                legacy = legacy_seat_id_of(former, row.label, seat.number)
                if section.standing:
                    sid = place_id_of(section.code, place)
                    label = f"{section.name}, place {place}" + (
                        " (wheelchair space)" if seat.kind == "accessible" else ""
                    )
                else:
                    sid = seat_id_of(section.code, row.label, seat.number)
                    what = "wheelchair space" if seat.kind == "accessible" else "seat"
                    label = f"{section.name}, row {row.label}, {what} {seat.number}"
                partner = ""
                if seat.kind == "couple_left":
                    partner = seat_id_of(section.code, row.label, seat.number + 1)
                elif seat.kind == "couple_right":
                    partner = seat_id_of(section.code, row.label, seat.number - 1)
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
                    legacy_id=legacy,
                )
                infos.append(info)
                out.seats[sid] = info
                out.aliases[legacy] = sid
                if not section.standing:  # 'E7' as people read a ticket: the row and the seat
                    for name in _short_names(row.label, seat.number):
                        out.short.setdefault(name, []).append(sid)
                out.tier_totals[seat.tier] += 1
                if info.accessible:
                    out.spaces.append(info)
                    if seat.tier not in out.wheelchair_tiers:
                        out.wheelchair_tiers.append(seat.tier)
            out.rows.append(
                RowPlan(
                    section=section,
                    row=row,
                    seats=infos,
                    centre_distance=abs(index - centre_index),
                    mid_x=mid_x,
                    min_x=min_x,
                    zone=(mid_x - quarter, mid_x + quarter),
                    section_best=section_best,
                    section_index=section_index,
                )
            )
    for plan in out.rows:
        if plan.section.standing:
            plan.section_rows = [p for p in out.rows if p.section is plan.section]
    for sid in out.seats:
        out.aliases.pop(sid, None)  # an id of today never means another seat
    for index, plan in enumerate(out.rows):
        _draw(plan)
        for info in plan.seats:
            out.row_of[info.seat_id] = index
    out.by_desirability = sorted(out.rows, key=lambda p: p.bound)
    for plan in out.by_desirability:
        for tier in dict.fromkeys(s.tier for s in plan.seats):
            plan.usable[tier] = _runs(plan.seats, tier, wheelchair=False)
            out.tier_rows.setdefault(tier, []).append(plan)
    return out


def _runs(seats: list[SeatInfo], tier: str, *, wheelchair: bool) -> tuple[tuple[SeatInfo, ...], tuple[bool, ...]]:
    """The row's seats a request of ``tier`` may get, and for each whether the seat before it in the row is one of
    them too and right beside it (no aisle). A wheelchair request may get the tier's wheelchair spaces and standard
    seats of any tier (its companions); any other only the tier's seats that are not wheelchair spaces. Two flat
    tuples: a pair per seat would cost a tuple per seat of every compiled layout."""
    kept: list[SeatInfo] = []
    beside: list[bool] = []
    before: SeatInfo | None = None
    for seat in seats:
        if wheelchair:
            ok = seat.kind == "standard" or (seat.accessible and seat.tier == tier)
        else:
            ok = seat.tier == tier and not seat.accessible
        if ok:
            kept.append(seat)
            beside.append(before is not None and seat.x == before.x + 1)
        before = seat if ok else None
    return tuple(kept), tuple(beside)


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
