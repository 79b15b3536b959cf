"""The final state of one person's account, normalised so two runs that did the same thing compare equal.

``capture`` reads the sandbox database directly (the harness's view, as τ²-bench compares its DB): the wallet and
its movements, the address book, food orders, ticket orders and saved ticket holders, movie orders, and the seats
still held for the user when the task ends (a hold left behind after the person said no blocks those seats for
everyone for ten minutes: a real defect, so it shows in the state). Ids the backends
generate (order ids, tokens, pickup codes) and free text the agent words itself (an order note) are left out, so the
state says *what* was done, not how it was spelled; rows come out sorted, so the order of doing things does not
matter. Seats are kept as tiers and prices unless a task asks for the exact seats.

Only the task's user is read; everyone else's rows are folded into one digest (``others_digest``) that must not
change: collateral damage to another account fails the task whatever the agent answered.

``expect`` paths (``evals.model.Checks.expect``) read this structure: ``movies.orders|len``,
``food.orders.0.restaurant_id``, ``wallet.balance_minor``, ``spent_minor`` (money out of the wallet during the task,
refunds netted).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from evals.refs import ReferenceError_, follow
from shared.account.clock import SandboxClock
from shared.clock import utc

State = dict[str, Any]
SeatMode = Literal["count", "exact"]

USER_TABLES = (
    "account_user", "account_address", "account_wallet", "account_ledger", "food_order", "tickets_order",
    "tickets_attendee", "movies_order",
)  # fmt: skip
"""Tables with a ``user_id`` (or, for users, an ``id``) column: what "another user's data" means."""


def _rows(conn: Connection, table: str, user: str) -> list[dict[str, Any]]:
    result = conn.execute(text(f"SELECT * FROM {table} WHERE user_id = :u"), {"u": user})
    return [dict(row._mapping) for row in result]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) and value[:1] in ("{", "[") else value


def _sorted(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False, default=str))


def _line(line: Mapping[str, Any]) -> dict[str, Any]:
    options = line.get("option_ids") or line.get("options") or []
    ids = sorted(o if isinstance(o, str) else str(o.get("id", o)) for o in options)
    return {"item_id": line.get("item_id", ""), "quantity": line.get("quantity", 0), "options": ids}


def _food(conn: Connection, user: str) -> dict[str, Any]:
    orders = []
    for row in _rows(conn, "food_order", user):
        snap = _json(row["snapshot"]) or {}
        address = snap.get("address") or {}
        orders.append({
            "restaurant_id": row["restaurant_id"],
            "items": _sorted([_line(line) for line in snap.get("lines", [])]),
            "total_minor": row["total_minor"],
            "payment_method": row["payment_method"],
            "coupon_code": row["coupon_code"],
            "address": f"{address.get('street', '')} {address.get('housenumber', '')}".strip(),
            "deliver_at": snap.get("deliver_at", ""),
            "cancelled": row["cancelled_at"] is not None,
            "refunded_minor": row["refunded_minor"],
        })  # fmt: skip
    return {"orders": _sorted(orders)}


def _seats(seats: list[dict[str, Any]], mode: SeatMode) -> list[dict[str, Any]]:
    shown = []
    for seat in seats:
        item = {"tier": seat.get("tier", ""), "price_minor": seat.get("price_minor", 0)}
        if "refunded" in seat:
            item["refunded"] = seat["refunded"]
        if mode == "exact":
            item["seat_id"] = seat.get("seat_id", "")
        shown.append(item)
    return _sorted(shown)


def _tickets(conn: Connection, user: str, mode: SeatMode) -> dict[str, Any]:
    orders = []
    for row in _rows(conn, "tickets_order", user):
        tickets = conn.execute(text("SELECT * FROM tickets_ticket WHERE order_id = :o"), {"o": row["id"]}).all()
        seats = [
            {"tier": t.tier, "price_minor": t.price_minor, "seat_id": t.seat_id, "refunded": bool(t.refund_id),
             "attendee": t.attendee}
            for t in tickets
        ]  # fmt: skip
        shown = _seats(seats, mode)
        for item, seat in zip(shown, _sorted(seats), strict=False):
            if seat["attendee"]:
                item["attendee"] = seat["attendee"]
        orders.append({
            "event_id": row["event_id"], "session_id": row["session_id"], "tickets_minor": row["tickets_minor"],
            "fee_minor": row["fee_minor"], "total_minor": row["total_minor"], "refunded_minor": row["refunded_minor"],
            "seats": shown,
        })  # fmt: skip
    holders = [
        {"name": r["name"], "id_type": r["id_type"], "id_number": r["id_number"]}
        for r in _rows(conn, "tickets_attendee", user)
    ]
    return {"orders": _sorted(orders), "attendees": _sorted(holders)}


def _movies(conn: Connection, user: str, mode: SeatMode) -> dict[str, Any]:
    orders = [
        {
            "showtime_id": row["showtime_id"],
            "tickets_minor": row["tickets_minor"],
            "fee_minor": row["fee_minor"],
            "total_minor": row["total_minor"],
            "refunded_minor": row["refunded_minor"],
            "seats": _seats(_json(row["seats"]) or [], mode),
        }
        for row in _rows(conn, "movies_order", user)
    ]
    return {"orders": _sorted(orders)}


HOLD_TABLES = {"tickets": "tickets_seat_hold", "movies": "movies_seat_hold"}


def _when(value: Any) -> datetime:
    return utc(value if isinstance(value, datetime) else datetime.fromisoformat(str(value)))


def _live_holds(conn: Connection, user: str, now: datetime, tables: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Per vertical, the sessions (showtimes) where the user still holds seats now, and how many."""
    held: dict[str, list[dict[str, Any]]] = {}
    for vertical, table in HOLD_TABLES.items():
        if table not in tables:
            continue
        rows = conn.execute(
            text(f"SELECT inventory_id, seats, expires_at FROM {table} "
                 "WHERE user_id = :u AND order_id = '' AND released_at IS NULL"), {"u": user},
        ).all()  # fmt: skip
        live = [{"session_id": r.inventory_id, "seats": len(_json(r.seats) or [])} for r in rows
                if _when(r.expires_at) > now]  # fmt: skip
        held[vertical] = _sorted(live)
    return held


