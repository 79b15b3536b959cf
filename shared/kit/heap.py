"""The heap of a long-running server, settled once it holds what it keeps for good."""

from __future__ import annotations

import asyncio
import gc

_settled: set[str] = set()


def settle_heap(kind: str = "") -> None:
    """Collect once, then freeze whatever is alive (``gc.freeze``): for the first app of each kind (a vertical) in
    a process, once it has loaded what it keeps for good (its catalogs and indexes).

    A full collection walks every tracked object, and a server holds ~250,000 from its imports and catalog that
    never become garbage: every few hundred calls, once enough objects had outlived younger collections, one
    call paused for 200-300 ms (measured on food's reads, on the default city and the scale pack alike). Frozen
    objects are left out of every later collection. Only the first app of each kind does it (tests and evals
    build many apps, one after another): frozen objects are freed by reference counting alone, so an app that
    was alive at a later freeze and then dropped would keep its cycles for good, and each call would walk every
    object made since the last. A server process serves one vertical with its first app; a process that holds
    several verticals (a benchmark, the evals) freezes at most once per vertical."""
    if kind in _settled:
        return
    _settled.add(kind)
    gc.collect()
    gc.freeze()


SETTLE_DELAY_S = 1.0
"""How long after an in-process provider is built its heap is settled: the first call that built it has answered
by then, so it does not wait for the collection (50-100 ms on a default-city server)."""


def settle_heap_soon(kind: str = "") -> None:
    """``settle_heap(kind)`` a moment from now on the running asyncio loop (at once where there is none)."""
    try:
        asyncio.get_running_loop().call_later(SETTLE_DELAY_S, settle_heap, kind)
    except RuntimeError:
        settle_heap(kind)
