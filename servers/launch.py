"""The console scripts: collections paused before the first heavy import (``shared.kit.heap.pause_at_launch``),
then the command line of ``servers.cli`` or of one vertical."""

from __future__ import annotations

import importlib
import os
import sys

from shared.kit.heap import pause_at_launch

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


def one_blas_thread() -> None:
    """One OpenBLAS thread unless the environment chose a number: numpy's OpenBLAS starts a thread per core as numpy
    is imported, which in a server only spins (nothing here multiplies float matrices) and took 50-80 ms of CPU
    from the start of a stdio server, beside it on a second core (measured from the wheel on 2 cores)."""
    if not any(os.environ.get(name) for name in BLAS_THREADS):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"


def no_httpx_command_line() -> None:
    """Keep httpx from importing its own command line (``httpx._main``): wherever rich is installed (Qwen-Agent's
    and schemathesis's dependencies bring it), ``import httpx`` loaded rich and pygments for a console our servers
    never run: 70 modules, ~4 MB resident and ~40 ms of every server's start (measured on nav, from spawn). A
    ``None`` in ``sys.modules`` makes that import fail as if rich were missing, which httpx expects (it then defines
    a stub ``main``)."""
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def launched() -> None:
    """What every console script does first, before its first heavy import."""
    pause_at_launch()
    one_blas_thread()
    no_httpx_command_line()


def main() -> None:
    """``lifestyle-mcp``."""
    launched()
    from servers.cli import main as cli

    cli()


def vertical(name: str) -> None:
    """``<name>-mcp``: one vertical's own command line (``servers.<name>.__main__``)."""
    launched()
    importlib.import_module(f"servers.{name}.__main__").main()


def food() -> None:
    vertical("food")


def tickets() -> None:
    vertical("tickets")


def movies() -> None:
    vertical("movies")


def nav() -> None:
    vertical("nav")