def capture(engine: Engine, user: str, *, seats: SeatMode = "count") -> State:
    """The normalised state of ``user``'s account across every vertical."""
    now = SandboxClock(engine).now()
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        wallet = conn.execute(text("SELECT balance_minor FROM account_wallet WHERE user_id = :u"), {"u": user})
        balance = wallet.scalar_one_or_none()
        ledger = [
            {"vertical": r["vertical"], "kind": r["kind"], "amount_minor": r["amount_minor"]}
            for r in _rows(conn, "account_ledger", user)
            if r["kind"] != "opening"
        ]
        addresses = [
            {k: r[k] for k in ("label", "street", "housenumber", "postcode", "city", "notes")}
            for r in _rows(conn, "account_address", user)
        ]
        return {
            "wallet": {"balance_minor": balance},
            "ledger": _sorted(ledger),
            "addresses": sorted(addresses, key=lambda a: str(a["label"]).casefold()),
            "food": _food(conn, user),
            "tickets": _tickets(conn, user, seats),
            "movies": _movies(conn, user, seats),
            "holds": _live_holds(conn, user, now, tables),
        }


def others_digest(engine: Engine, user: str) -> str:
    """One digest of every other user's rows in the user tables (all columns): it must not change during a task."""
    names = set(inspect(engine).get_table_names())
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in USER_TABLES:
            if table not in names:
                continue
            column = "id" if table == "account_user" else "user_id"
            rows = conn.execute(text(f"SELECT * FROM {table} WHERE {column} != :u"), {"u": user}).all()
            for row in sorted(repr(tuple(r)) for r in rows):
                digest.update(f"{table}:{row}\n".encode())
    return digest.hexdigest()


def state_hash(state: State) -> str:
    return hashlib.sha256(canonical(state).encode()).hexdigest()[:16]


def canonical(state: State) -> str:
    return json.dumps(state, sort_keys=True, ensure_ascii=False, indent=1, default=str)


def diff(expected: State, actual: State) -> str:
    """A readable unified diff of two states ('' when equal)."""
    if expected == actual:
        return ""
    lines = difflib.unified_diff(
        canonical(expected).splitlines(),
        canonical(actual).splitlines(),
        "expected (oracle)",
        "actual",
        lineterm="",
        n=2,
    )
    return "\n".join(lines)


def with_spent(state: State, before: State) -> State:
    """The state plus ``spent_minor``: what left the wallet during the task (negative: more came back)."""
    spent = (before["wallet"]["balance_minor"] or 0) - (state["wallet"]["balance_minor"] or 0)
    return {**state, "spent_minor": spent}


OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "contains")


def read_path(state: State, path: str) -> Any:
    """The value at ``path`` (dots, with a final ``|len`` for the length of a list)."""
    path, _, fn = path.partition("|")
    value = follow(state, path)
    if fn == "len":
        return len(value)
    if fn:
        raise ReferenceError_(f"{path}|{fn}: the only function is |len")
    return value


def check_expect(state: State, expect: Mapping[str, Any]) -> list[str]:
    """Each ``expect`` entry that does not hold, as a sentence."""
    problems = []
    for path, wanted in expect.items():
        try:
            value = read_path(state, path)
        except ReferenceError_ as exc:
            problems.append(f"expect {path}: {exc}")
            continue
        tests = wanted if isinstance(wanted, Mapping) and set(wanted) <= set(OPERATORS) and wanted else {"==": wanted}
        problems.extend(
            f"expect {path} {op} {arg!r}, but it is {value!r}"
            for op, arg in tests.items()
            if not _holds(value, op, arg)
        )
    return problems


def _holds(value: Any, op: str, arg: Any) -> bool:
    try:
        if op == "==":
            return bool(value == arg)
        if op == "!=":
            return bool(value != arg)
        if op == "contains":
            return arg in value
        return bool({"<": value < arg, "<=": value <= arg, ">": value > arg, ">=": value >= arg}[op])
    except TypeError:
        return False
