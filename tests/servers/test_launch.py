"""The console scripts' launcher (``servers.launch``): numpy's OpenBLAS gets one thread unless the environment chose;
a stdio server registers its tools before it imports its provider's stack."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from servers import launch


def test_the_launcher_gives_openblas_one_thread_when_nothing_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in launch.BLAS_THREADS:
        monkeypatch.delenv(name, raising=False)
    launch.one_blas_thread()
    assert launch.os.environ["OPENBLAS_NUM_THREADS"] == "1"


@pytest.mark.parametrize("name", ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"])
def test_a_thread_count_the_environment_chose_is_kept(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    for other in launch.BLAS_THREADS:
        monkeypatch.delenv(other, raising=False)
    monkeypatch.setenv(name, "4")
    launch.one_blas_thread()
    assert launch.os.environ[name] == "4"
    assert name == "OPENBLAS_NUM_THREADS" or "OPENBLAS_NUM_THREADS" not in launch.os.environ


def test_a_stdio_server_registers_its_tools_without_importing_its_provider_stack() -> None:
    """SQLAlchemy, numpy and FastAPI are the provider's: a launched server imports them in its warm start, beside
    its first answer, not before it (they were ~0.1 s of nav's ``initialize`` from the wheel)."""
    code = (
        "import sys\n"
        "from shared.kit.cli import run\n"
        "from shared.kit.settings import Settings\n"
        "from servers.nav.server import build_server\n"
        "build_server(Settings.for_vertical('nav').warm_by_default())\n"
        "print(sorted(m for m in ('sqlalchemy', 'numpy', 'fastapi', 'sqlmodel') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_serving_one_vertical_imports_that_vertical_only() -> None:
    """``lifestyle-mcp serve nav`` looked for verticals by importing every package under servers/, so the demos'
    package (the MCP client, the account's database layer: SQLAlchemy) was imported before ``initialize``."""
    code = (
        "import atexit, sys\n"
        "watched = ('servers.demos', 'servers.food', 'servers.tickets', 'servers.movies', 'sqlalchemy', 'fastapi')\n"
        "atexit.register(lambda: print('imported', sorted(m for m in watched if m in sys.modules), file=sys.stderr))\n"
        "from servers.cli import main\n"
        "main(['serve', 'nav', '--help'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage" in done.stdout  # nav's own options were reached
    assert done.stderr.strip().splitlines()[-1] == "imported []", done.stderr


def test_a_launched_server_imports_httpx_without_its_command_line() -> None:
    """rich is installed here (Qwen-Agent's and schemathesis's dependencies bring it), so ``import httpx`` loaded
    rich and pygments for httpx's own console: ~4 MB of every server's resident memory. Launched, a server's httpx
    has no command line and works as before."""
    code = (
        "import sys\n"
        "from servers.launch import launched\n"
        "launched()\n"
        "import httpx\n"
        "assert httpx.Client().build_request('GET', 'http://x/').url.host == 'x'\n"
        "print(sorted(m for m in ('rich', 'pygments', 'httpx._main') if m in sys.modules))\n"
    )
    assert importlib.util.find_spec("rich"), "the dev environment's rich is what this test is about"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "['httpx._main']", done.stderr


@pytest.mark.parametrize("configured", [True, False])
def test_a_server_leaves_rich_unimported_where_logging_is_configured_already(configured: bool) -> None:
    """The SDK's ``MCPServer`` configured logging with rich's handler, importing rich's console (~3 MB resident) for
    a handler ``logging.basicConfig`` dropped: the server's command line had configured the root logger already.
    Where nothing has, the SDK's logging stands as it was (rich's handler on the root logger)."""
    code = (
        "import logging, sys\n"
        "from servers.launch import launched\n"
        "launched()\n"
        "from shared.kit.cli import configure_logging\n"
        + ("configure_logging('WARNING')\n" if configured else "")
        + "from shared.kit.settings import Settings\n"
        "from servers.nav.server import build_server\n"
        "build_server(Settings.for_vertical('nav').warm_by_default())\n"
        "print(sys.modules.get('rich.console') is not None, [type(h).__name__ for h in logging.getLogger().handlers])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    expected = "False ['StreamHandler']" if configured else "True ['RichHandler']"
    assert done.stdout.strip() == expected, done.stderr
