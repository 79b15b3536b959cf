"""Seat layouts (what a venue or auditorium looks like) and the seat maps and holds the engine returns.

Layouts are static: a backend builds one per venue, event zoning or auditorium (from fixtures or
code) and registers it with ``shared.seating.SeatingEngine``. Seat maps and holds are wire models:
they travel from the backend through the client to the model, so they are compact and every field
says what it means.

A layout is sections → rows → seats. Each seat has a ``number`` (unique in its row, ascending left
to right without gaps) and an ``x`` position in seat widths; a jump in ``x`` between neighbours is
an aisle. A seat id reads on its own: ``SECTION-ROW<row>-SEAT<number>`` (``STL-ROW5-SEAT12``: section
STL, row 5, seat 12); a standing place is ``SECTION-PLACE<n>``. Ids of the older form
``SECTION-ROW-NUMBER`` (``STL-5-12``), still found in holds and orders of existing databases, are
read as the same seats.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from shared.schemas.common import Money, WireModel

SeatKind = Literal["standard", "accessible", "couple_left", "couple_right"]
HoldStatus = Literal["held", "sold", "released", "expired"]

SEAT_MAP_LEGEND = (
    "'.' free seat, 'a' free wheelchair space, '<' '>' free couple pair (two seats sold together), "
    "'y' held by you, 'x' taken or not for sale, ' ' aisle or gap"
)
SEAT_ID_FORMAT = (
    "SECTION-ROW<row>-SEAT<number>, e.g. 'STL-ROW5-SEAT12' = section STL, row 5, seat 12. In a row string the "
    "k-th non-space character (k from 1) is seat number first + k - 1. Standing places need no id: hold them by "
    "tier and quantity. Older ids of the form SECTION-ROW-NUMBER ('STL-5-12') are still accepted, and so is a "
    "seat named by row and number ('E7', 'E-7', '5-12', 'row 5 seat 12', '5排12座') where only one section has it."
)


def seat_id_of(section: str, row: str, number: int) -> str:
    """The id of seat ``number`` in ``row`` of ``section``: ``STL-ROW5-SEAT12``."""
    return f"{section}-ROW{row}-SEAT{number}"


def place_id_of(section: str, place: int) -> str:
    """The id of standing place ``place`` (counted through the section): ``GA-PLACE35``."""
    return f"{section}-PLACE{place}"


def legacy_seat_id_of(section: str, row: str, number: int) -> str:
    """The id the same seat had before ids named the row and the seat: ``STL-5-12``."""
    return f"{section}-{row}-{number}"


# ----- layouts (static, registered with the engine) ----------------------------------------------
class LayoutSeat(WireModel):
    """One seat of a layout."""

    number: int = Field(ge=1, description="Seat number, unique in its row, ascending left to right.")
    x: int = Field(ge=0, description="Horizontal position in seat widths from the section's left edge.")
    kind: SeatKind = Field(
        default="standard",
        description="standard, accessible (wheelchair space), or one half of a couple pair sold together.",
    )
    tier: str = Field(min_length=1, description="Price tier code of this seat.")


class LayoutRow(WireModel):
    """One row of seats, left to right."""

    label: str = Field(min_length=1, description="Row label as printed on the ticket, e.g. 'F' or '12'.")
    rank: int = Field(
        default=0,
        description="Row desirability, lower is better; rows of one rank form a band that best available fills "
        "before the next (see ``shared.seating.layout``).",
    )
    seats: list[LayoutSeat] = Field(min_length=1, description="Seats, left to right.")

    @model_validator(mode="after")
    def _check_order(self) -> LayoutRow:
        for left, right in zip(self.seats, self.seats[1:], strict=False):
            if right.number != left.number + 1 or right.x <= left.x:
                raise ValueError(f"row {self.label}: seats must be numbered consecutively left to right")
        for i, seat in enumerate(self.seats):
            nxt = self.seats[i + 1] if i + 1 < len(self.seats) else None
            prev = self.seats[i - 1] if i else None
            if seat.kind == "couple_left" and (
                nxt is None or nxt.kind != "couple_right" or nxt.x != seat.x + 1 or nxt.tier != seat.tier
            ):
                raise ValueError(f"row {self.label}: couple seat {seat.number} needs its right half beside it")
            if seat.kind == "couple_right" and (prev is None or prev.kind != "couple_left"):
                raise ValueError(f"row {self.label}: couple seat {seat.number} needs its left half beside it")
        return self


class LayoutSection(WireModel):
    """A block of rows with its own numbering (stalls, balcony, standing floor)."""

    code: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_]+$", description="Section code, first part of seat ids.")
    legacy_code: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9_]*$",
        description="Section code of the older SECTION-ROW-NUMBER ids, when it differed (read, never issued).",
    )
    name: str = Field(description="Section name shown to people, e.g. 'Stalls'.")
    standing: bool = Field(
        default=False, description="Standing or unreserved: places are interchangeable, no seat choice."
    )
    centre_row: str = Field(
        default="", description="Row label best available aims for; empty means the middle row of the section."
    )
    rows: list[LayoutRow] = Field(min_length=1, description="Rows, front first.")

    @model_validator(mode="after")
    def _check_rows(self) -> LayoutSection:
        labels = [r.label for r in self.rows]
        if len(set(labels)) != len(labels):
            raise ValueError(f"section {self.code}: row labels must be unique")
        if self.centre_row and self.centre_row not in labels:
            raise ValueError(f"section {self.code}: centre_row {self.centre_row!r} is not a row")
        return self


class SeatLayout(WireModel):
    """Everything static about a venue's seats for one zoning: sections, rows, seats and their tiers."""

    sections: list[LayoutSection] = Field(
        min_length=1,
        description="Sections, front of house first; on equal row ranks, earlier sections are preferred "
        "(side terraces and boxes go last).",
    )

    @model_validator(mode="after")
    def _check_sections(self) -> SeatLayout:
        codes = [s.code for s in self.sections]
        if len(set(codes)) != len(codes):
            raise ValueError("section codes must be unique")
        return self


