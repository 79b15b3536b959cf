"""The console scripts: collections paused before the first heavy import (``shared.kit.heap.pause_at_launch``),
then the command line of ``servers.cli`` or of one vertical."""

from __future__ import annotations

import importlib

from shared.kit.heap import pause_at_launch


def main() -> None:
    """``lifestyle-mcp``."""
    pause_at_launch()
    from servers.cli import main as cli

    cli()


def vertical(name: str) -> None:
    """``<name>-mcp``: one vertical's own command line (``servers.<name>.__main__``)."""
    pause_at_launch()
    importlib.import_module(f"servers.{name}.__main__").main()


def food() -> None:
    vertical("food")


def tickets() -> None:
    vertical("tickets")


def movies() -> None:
    vertical("movies")


def nav() -> None:
    vertical("nav")
