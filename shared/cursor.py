"""Cursors that name the last item a page showed, so the next page starts right after it even if rows were
added or removed meanwhile (an offset would skip or repeat them).

A key cursor is the sort key of the last item of the page (a tuple of ints, floats and strings ending with the
item's id), JSON in URL-safe base64 behind a ``k:<scope>:`` tag, the scope naming the list that issued it (no other
list accepts it). The older offset cursors (``o:``, ``page_slice`` in ``shared.schemas.common``) and cursors issued
before cursors were scoped are still read, so a client holding one keeps paging.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt
from sqlalchemy import func
from sqlmodel import Session, select

from shared.clock import utc
from shared.errors import InvalidInputError, shown
from shared.schemas.common import PageInfo, check_cursor_scope, cursor_parts, decode_cursor, scoped, split_asked

T = TypeVar("T")
Key = tuple[Any, ...]


def key_cursor(key: Sequence[Any], scope: str = "", asked: str = "") -> str:
    """The cursor after the item whose sort key is ``key``, in the list ``scope``, for the arguments whose digest
    is ``asked`` (``shared.schemas.common.asked_digest``)."""
    return scoped("k", scope, json.dumps(list(key), separators=(",", ":"), ensure_ascii=False), asked)


def read_cursor(cursor: str, scope: str = "", asked: str = "") -> int | Key:
    """The first page (0), an offset (older cursors) or the sort key of the last item shown, from a cursor the list
    ``scope`` issued for the arguments ``asked``; a cursor another list, or another search, issued is refused."""
    if not cursor:
        return 0
    parts = cursor_parts(cursor)
    if parts is None:
        raise not_our_cursor(cursor)
    kind, issued, body = parts
    check_cursor_scope(cursor, issued, scope)
    if kind == "k":
        body = split_asked(cursor, body, asked, scope)
        try:
            key = json.loads(body)
        except ValueError:
            key = None
        if isinstance(key, list) and key and all(isinstance(k, int | float | str) for k in key):
            return tuple(key)
        raise not_our_cursor(cursor)
    return decode_cursor(cursor, scope, asked)  # refuses anything else with the same message


def not_our_cursor(cursor: str = "") -> InvalidInputError:
    """The refusal for a cursor this server could not have issued (also for a key of the wrong shape)."""
    return InvalidInputError(
        f"cursor {shown(cursor)} is not a cursor this server issued."
        if cursor
        else "That cursor is not one this server issued for this search.",
        "Pass the next_cursor value from the previous page unchanged, or '' for the first page.",
        field="cursor",
    )


def keyset_slice(
    items: Sequence[T], key: Callable[[T], Key], cursor: str, limit: int, *, scope: str = "", asked: str = ""
) -> tuple[list[T], PageInfo]:
    """One page of ``items`` (already sorted by ``key``, whose last part is unique) after the cursor's item, in the
    list ``scope`` chosen by the arguments whose digest is ``asked``."""
    after = read_cursor(cursor, scope, asked)
    if isinstance(after, int):
        start = after
    else:
        start = bisect.bisect_right(items, after, key=key)
    page = list(items[start : start + limit])
    more = start + limit < len(items)
    nxt = key_cursor(key(page[-1]), scope, asked) if more and page else ""
    return page, PageInfo(next_cursor=nxt, total=len(items))


class Placed(Protocol):
    id: str
    placed_at: datetime


def placed_now(session: Session, placed_at: Any, user: Any, user_id: str, now: datetime) -> datetime:
    """The time an order of ``user_id`` is placed: ``now``, or a microsecond after that user's latest order in the
    same table when the sandbox clock stands still (frozen, as evaluations and tests run it). Two orders placed at
    one frozen instant tied on ``newest_first`` and fell back on their random ids, so 'my latest order' was either
    of them; a real clock never gives two orders of one person the same instant. ``placed_at`` and ``user`` are the
    table's columns."""
    last = session.exec(select(func.max(placed_at)).where(user == user_id)).one()
    if last is None or utc(last) < utc(now):
        return now
    return utc(last) + timedelta(microseconds=1)


def newest_first(item: Placed) -> Key:
    """The sort key of an order list, newest first and then by id: a page after an order starts right after it
    though orders were placed or refunded (and so left a filtered list) between the pages."""
    return (-utc(item.placed_at).timestamp(), item.id)


def latest_placed(session: Session, model: Any, user_id: str) -> tuple[str, datetime] | None:
    """The user's most recent row of an order table ``model`` (its ``id``, ``user_id`` and ``placed_at``): its id
    and when it was placed, for 'my latest order' said where an id goes (``shared.phrases.latest_order_said``)."""
    row = session.exec(
        select(model).where(model.user_id == user_id).order_by(model.placed_at.desc(), model.id.desc()).limit(1)
    ).first()
    return (row.id, row.placed_at) if row is not None else None


def count_through(parts: Sequence[npt.NDArray[Any]], key: Sequence[Any]) -> int:
    """How many items of a list sorted by the columns ``parts`` (most significant first) sort at or before
    ``key``: where the page after the cursor's item starts. Vectorised, so a deep page costs no Python loop."""
    after = np.zeros(len(parts[0]), dtype=bool)
    for part, value in zip(reversed(parts), reversed(key), strict=True):
        after = (part > value) | ((part == value) & after)
    return int(len(after) - np.count_nonzero(after))