# ----- seat maps (wire) ---------------------------------------------------------------------------
class TierAvailability(WireModel):
    """One price tier of a session: its price and how many seats are left."""

    tier: str = Field(description="Tier code; pass it to ask for best available seats.")
    price: Money = Field(description="Price of one seat in this tier.")
    free: int = Field(description="Seats of this tier free right now, free wheelchair spaces included.")
    total: int = Field(description="Seats of this tier in the layout.")


class RowMap(WireModel):
    """One row as a string, one character per seat position."""

    row: str = Field(description="Row label, the middle part of seat ids.")
    first: int = Field(description="Number of the row's first (leftmost) seat.")
    seats: str = Field(description="One character per seat position, see the seat map legend.")
    tier: str = Field(description="Tier of the row's seats (the most common one when tier_runs is set).")
    tier_runs: str = Field(
        default="", description="Only for mixed rows: seat-number ranges per tier, e.g. '1-4:B 5-16:A 17-20:B'."
    )
    free: int = Field(description="Free seats in this row, free wheelchair spaces ('a') included.")


class SectionMap(WireModel):
    """One section: its rows as strings, plus counts."""

    code: str = Field(description="Section code, the first part of seat ids.")
    name: str = Field(description="Section name.")
    standing: bool = Field(description="Standing or unreserved: no seat choice, ask for a number of places by tier.")
    tiers: list[str] = Field(description="Tier codes sold in this section.")
    free: int = Field(description="Free places in the section, its free wheelchair spaces included.")
    wheelchair_spaces: int = Field(
        default=0,
        description="How many of the free places are wheelchair spaces, which only a wheelchair request gets: a "
        "section showing free 3 with 3 of them spaces has nothing for anyone else.",
    )
    total: int = Field(description="Places in the section.")
    rows: list[RowMap] = Field(description="Rows, front first; empty for standing sections.")


class SeatMap(WireModel):
    """Which seats of one session or showtime are free: rows as strings, plus counts per tier."""

    inventory_id: str = Field(description="The session or showtime this map is for.")
    legend: str = Field(default=SEAT_MAP_LEGEND, description="What each character of a row string means.")
    seat_id_format: str = Field(default=SEAT_ID_FORMAT, description="How to build a seat id from the map.")
    free: int = Field(description="Free seats in the whole session, free wheelchair spaces included.")
    total: int = Field(description="Seats in the whole session.")
    tiers: list[TierAvailability] = Field(description="Price and free/total count per tier.")
    sections: list[SectionMap] = Field(description="Sections, front of house first (only the one asked for, if any).")


# ----- holds (wire) -------------------------------------------------------------------------------
class HeldSeat(WireModel):
    """One seat of a hold."""

    seat_id: str = Field(description="Seat id, e.g. 'STL-ROW5-SEAT12'.")
    section: str = Field(description="Section code.")
    row: str = Field(description="Row label.")
    number: int = Field(description="Seat number in the row.")
    label: str = Field(
        description="Human label, e.g. 'Stalls, row 5, seat 12' or 'Stalls, row 11, wheelchair space 18'."
    )
    kind: SeatKind = Field(description="standard, accessible (a wheelchair space), or a couple-pair half.")
    tier: str = Field(description="Tier code.")
    price: Money = Field(description="Price of this seat.")


class SeatHold(WireModel):
    """Seats kept for one user until expires_at (simulated clock), then they go back on sale by themselves."""

    hold_id: str = Field(description="Hold id (hld_…).")
    inventory_id: str = Field(description="The session or showtime the seats are in.")
    status: HoldStatus = Field(description="held until it expires or is released; sold once confirmed.")
    seats: list[HeldSeat] = Field(description="The seats, as asked for (best available: left to right).")
    total: Money = Field(description="Sum of the seat prices.")
    expires_at: datetime = Field(description="When an unconfirmed hold lapses (simulated clock, UTC).")
    order_id: str = Field(default="", description="The order the seats were sold to, once sold.")
