"""Prices, refund rules and ID documents: exact integer arithmetic and rules stated in words.

Kept apart from the services because the hold, the purchase quote, the order and the refund must
compute the very same numbers: a quote that differs from the charge by a cent is a bug.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from shared.errors import InvalidInputError, shown
from shared.schemas.common import Money, format_money
from shared.schemas.tickets import Bill, BillLine, IdType, RefundPolicy

HOLD_TTL = timedelta(minutes=10)
SALES_CLOSE_BEFORE = timedelta(hours=1)
FEW_LEFT = 20  # "few_left" below this many tickets in a session
STANDARD_FEE_MINOR = 200  # kept per ticket on an early refund
FULL_REFUND_BEFORE = timedelta(days=7)
PARTIAL_REFUND_BEFORE = timedelta(hours=48)
PARTIAL_PERCENT = 80

POLICY_TEXT: dict[RefundPolicy, str] = {
    "standard": "Refunds go to the wallet. 7 days or more before the start: everything paid minus a €2.00 fee per "
    "ticket. From 7 days to 48 hours before: 80% of what was paid. Under 48 hours before the start: no refunds.",
    "strict": "Refunds go to the wallet. 7 days or more before the start: 80% of what was paid. Under 7 days "
    "before the start: no refunds.",
    "no_refund": "These tickets cannot be refunded (不支持退票).",
}


def bill(prices: list[tuple[str, int]], fee_minor: int, currency: str) -> Bill:
    """Bill for tickets given as (tier, face value) pairs: face values + service fee × n."""
    m = lambda v: Money.of(v, currency)  # noqa: E731
    face = sum(p for _, p in prices)
    n = len(prices)
    lines = []
    for (tier, price), count in sorted(Counter(prices).items(), key=lambda kv: (-kv[0][1], kv[0][0])):
        lines.append(
            BillLine(label=f"{count} × {tier}", amount=m(price * count), rule=f"{format_money(price, currency)} each")
        )
    lines.append(
        BillLine(label="Service fee", amount=m(fee_minor * n), rule=f"{format_money(fee_minor, currency)} × {n}")
    )
    lines.append(BillLine(label="Total", amount=m(face + fee_minor * n), rule="tickets + service fee"))
    return Bill(tickets=m(face), service_fee=m(fee_minor * n), total=m(face + fee_minor * n), lines=lines)


@dataclass(frozen=True)
class RefundRule:
    refund_minor: int | None  # None: refused
    rule: str


def next_drop(policy: RefundPolicy, before_start: timedelta) -> timedelta | None:
    """How long before the start the refund next gets smaller (None: not before the start): a refund token must
    lapse by then, or it would promise an amount the refund no longer pays."""
    steps = {"standard": (FULL_REFUND_BEFORE, PARTIAL_REFUND_BEFORE), "strict": (FULL_REFUND_BEFORE,)}.get(policy, ())
    coming = [step for step in steps if step <= before_start]
    return max(coming) if coming else None


def _count(n: int, unit: str) -> str:
    """'1 hour', '5 hours': the refund rule is read out to the user as it is."""
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def refund_for(policy: RefundPolicy, paid_per_ticket: list[int], before_start: timedelta, currency: str) -> RefundRule:
    """What refunding tickets that cost ``paid_per_ticket`` returns, ``before_start`` ahead of the session."""
    hours = before_start.total_seconds() / 3600
    # Rounded down, so the words never say "48 hours" of what is under 48 hours (nor "7.0 days" of 6.99).
    if hours >= 48:
        when = f"{math.floor(hours / 2.4) / 10:.1f} days"
    elif hours >= 1:
        when = _count(math.floor(hours), "hour")
    else:  # "starts in 0 hours" read as starting now, 59 minutes ahead
        when = _count(math.floor(max(hours, 0) * 60), "minute")
    if policy == "no_refund":
        return RefundRule(None, POLICY_TEXT["no_refund"])
    if before_start <= timedelta(0):
        return RefundRule(None, "The session has started or is over; tickets can no longer be refunded.")
    if before_start >= FULL_REFUND_BEFORE:
        if policy == "standard":
            back = sum(max(0, p - STANDARD_FEE_MINOR) for p in paid_per_ticket)
            fee = format_money(STANDARD_FEE_MINOR, currency)
            return RefundRule(
                back, f"The session starts in {when} (7 days or more): full refund minus {fee} per ticket."
            )
        back = sum(p * PARTIAL_PERCENT // 100 for p in paid_per_ticket)
        return RefundRule(back, f"The session starts in {when} (7 days or more): {PARTIAL_PERCENT}% refund.")
    if policy == "standard" and before_start >= PARTIAL_REFUND_BEFORE:
        back = sum(p * PARTIAL_PERCENT // 100 for p in paid_per_ticket)
        return RefundRule(
            back, f"The session starts in {when} (between 48 hours and 7 days): {PARTIAL_PERCENT}% refund."
        )
    limit = "48 hours" if policy == "standard" else "7 days"
    return RefundRule(None, f"The session starts in {when}, under {limit}: this event's policy allows no refund now.")


# ----- ID documents ------------------------------------------------------------------------------
ID_RULES: dict[IdType, tuple[re.Pattern[str], str]] = {
    "id_card": (re.compile(r"^\d{17}[\dX]$"), "18 characters: 17 digits and a final digit or X"),
    "passport": (re.compile(r"^[A-Z0-9]{6,12}$"), "6–12 letters and digits"),
    "hk_macao_permit": (re.compile(r"^[HM]\d{8}(\d{2})?$"), "H or M followed by 8 or 10 digits"),
    "taiwan_permit": (re.compile(r"^\d{8}(\d{2})?$"), "8 or 10 digits"),
}
_CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"
NAME_RE = re.compile(r"^[^\W\d_]+(?:[ .'\-·][^\W\d_]+)*$")


def id_card_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a Chinese resident ID number."""
    return _CHECK_CODES[sum(int(d) * w for d, w in zip(first17, _CHECK_WEIGHTS, strict=True)) % 11]


def normalize_id(id_type: IdType, raw: str) -> str:
    """The ID number in canonical form; refuses one that cannot be right, saying what it should look like."""
    value = re.sub(r"[\s-]", "", raw).upper()
    pattern, shape = ID_RULES[id_type]
    if not pattern.match(value):
        raise InvalidInputError(
            f"id_number does not look like a {id_type.replace('_', ' ')} number.",
            f"A {id_type.replace('_', ' ')} number is {shape}; check it with the user.",
            field="id_number",
        )
    if id_type == "id_card" and id_card_check_digit(value[:17]) != value[17]:
        raise InvalidInputError(
            "id_number fails the ID card checksum (the last character does not match the others).",
            "A digit is probably mistyped; check the number with the user.",
            field="id_number",
        )
    return value


def normalize_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not 1 <= len(name) <= 40 or not NAME_RE.match(name):
        raise InvalidInputError(
            f"name {shown(raw)} is not a name as written on an ID.",
            "Give the full name exactly as on the ID document: letters, spaces, hyphens or dots, at most 40.",
            field="name",
        )
    return name


def mask_id(value: str) -> str:
    """Keep the first and last four characters of a long number (two of a short one): 1101**********1234."""
    keep = 4 if len(value) >= 12 else 2
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def mask_name(name: str) -> str:
    """Damai-style: 王** for Chinese names, 'Alice S.' for Latin ones."""
    if re.search(r"[\u3400-\u9fff]", name):
        return name[0] + "*" * (len(name) - 1)
    parts = name.split()
    return parts[0] if len(parts) == 1 else f"{parts[0]} {parts[-1][0]}."
