"""``lifestyle-mcp``: the umbrella command over all verticals.

``lifestyle-mcp demo`` runs a scripted session through the real protocol (stdio);
``lifestyle-mcp serve food --transport http`` runs one server; ``lifestyle-mcp reset`` reloads
fixtures; ``lifestyle-mcp config --client claude-desktop`` prints a ready config snippet.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import servers
from shared.kit.cli import Vertical
from shared.kit.cli import run as run_vertical


def verticals() -> dict[str, Vertical]:
    """Every package under servers/ whose ``__main__`` offers ``vertical()``."""
    found: dict[str, Vertical] = {}
    for info in pkgutil.iter_modules(servers.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"servers.{info.name}.__main__")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "vertical"):
            found[info.name] = module.vertical()
    return found


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="lifestyle-mcp", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="scripted demo through the real protocol")
    demo.add_argument("--keep-data", action="store_true", help="use the normal data dir instead of a scratch one")
    serve = sub.add_parser("serve", help="run one server: lifestyle-mcp serve food [--transport http ...]")
    serve.add_argument("vertical")
    serve.add_argument("rest", nargs=argparse.REMAINDER)
    reset = sub.add_parser("reset", help="reload fixtures for one or all verticals")
    reset.add_argument("vertical", nargs="?", default="all")
    config = sub.add_parser("config", help="print a client config snippet")
    config.add_argument(
        "--client", required=True, choices=["claude-desktop", "claude-code", "qwen-agent", "cursor", "gemini"]
    )
    config.add_argument("--http", action="store_true", help="HTTP entries instead of stdio")
    ns = parser.parse_args(args)
    if ns.command == "serve":
        run_vertical(verticals()[ns.vertical], ns.rest)
    elif ns.command == "reset":
        for name, vertical in verticals().items():
            if ns.vertical in ("all", name):
                run_vertical(vertical, ["reset"])
    elif ns.command == "config":
        from servers.clients import snippet

        sys.stdout.write(snippet(ns.client, list(verticals()), http=ns.http) + "\n")
    else:
        from servers.demos import run_demo

        run_demo(keep_data=ns.keep_data)


if __name__ == "__main__":
    main()
