"""The console scripts: collections paused before the first heavy import (``shared.kit.heap.pause_at_launch``),
then the command line of ``servers.cli`` or of one vertical."""

from __future__ import annotations

import importlib
import os

from shared.kit.heap import pause_at_launch

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


def one_blas_thread() -> None:
    """One OpenBLAS thread unless the environment chose a number: numpy's OpenBLAS starts a thread per core as numpy
    is imported, which in a server only spins (nothing here multiplies float matrices) and took 50-80 ms of CPU
    from the start of a stdio server, beside it on a second core (measured from the wheel on 2 cores)."""
    if not any(os.environ.get(name) for name in BLAS_THREADS):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"


def main() -> None:
    """``lifestyle-mcp``."""
    pause_at_launch()
    one_blas_thread()
    from servers.cli import main as cli

    cli()


def vertical(name: str) -> None:
    """``<name>-mcp``: one vertical's own command line (``servers.<name>.__main__``)."""
    pause_at_launch()
    one_blas_thread()
    importlib.import_module(f"servers.{name}.__main__").main()


def food() -> None:
    vertical("food")


def tickets() -> None:
    vertical("tickets")


def movies() -> None:
    vertical("movies")


def nav() -> None:
    vertical("nav")
