"""Prices, the sale window and the refund rule: exact integer arithmetic and rules stated in words.

The hold, the purchase quote, the order and the refund compute the very same numbers from here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.geo import CITY_TZ
from shared.prices import WHEELCHAIR_SAID
from shared.schemas.common import Money, format_money
from shared.schemas.movies import Bill, BillLine

FORMAT_PRICE = {"2D": 1290, "3D": 1490, "IMAX": 1790}
MATINEE_DISCOUNT = 300  # Monday–Friday showtimes starting before 17:00
MATINEE_BEFORE_HOUR = 17
TIER_SURCHARGE = {"STD": 0, "WHEELCHAIR": 0, "PREMIUM": 300, "COUPLE": 400}
TIER_NAMES = {
    "STD": "Standard / 普通座",
    "WHEELCHAIR": "Wheelchair space / 无障碍座",
    "PREMIUM": "Premium recliner / 优选座",
    "COUPLE": "Couple seat, per seat / 情侣座（每座）",
}
TIER_ORDER = ["STD", "PREMIUM", "COUPLE", "WHEELCHAIR"]
BOOKING_FEE_MINOR = 95
PER_USER_LIMIT = 6  # tickets one account may hold or own for one showtime
HOLD_TTL = timedelta(minutes=10)
SALES_CLOSE_BEFORE = timedelta(minutes=10)
REFUND_UNTIL_BEFORE = timedelta(hours=1)
REFUND_QUOTE_TTL = timedelta(minutes=5)
TRAILERS = timedelta(minutes=15)

REFUND_POLICY_TEXT = (
    "Refundable until 1 hour before the showtime: the ticket prices go back to the wallet, the booking fee "
    f"({format_money(BOOKING_FEE_MINOR, 'EUR')} per ticket) is kept. Less than 1 hour before the start, or after it, "
    "no refunds (开场前1小时外可退)."
)


MIDDLE = frozenset(
    {"中间", "中间的", "中间位置", "中间的位置", "中间的座位", "正中间", "居中", "中间一点"}
    | {"MIDDLE", "CENTER", "CENTRE", "IN THE MIDDLE", "THE MIDDLE", "MIDDLE SEATS", "CENTER SEATS", "CENTRE SEATS"}
)
"""Where in the room, said as the tier ('中间的位置', 'in the middle'): best-available standard seats are the middle
ones already, so the standard tier (it was 'not a tier of this screen')."""


BEST_VIEW = "BEST"
BEST = frozenset(
    {"最好的", "最好", "最好的位置", "最好的座位", "最佳位置", "最佳座位", "最佳观影位置", "最佳观影区"}
    | {"好位置", "好座位", "好一点的位置", "BEST", "BEST SEATS", "THE BEST SEATS", "THE BEST", "BEST VIEW"}
    | {"GOOD SEATS", "PARAS", "PARHAAT"}
)
"""The best seats said as the tier ('最好的位置', 'best seats'): in a cinema the best view, the middle of the
premium recliners (or of the standard seats where a screen has none), not the dearest tier, which is the couple
sofas of the back row ('最好的位置' was 'not a tier of this screen', 'best' took couple seats)."""


TIER_WORDS = {
    "WHEELCHAIR": {w.upper() for w in WHEELCHAIR_SAID},
    "COUPLE": {"情侣", "情侣位", "情侣座位", "双人座", "双人位", "双人沙发", "沙发座", "COUPLE SEATS", "COUPLES",
               "LOVESEAT", "LOVE SEAT", "LOVE SEATS", "SOFA", "SOFA SEATS"},
    "PREMIUM": {"优选", "优选座位", "躺椅", "躺椅座", "RECLINER", "RECLINERS",
                "PREMIUM SEATS"},
    "STD": {"普通", "普通座位", "普通位", "标准座", "标准座位", "REGULAR", "NORMAL", "STANDARD SEATS"},
}  # fmt: skip
"""Other words for each tier ('无障碍', '轮椅位', 'accessible', '双人座', '躺椅'): only the names the screen lists
('无障碍座', 'Wheelchair') were read, so '无障碍' was 'not a tier of this screen'."""


PLACE_IN_ROOM = re.compile(
    r"前排|后排|靠前|靠后|前面|后面|第一排|最后一排|过道|靠边|边上|两边|旁边"
    r"|(?<![a-z])(?:front|back|rear|last|aisle|side|edge)(?:\s+(?:rows?|seats?))?(?![a-z])",
    re.IGNORECASE,
)
"""Where in the room said as the tier ('后排', '靠过道', 'back row', 'aisle seats'): no tier, but a place the seat map
shows; the refusal says how to sit there."""


def tier_code(text: str) -> str:
    """The tier code for a code or a name as ``TIER_NAMES`` shows it ('Standard', '情侣座', 'Premium recliner') or
    another word for it (``TIER_WORDS``), the text upper-cased when it is neither: results list 'STD: Standard /
    普通座', so users and agents say either."""
    said = text.strip().upper()
    if said in MIDDLE:
        return "STD"
    if said in BEST:
        return BEST_VIEW
    for code, names in TIER_NAMES.items():
        english, chinese = (n.split(",")[0].split("（")[0].strip() for n in names.split(" / "))
        if said in (code, english.upper(), english.split()[0].upper(), chinese) or said in TIER_WORDS[code]:
            return code
    return said


