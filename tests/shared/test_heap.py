"""A server settles its heap once per vertical: after the first app of a kind is built, what is alive then is frozen
(left out of later full collections, which otherwise paused a call for 200-300 ms every few hundred); later apps of
the same kind do not freeze again (a test process builds hundreds)."""

from __future__ import annotations

import gc
import secrets

import anyio
import pytest

from shared.kit import heap


async def test_the_first_app_of_a_kind_freezes_the_heap_a_moment_later_and_only_once() -> None:
    kind = f"test-{secrets.token_hex(4)}"  # a kind no other test used
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


def test_a_build_runs_with_collections_paused_and_they_resume_after_it_even_when_it_fails() -> None:
    kind = f"test-{secrets.token_hex(4)}"  # a kind no other test used
    assert gc.isenabled()
    with pytest.raises(RuntimeError), heap.quiet_heap(kind):
        assert not gc.isenabled()
        raise RuntimeError("the sandbox could not be opened")
    assert gc.isenabled()
    assert kind not in heap._built  # a failed build freezes nothing: the next one does
    before = gc.get_freeze_count()
    kept = [[] for _ in range(10)]
    with heap.quiet_heap(kind):
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)  # the first build of a kind froze what was alive
    frozen = gc.get_freeze_count()
    more = [[] for _ in range(10)]
    with heap.quiet_heap(kind):
        pass
    assert gc.get_freeze_count() == frozen  # a later build of the kind only pauses collections
    del kept, more


def test_a_caller_that_disabled_collections_keeps_them_disabled() -> None:
    kind = f"test-{secrets.token_hex(4)}"  # a kind no other test used
    gc.disable()
    try:
        with heap.quiet_heap(kind):
            pass
        assert not gc.isenabled()
        assert kind not in heap._built  # the caller manages the heap
    finally:
        gc.enable()

