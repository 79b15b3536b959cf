"""A kind of ticket said in a search ('VIP座位还有的演唱会', 'concerts with standing tickets', '有站票的'): no event's
title holds it, so the search found nothing. It names a tier an event sells (every event's VIP tier is coded 'VIP',
its standing one 'STANDING'), and the search keeps the events that sell it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from shared.text import is_cjk, take_match

from .catalog import EventRec, SectionRec

TIER_SAID = re.compile(
    r"(?<![a-z])(?:(?P<vip>vip)|(?P<standing>standing))(?:\s+(?:seats?|tickets?|tier|section|area|room|only))?"
    r"(?![a-z])(?:座位|座|票|区|席)?|(?P<zh_standing>站票|站席)"
    r"|(?<![a-z])(?P<letter>[abc])\s*区(?:的)?(?:票|座位|座)?"
    r"|(?<![a-z])(?:tier|section|zone)\s+(?P<letter_en>[abc])(?![a-z])"
    r"|(?<![a-z])(?P<seated>seated)(?![a-z])|(?P<zh_seated>坐票|座位票|有座位|有座)",
    re.IGNORECASE,
)
SEATED = "SEATED"
"""Not a tier but what 'seated' / '有座位的' asks for: events that sell a seat (any tier not ``UNSEATED``)."""
UNSEATED = frozenset({"STANDING", "ENTRY"})
"""The tiers that sell no seat: standing room, and an exhibition's timed entry ('seated' is every other)."""
STILL = re.compile(r"还有(?:的)?|还剩(?:的)?|(?<![a-z])(?:still\s+)?(?:left|available)(?![a-z])", re.IGNORECASE)
"""'还有', 'still available': what is left of a tier is the event's page's to say (a search reads no seat)."""


def tier_said(query: str) -> tuple[str, str, str]:
    """The query without a kind of ticket said in it (and a 'still left' beside it), the tier code it names, and the
    words as said; the query, '' and '' when it says none."""
    m = TIER_SAID.search(query)
    if m is None:
        return query, "", ""
    before, after = query[: m.start()], query[m.end() :]
    joined = is_cjk(before[-1:]) or is_cjk(after[:1])  # '有站票的演出' is 有的演出, one phrase, as said without it
    rest = before + ("" if joined else " ") + after
    rest = " ".join(STILL.sub(" ", rest).split())
    letter = m["letter"] or m["letter_en"]
    code = ("VIP" if m["vip"] else letter.upper() if letter else SEATED if m["seated"] or m["zh_seated"]
            else "STANDING")  # fmt: skip
    return rest, code, m[0].strip()


def tier_words_said(query: str) -> str:
    """The kind of ticket as the query wrote it ('VIP tickets', not the folded 'vip tickets'), for a note."""
    m = TIER_SAID.search(query)
    return m[0].strip() if m else ""


BEST_SEATS = re.compile(
    r"(?<![a-z])(?:the\s+)?(?:best|good|great|nice)\s+(?:seats?|places?|spots?|view)(?![a-z])"
    r"|最好的?(?:座位|位置|位子)|好(?:的)?(?:座位|位置|位子)",
    re.IGNORECASE,
)
"""'best seats for Giselle', '好座位': which seats to hold, not words of an event ('No event matches best, seats');
a hold's tier 'best' takes the dearest tier's best seats."""


FLOOR_SAID = re.compile(
    r"内场(?:的)?(?:票|区|座位|座)?|(?<![a-z])(?:the\s+)?floor(?:\s+(?:seats?|tickets?|standing))?(?![a-z])",
    re.IGNORECASE,
)
"""The floor ('内场票', 'floor tickets'): standing room before a stage, or the stalls of a seated hall."""
STANDS_SAID = re.compile(
    r"看台(?:的)?(?:票|区|座位|座)?|(?<![a-z])(?:the\s+)?(?:stands|terraces?|upper\s+tiers?)(?:\s+(?:seats?|tickets?))?"
    r"(?![a-z])",
    re.IGNORECASE,
)
"""The stands ('看台票', 'seats in the stands'): the seats above or beside the floor (balconies, tiers, terraces)."""
PART_SAID = re.compile(f"{FLOOR_SAID.pattern}|{STANDS_SAID.pattern}", re.IGNORECASE)
"""Either, as a search finds it: which part of the venue is where to be, a hold's to choose, not words of an event."""


def part_said(said: str) -> str:
    """'floor' or 'stands' when ``said`` is all one of them ('内场', 'floor tickets', '看台票'), else ''."""
    text = " ".join(said.split())
    return "floor" if FLOOR_SAID.fullmatch(text) else "stands" if STANDS_SAID.fullmatch(text) else ""


def part_in(query: str) -> tuple[str, str, str]:
    """The query without a part of a venue said in it ('内场票', 'the stands'), which part ('floor' or 'stands') and
    the words as said; the query, '' and '' when it says none (as ``tier_said`` reads a kind of ticket)."""
    rest, m = take_match(PART_SAID, query)
    return (rest, part_said(m[0]), m[0]) if m is not None else (query, "", "")


FLOOR_CODES = frozenset({"FLR", "STL"})
"""The section codes of a seated floor: a concert hall's floor and a theatre's stalls."""


def on_the_floor(section: SectionRec) -> bool:
    """A venue's floor: a standing floor before the stage (not an exhibition's timed entry), or the stalls (池座)."""
    return section.code in FLOOR_CODES or (section.standing and "floor" in section.name.lower())


def in_the_stands(section: SectionRec) -> bool:
    """Seats above or beside the floor: balconies, galleries, tiers and terraces (楼座, 看台)."""
    return not section.standing and not on_the_floor(section)


def sections_in(part: str, sections: Sequence[SectionRec]) -> list[SectionRec]:
    """The sections of ``part`` ('floor' or 'stands') among a venue's ``sections``."""
    wanted = on_the_floor if part == "floor" else in_the_stands
    return [s for s in sections if wanted(s)]


def tiers_in(event: EventRec, sections: Sequence[SectionRec]) -> list[str]:
    """The codes of the event's tiers that sell seats (or standing places) in ``sections``, in the event's order."""
    there = {t.code for s in sections for row in s.rows if (t := event.tier_for(s, row)) is not None}
    return [t.code for t in event.tiers if t.code in there]