def tier_label(code: str) -> str:
    """'STD (Standard / 普通座)': a code with the names it stands for."""
    return f"{code} ({TIER_NAMES[code]})" if code in TIER_NAMES else code


def base_price(fmt: str, starts_at: datetime) -> tuple[int, str]:
    """Price of a standard seat and the rule that set it."""
    local = starts_at.astimezone(CITY_TZ)
    price = FORMAT_PRICE[fmt]
    if local.weekday() < 5 and local.hour < MATINEE_BEFORE_HOUR:
        return price - MATINEE_DISCOUNT, f"{fmt} weekday matinee"
    return price, f"{fmt} {'weekend' if local.weekday() >= 5 else 'evening'}"


def tier_prices(fmt: str, starts_at: datetime, tiers: list[str]) -> dict[str, int]:
    base, _ = base_price(fmt, starts_at)
    return {t: base + TIER_SURCHARGE[t] for t in tiers}


def bill(prices: list[tuple[str, int]], currency: str = "EUR") -> Bill:
    """Bill for seats given as (tier, ticket price) pairs: prices + booking fee × n."""
    m = lambda v: Money.of(v, currency)  # noqa: E731
    face = sum(p for _, p in prices)
    n = len(prices)
    fee = BOOKING_FEE_MINOR * n
    lines = [
        BillLine(label=f"{count} × {tier}", amount=m(price * count), rule=f"{format_money(price, currency)} each")
        for (tier, price), count in sorted(Counter(prices).items(), key=lambda kv: (-kv[0][1], kv[0][0]))
    ]
    lines.append(
        BillLine(label="Booking fee", amount=m(fee), rule=f"{format_money(BOOKING_FEE_MINOR, currency)} × {n}")
    )
    lines.append(BillLine(label="Total", amount=m(face + fee), rule="tickets + booking fee"))
    return Bill(tickets=m(face), booking_fee=m(fee), total=m(face + fee), lines=lines)


@dataclass(frozen=True)
class RefundRule:
    refund_minor: int | None  # None: refused
    rule: str


def refund_for(tickets_minor: int, before_start: timedelta) -> RefundRule:
    if before_start <= timedelta(0):
        return RefundRule(None, "The showtime has started or is over; tickets can no longer be refunded.")
    if before_start <= REFUND_UNTIL_BEFORE:  # at exactly 1 hour the window has closed: no token that is dead at birth
        minutes = int(before_start.total_seconds() // 60)
        return RefundRule(None, f"The showtime starts in {minutes} minutes; refunds close 1 hour before the start.")
    hours = before_start.total_seconds() / 3600
    return RefundRule(
        tickets_minor,
        f"The showtime starts in {hours:.1f} hours (more than 1 hour): the ticket prices are refunded, "
        "the booking fee is kept.",
    )
