"""A server settles its heap once per vertical: after the first app of a kind is built, what is alive then is frozen
(left out of later full collections, which otherwise paused a call for 200-300 ms every few hundred); later apps of
the same kind do not freeze again (a test process builds hundreds)."""

from __future__ import annotations

import gc
import importlib
import secrets
import subprocess
import sys
import weakref
from pathlib import Path

import anyio
import pytest

from shared.kit import heap
from tests.sandboxes import Lifestyle
from tests.support import provider

ROOT = Path(__file__).resolve().parents[2]


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



def test_a_console_scripts_pause_lasts_until_a_stdio_servers_tools_are_registered_even_when_that_fails() -> None:
    assert gc.isenabled()
    heap.pause_at_launch()  # what servers.launch does before its first heavy import
    assert not gc.isenabled()
    before = gc.get_freeze_count()
    with heap.quiet_start():
        assert not gc.isenabled()  # the build of the tool registry too
    assert gc.isenabled()
    assert gc.get_freeze_count() > before  # what the start made is kept out of later collections
    heap.pause_at_launch()
    with pytest.raises(RuntimeError), heap.quiet_start():
        raise RuntimeError("the server could not be built")
    assert gc.isenabled()


def test_every_other_command_resumes_collections_before_it_runs() -> None:
    """The launcher itself, in a fresh interpreter: a command that is not a stdio server (here ``config``) runs with
    collections on, as a long demo, an evaluation or an HTTP server must."""
    code = (
        "import gc, sys\n"
        "from servers import launch\n"
        "import servers.cli\n"
        "seen = []\n"
        "real = servers.cli.out\n"
        "servers.cli.out = lambda line: (seen.append(gc.isenabled()), real(line))\n"
        "sys.argv = ['lifestyle-mcp', 'config', '--client', 'goose']\n"
        "launch.main()\n"
        "print('collections during the command:', seen[0])\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "collections during the command: True"


READS = {
    "food": "/cuisines",
    "tickets": "/events?limit=2",
    "movies": "/showtimes?limit=2",  # reads each showtime's seat spec
    "nav": "/reverse?lat=60.1699&lng=24.9384",
}


@pytest.mark.parametrize("vertical", list(READS))
async def test_a_provider_app_that_is_dropped_is_freed_with_its_service(lifestyle: Lifestyle, vertical: str) -> None:
    """An app that served requests and was dropped is freed with its service and catalog: tests and eval trials build
    an app per sandbox, and caches keyed by route functions (FastAPI's) or by the service (a cache on a method) kept
    every one a process had built alive."""
    backend = importlib.import_module(f"servers.{vertical}.backend.app")
    extra = {"network": lifestyle.apps["nav"].state.service.network} if vertical == "nav" else {}
    app = backend.create_app(lifestyle.settings[vertical], sandbox=lifestyle.sandboxes[vertical], **extra)
    async with provider(app) as http:
        for path in ("/account", READS[vertical]):
            assert (await http.get(path)).status_code == 200, path
    service = weakref.ref(app.state.service)
    del app, http
    gc.collect()
    assert service() is None, "the dropped app's service is still alive"
