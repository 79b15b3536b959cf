"""Where in the room a user wants to sit, said instead of a tier ('两张后排的', 'back row', '靠前'): the rows that
means, so a hold takes the best seats there. It was refused with 'pick seats from the seat map', one more call for
what Taopiaopiao's users say most when they choose seats."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Literal

from shared.seating import CompiledLayout

RowsSaid = Literal["front", "back", "first", "last"]

ROWS_SAID: list[tuple[RowsSaid, re.Pattern[str]]] = [
    ("first", re.compile(r"第一排|(?:the\s+)?(?:first|front)\s+row", re.IGNORECASE)),
    ("last", re.compile(r"最后一排|(?:the\s+)?(?:last|back)\s+row", re.IGNORECASE)),
    ("front", re.compile(r"前排|靠前|前面|(?:the\s+)?(?:front|near the screen)(?:\s+(?:rows|seats))?", re.IGNORECASE)),
    ("back", re.compile(r"后排|靠后|后面|(?:the\s+)?(?:back|rear)(?:\s+(?:rows|seats))?", re.IGNORECASE)),
]
"""Each reading and the words that say it, whole (the tier said is all of it; '的' and '位置' / '座位' aside)."""
_SEATS = re.compile(r"(?:的)?(?:位置|座位|位子|座)?$")
_MIDDLE = re.compile(r"中间的?|居中的?|正中的?|(?:in\s+)?(?:the\s+)?(?:middle|centre|center)(?:\s+of)?", re.IGNORECASE)
"""'后排中间', 'middle of the back rows': best available takes the middle of the rows anyway."""

SEATS_FOR_ALL = ("STD", "PREMIUM")
"""The tiers a hold by where takes: never couple seats (sold in pairs) or wheelchair spaces unasked."""

ROWS_HINT = (
    "; or say the rows as the tier, with a quantity: tier '后排' (the back rows), '前排', '第一排' or '最后一排' "
    "holds the best seats there"
)
"""What a seat id that says where in the room ('后排' in seat_ids) is told: this hold reads rows as the tier."""

SAID_AS: dict[RowsSaid, str] = {
    "first": "the first row",
    "last": "the last row",
    "front": "the front rows",
    "back": "the back rows",
}


def rows_said(tier: str) -> RowsSaid | None:
    """Which rows ``tier`` names ('后排', '后排的位置', 'back rows', '第一排'), or None."""
    text = " ".join(_SEATS.sub("", _MIDDLE.sub(" ", tier)).split())
    return next((name for name, pattern in ROWS_SAID if pattern.fullmatch(text)), None)


def seats_elsewhere(layout: CompiledLayout, rows: RowsSaid, tiers: Collection[str] = SEATS_FOR_ALL) -> set[str]:
    """The seat ids outside ``rows`` (row A nearest the screen), counting only the rows with seats of ``tiers``: best
    available among the rest picks there. A back row of couple sofas is no back row for two standard seats."""
    having = sorted({layout.row_of[s.seat_id] for s in layout.seats.values() if s.tier in tiers})
    third = max(1, len(having) // 3)
    keep = set({"first": having[:1], "last": having[-1:], "front": having[:third], "back": having[-third:]}[rows])
    return {seat_id for seat_id, row in layout.row_of.items() if row not in keep}
