"""A server settles its heap once per vertical: after the first app of a kind is built, what is alive then is frozen
(left out of later full collections, which otherwise paused a call for 200-300 ms every few hundred); later apps of
the same kind do not freeze again (a test process builds hundreds)."""

from __future__ import annotations

import gc

import anyio

from shared.kit import heap


async def test_the_first_app_of_a_kind_freezes_the_heap_a_moment_later_and_only_once() -> None:
    kind = f"test-{id(object())}"
    before = gc.get_freeze_count()
    heap.settle_heap_soon(kind)
    assert gc.get_freeze_count() == before  # not during the call that built the app
    await anyio.sleep(heap.SETTLE_DELAY_S + 0.3)
    frozen = gc.get_freeze_count()
    assert frozen > before
    kept = [[] for _ in range(10)]  # tracked and alive now: a second freeze would take them in too
    heap.settle_heap(kind)
    assert gc.get_freeze_count() == frozen
    del kept
