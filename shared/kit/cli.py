"""The command line every server shares.

``food-mcp`` speaks stdio; ``food-mcp --transport http --host 127.0.0.1 --port 8001`` serves
streamable HTTP at ``/mcp``; ``food-mcp backend --port 9001`` serves the mocked provider API
alone (point ``FOOD_BACKEND_URL`` at it); ``food-mcp reset`` reloads the fixtures.
Nothing here writes to stdout except ``openapi``, which is never run as a server.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from shared.kit.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Vertical:
    """How the shared command line reaches one vertical."""

    name: str
    default_port: int
    build_server: Callable[[Settings], Any]
    create_app: Callable[[Settings], Any]
    reset: Callable[[Settings], None]


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def parser_for(vertical: Vertical) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"{vertical.name}-mcp", description=f"The {vertical.name} MCP server.")
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio", help="stdio (default) or http")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=vertical.default_port, help="HTTP port")
    parser.add_argument(
        "--stateless", action="store_true", help="stateless HTTP (no sessions; loses elicitation for 2025-era clients)"
    )
    parser.add_argument("--log-level", default=None, help="override LIFESTYLE_LOG_LEVEL")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the MCP server (the default)")
    backend = sub.add_parser("backend", help="serve the mocked provider HTTP API alone")
    backend.add_argument("--host", dest="backend_host", default="127.0.0.1")
    backend.add_argument("--port", dest="backend_port", type=int, default=vertical.default_port + 1000)
    sub.add_parser("reset", help="drop this vertical's tables and reload the fixtures")
    sub.add_parser("openapi", help="print the provider API's OpenAPI document")
    return parser


def run(vertical: Vertical, argv: Sequence[str] | None = None) -> None:
    args = parser_for(vertical).parse_args(argv)
    overrides = {"log_level": args.log_level.upper()} if args.log_level else {}
    settings = Settings.for_vertical(vertical.name, **overrides)
    configure_logging(settings.log_level)
    if args.command == "reset":
        vertical.reset(settings)
        log.warning("%s: database reset and reseeded at %s", vertical.name, settings.effective_database_url)
        return
    if args.command == "openapi":
        sys.stdout.write(json.dumps(vertical.create_app(settings).openapi(), indent=1) + "\n")
        return
    if args.command == "backend":
        import uvicorn

        uvicorn.run(vertical.create_app(settings), host=args.backend_host, port=args.backend_port, log_level="warning")
        return
    server = vertical.build_server(settings)
    if args.transport == "stdio":
        server.run("stdio")
        return
    import uvicorn

    app = server.streamable_http_app(host=args.host, stateless_http=args.stateless)
    log.warning("%s-mcp serving streamable HTTP at http://%s:%d/mcp", vertical.name, args.host, args.port)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
