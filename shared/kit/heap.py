"""The heap of a long-running server, settled once it holds what it keeps for good."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager

_settled: set[str] = set()
_built: set[str] = set()


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
    several verticals (a benchmark, the evals) freezes at most once per vertical.

    What ``quiet_heap`` or ``quiet_start`` froze stays frozen: thawing it to collect the little garbage it holds
    would walk every object again (13 s in a test process holding millions)."""
    if kind in _settled:
        return
    _settled.add(kind)
    gc.collect()
    gc.freeze()


@contextmanager
def quiet_heap(kind: str = "") -> Iterator[None]:
    """No cyclic garbage collection while a provider is imported and built; then, for the first build of each kind
    in the process, freeze everything alive before collections resume.

    The build (backend imports, sandbox, catalog, network, indexes) makes a few hundred thousand objects that live
    as long as the process. Collected as usual, they set off full collections during the build and, once the
    build's survivors reach the old generation, another inside the first call (~0.15 s of nav's first route on a
    fresh server). Frozen, later collections skip them; the price is the build's cyclic garbage (import-time
    cycles, temporaries: 1-2 MB), frozen with them instead of collected. Later builds of a kind (tests build many
    apps) only pause collections: frozen objects are freed by reference counting alone. A caller that already
    disabled collections keeps them as they are."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
        if kind not in _built:  # a build that failed is garbage: the next one freezes
            _built.add(kind)
            gc.freeze()  # before collections resume: a young collection over the build would walk all of it
    finally:
        gc.enable()


_paused_at_launch = False


def pause_at_launch() -> None:
    """Pause collections from a console script's first import (``servers.launch``) until ``quiet_start`` has built
    the server or ``resume_after_launch`` says the command is not a stdio server: the SDK's, SQLAlchemy's and our
    imports make ~250,000 objects that live as long as the process, and the collections they set off were ~0.1 s
    of a stdio server's start, before its first answer."""
    global _paused_at_launch
    if gc.isenabled():
        gc.disable()
        _paused_at_launch = True


def resume_after_launch(freeze: bool = False) -> None:
    """Collections as usual again after ``pause_at_launch`` (a no-op without it); ``freeze``: keep what the start
    made out of later collections first, as ``quiet_heap`` does after a build."""
    global _paused_at_launch
    if _paused_at_launch:
        _paused_at_launch = False
        if freeze:
            gc.freeze()
        gc.enable()


@contextmanager
def quiet_start() -> Iterator[None]:
    """A server process's imports and tool registry made with collections paused, then frozen: a dozen full
    collections over module objects that never become garbage are ~0.1 s of a stdio server's ``initialize``.
    Under a console script the pause began with its first import (``pause_at_launch``)."""
    if not _paused_at_launch:
        with quiet_heap("process"):
            yield
        return
    try:
        yield
        resume_after_launch(freeze=True)
    finally:
        resume_after_launch()


SETTLE_DELAY_S = 1.0
"""How long after an in-process provider is built its heap is settled: the first call that built it has answered
by then, so it does not wait for the collection (50-100 ms on a default-city server)."""


def settle_heap_soon(kind: str = "") -> None:
    """``settle_heap(kind)`` a moment from now on the running asyncio loop (at once where there is none)."""
    try:
        asyncio.get_running_loop().call_later(SETTLE_DELAY_S, settle_heap, kind)
    except RuntimeError:
        settle_heap(kind)
