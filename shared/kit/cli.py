"""The command line every server shares.

``food-mcp`` speaks stdio; ``food-mcp --transport http --host 127.0.0.1 --port 8001`` serves
streamable HTTP at ``/mcp`` (bearer tokens required: ``lifestyle-mcp token``); ``food-mcp backend
--port 9001`` serves the mocked provider API alone (point ``FOOD_BACKEND_URL`` at it);
``food-mcp reset`` rebuilds the sandbox from the fixtures; ``food-mcp migrate`` upgrades its schema.
Nothing here writes to stdout except ``openapi`` and ``migrate``, which are never run as a server.
"""

from __future__ import annotations

import argparse
import importlib
import ipaddress
import json
import logging
import os
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, get_args

from pydantic import ValidationError

from shared.kit.heap import quiet_heap, quiet_start, resume_after_launch, settle_heap
from shared.kit.settings import LOOPBACK_HOSTS, LogLevel, Settings

if TYPE_CHECKING:  # SQLAlchemy is the provider's: a stdio server imports it as its provider builds (warm start)
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

LOG_LEVELS: tuple[str, ...] = get_args(LogLevel)
MAX_PORT = 65535

KEEP_ALIVE_S = 75
"""Seconds an idle HTTP connection stays open. uvicorn's 5 s default races clients that reuse connections for
up to 5 s (httpx): a request sent as the server closes one fails, and the MCP client then drops its session."""


@dataclass(frozen=True)
class Vertical:
    """How the shared command line reaches one vertical: its package, imported only as far as a command needs
    (a stdio server never imports its provider until the first tool call)."""

    name: str
    default_port: int
    package: str  # e.g. "servers.food": server.build_server, backend.app.create_app and prepare

    def build_server(self, settings: Settings) -> Any:
        return importlib.import_module(f"{self.package}.server").build_server(settings)

    def create_app(self, settings: Settings) -> Any:
        """The provider app of a backend process, its heap settled (``shared.kit.heap``) once its catalog is in."""
        with quiet_heap(self.name):
            app = importlib.import_module(f"{self.package}.backend.app").create_app(settings)
        settle_heap(self.name)
        return app

    def prepare(self, settings: Settings) -> Any:
        return importlib.import_module(f"{self.package}.backend.app").prepare(settings)

    def metadata(self) -> MetaData:
        """The ``MetaData`` of the vertical's tables: ``<Name>Table.metadata`` in ``backend/models.py``."""
        models = importlib.import_module(f"{self.package}.backend.models")
        found: MetaData = getattr(models, f"{self.name.capitalize()}Table").metadata
        return found

    def sizes(self, engine: Engine) -> dict[str, int]:
        """Rows in each of the vertical's tables (``lifestyle-mcp sandbox show``), empty ones left out."""
        from sqlalchemy import func, select

        counts: dict[str, int] = {}
        with engine.connect() as conn:
            for table in self.metadata().sorted_tables:
                n = conn.execute(select(func.count()).select_from(table)).scalar_one()
                if n:
                    counts[table.name] = n
        return counts


class HostNotAllowedError(SystemExit):
    """Binding beyond loopback without saying which Host names are ours would switch off DNS-rebinding
    protection (a web page could then drive the server through the user's browser)."""


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, settings: Settings) -> None:
    """Refuse a non-loopback bind without allowed hosts, and unauthenticated HTTP beyond loopback."""
    if is_loopback(host):
        return
    if not settings.extra_hosts:
        raise HostNotAllowedError(
            f"Refusing to serve on {host} without LIFESTYLE_ALLOWED_HOSTS: set it to the Host names clients use "
            "(e.g. 'mcp.example.com:*,10.0.0.5:*'), and LIFESTYLE_ALLOWED_ORIGINS for browser clients."
        )
    if settings.auth == "none":
        raise HostNotAllowedError(
            f"LIFESTYLE_AUTH=none acts for {settings.user} on every request; it is allowed on loopback only."
        )


def transport_security(settings: Settings) -> Any:
    from mcp.server.transport_security import TransportSecuritySettings

    hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*", "127.0.0.1", "localhost", "[::1]", *settings.extra_hosts]
    origins = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*", *settings.extra_origins]
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts,
                                     allowed_origins=origins)  # fmt: skip


def port_number(text: str) -> int:
    """``--port``: a TCP port, 0 for any free one."""
    if not text.strip().isdigit() or not 0 <= int(text) <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: pass a whole number from 0 to {MAX_PORT}")
    return int(text)


def server_flags(vertical: Vertical, *, defaults: bool) -> argparse.ArgumentParser:
    """The server's flags, for the command line itself and again for ``serve`` (``food-mcp serve --transport
    http`` works as ``food-mcp --transport http`` does); after ``serve`` they only override what was given."""
    flags = argparse.ArgumentParser(add_help=False)

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    flags.add_argument("--transport", choices=["stdio", "http"], default=default("stdio"), help="stdio or http")
    flags.add_argument("--host", default=default("127.0.0.1"), help="HTTP bind address (default 127.0.0.1)")
    flags.add_argument("--port", type=port_number, default=default(vertical.default_port), help="HTTP port")
    flags.add_argument(
        "--stateless",
        action="store_true",
        default=default(False),
        help="stateless HTTP (no sessions; loses elicitation for 2025-era clients)",
    )
    flags.add_argument(
        "--log-level", type=str.upper, choices=LOG_LEVELS, default=default(None), help="override LIFESTYLE_LOG_LEVEL"
    )
    return flags


def parser_for(vertical: Vertical) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{vertical.name}-mcp",
        description=f"The {vertical.name} MCP server.",
        parents=[server_flags(vertical, defaults=True)],
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the MCP server (the default)", parents=[server_flags(vertical, defaults=False)])
    backend = sub.add_parser("backend", help="serve the mocked provider HTTP API alone")
    backend.add_argument("--host", dest="backend_host", default="127.0.0.1")
    backend.add_argument("--port", dest="backend_port", type=port_number, default=vertical.default_port + 1000)
    backend.add_argument(
        "--workers", type=int, default=1, help="provider processes sharing the port (one per core; POSIX only)"
    )
    sub.add_parser("reset", help="rebuild the whole sandbox (every server's data, the account, the clock)")
    add_migrate(sub)
    sub.add_parser("openapi", help="print the provider API's OpenAPI document")
    return parser


def add_migrate(sub: argparse._SubParsersAction[argparse.ArgumentParser], *, revision: bool = False) -> None:
    """``migrate`` for ``lifestyle-mcp`` and each server's command (``revision`` only where every vertical is known)."""
    migrate = sub.add_parser(
        "migrate", help="bring the sandbox's schema to this version's, keeping its data (`migrate status`: where it is)"
    )
    verbs = ["up", "status", *(["revision"] if revision else [])]
    verb_help = "up (the default): upgrade; status: the database's revision and this code's head"
    if revision:
        verb_help += "; revision: autogenerate the next revision (developers)"
    migrate.add_argument("verb", nargs="?", choices=verbs, default="up", help=verb_help)
    migrate.add_argument("--sql", action="store_true", help="print the upgrade's SQL instead of running it")
    migrate.add_argument(
        "--from",
        dest="start",
        default="",
        metavar="REV",
        help="with --sql: the revision the database is at ('base' if empty; default: ask the database)",
    )
    if revision:
        migrate.add_argument("-m", "--message", default="", help="with revision: what changed, in a few words")


def migrate_command(settings: Settings, args: argparse.Namespace, write: Callable[[str], object]) -> None:
    """``migrate`` / ``migrate status`` / ``migrate --sql`` on the settings' sandbox; ``write`` prints a line."""
    from shared import migrations
    from shared.errors import InvalidInputError

    if args.start and not args.sql:
        raise InvalidInputError("--from only applies with --sql.", "Add --sql, or drop --from.")
    if args.sql and args.verb != "up":
        raise InvalidInputError(f"--sql prints an upgrade; `migrate {args.verb}` has none.", "Drop --sql.")
    if args.start and args.start != "base" and args.start not in (known := migrations.revisions()):
        raise InvalidInputError(  # the user's --from, not the database, is what this code does not know
            f"--from {args.start} is not a revision of this lifestyle-mcp.",
            f"Pass base (an empty database) or one of {', '.join(known)}; `migrate status` shows the sandbox's.",
        )
    from shared.account.sandbox import reachable_engine

    shown = settings.database_shown
    engine = reachable_engine(settings, connect=not (args.sql and args.start))  # --sql --from reads no database
    try:
        if args.sql:
            start = None if args.start == "base" else args.start or migrations.status(engine).current
            if not args.start and start is None and migrations.status(engine).legacy:
                raise InvalidInputError(
                    f"{shown} was made before migrations: it has tables but no revision, so SQL written without "
                    "looking at it cannot know which tables to create.",
                    "Run `lifestyle-mcp migrate` without --sql once (it adopts the sandbox and keeps its data); "
                    "--sql then works for every later upgrade.",
                )
            migrations.upgrade_sql(settings.effective_database_url, sys.stdout, start)
            return
        if args.verb == "status":
            now = migrations.status(engine)
            write(f"database  {shown}")
            write(f"current   {now.current or '-'}")
            write(f"head      {now.head}")
            write(now.describe())
            return
        before = migrations.upgrade(engine)
        after = migrations.status(engine).current
        if before.up_to_date:
            write(f"{shown}: already at {after} (head).")
        elif before.legacy:
            write(f"{shown}: made before migrations; adopted at {migrations.BASELINE}, upgraded to {after}, data kept.")
        elif before.current is None:
            write(f"{shown}: created at {after} (each server seeds its tables on its first start).")
        else:
            write(f"{shown}: upgraded from {before.current} to {after}, its data kept.")
    finally:
        engine.dispose()


def settings_refused(command: str, exc: ValidationError, vertical: str = "") -> NoReturn:
    """A setting from the environment that cannot work: one line per bad value, no traceback, exit 2. It is named
    as it was set: a server's own variable (``FOOD_BACKEND_URL``) where that is the one given."""
    for err in exc.errors():
        field = "_".join(str(p) for p in err["loc"]).upper()
        own = f"{vertical.upper()}_{field}"
        name = own if vertical and own in os.environ else f"LIFESTYLE_{field}"
        sys.stderr.write(f"{command}: {name}: {str(err['msg'])[:300]}\n")
    raise SystemExit(2) from None


def run(vertical: Vertical, argv: Sequence[str] | None = None) -> None:
    args = parser_for(vertical).parse_args(argv)
    if args.command or args.transport != "stdio":
        resume_after_launch()  # only a stdio server's start stays paused, until its tools are registered
    overrides = {"log_level": args.log_level} if args.log_level else {}
    try:
        settings = Settings.for_vertical(vertical.name, **overrides)
    except ValidationError as exc:
        settings_refused(f"{vertical.name}-mcp", exc, vertical.name)
    configure_logging(settings.log_level)
    settings = settings.warm_by_default()
    from shared.errors import LifestyleError

    try:
        _command(vertical, args, settings)
    except LifestyleError as exc:  # a sandbox that cannot be opened, a bad --from…: one line, as the tools say it
        sys.stderr.write(f"{vertical.name}-mcp {args.command or 'serve'}: {exc.for_model()}\n")
        raise SystemExit(1) from None


def _command(vertical: Vertical, args: argparse.Namespace, settings: Settings) -> None:
    if args.command == "reset":
        from shared.account import reset_sandbox

        reset_sandbox(settings)
        vertical.prepare(settings)
        log.warning("sandbox rebuilt from the fixtures at %s (every server's data)", settings.database_shown)
        return
    if args.command == "migrate":
        migrate_command(settings, args, lambda line: sys.stdout.write(line + "\n"))
        return
    if args.command == "openapi":
        sys.stdout.write(json.dumps(vertical.create_app(settings).openapi(), indent=1) + "\n")
        return
    if args.command == "backend":
        import uvicorn

        check_bind(args.backend_host, settings)
        if args.workers > 1:
            vertical.prepare(settings)  # migrate and seed once, before the workers open the sandbox together
            serve_workers(lambda: vertical.create_app(settings), args.backend_host, args.backend_port, args.workers)
            return
        uvicorn.run(
            vertical.create_app(settings),
            host=args.backend_host,
            port=args.backend_port,
            log_level="warning",
            timeout_keep_alive=KEEP_ALIVE_S,
        )
        return
    if args.transport == "stdio":
        with quiet_start():
            server = vertical.build_server(settings)
        server.run("stdio")
        return
    serve_http(vertical, settings, args.host, args.port, stateless=args.stateless)


def http_app(vertical: Vertical, settings: Settings, host: str, port: int, *, stateless: bool = False) -> Any:
    """One server's streamable HTTP app at ``/mcp``: bearer tokens (unless ``auth`` is none), the Host/Origin
    checks, and resumable streams (event ids, ``retry``, replay on ``Last-Event-ID``)."""
    from shared.kit.events import RETRY_MS, MemoryEventStore

    check_bind(host, settings)
    shown = f"[{host}]" if ":" in host else host
    url = settings.public_url or f"http://{shown}:{port}/mcp"
    settings = settings.model_copy(update={"public_url": url})
    server = vertical.build_server(settings)
    if settings.auth == "none":
        log.warning("%s-mcp: LIFESTYLE_AUTH=none: every HTTP request acts for %s, unauthenticated", vertical.name,
                    settings.user)  # fmt: skip
    return server.streamable_http_app(
        stateless_http=stateless,
        transport_security=transport_security(settings),
        event_store=None if stateless else MemoryEventStore(),
        retry_interval=RETRY_MS,
    )


def serve_http(vertical: Vertical, settings: Settings, host: str, port: int, *, stateless: bool = False) -> None:
    import uvicorn

    app = http_app(vertical, settings, host, port, stateless=stateless)
    if settings.auth != "none":
        log.warning(
            "%s-mcp: requests need 'Authorization: Bearer <token>' (lifestyle-mcp token --user …)", vertical.name
        )
    log.warning("%s-mcp serving streamable HTTP at http://%s:%d/mcp", vertical.name, host, port)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, timeout_keep_alive=KEEP_ALIVE_S)


def serve_workers(make_app: Callable[[], Any], host: str, port: int, workers: int) -> None:
    """Serve one ASGI app from ``workers`` forked processes on one listening socket (the kernel hands each
    connection to one of them), until SIGINT or SIGTERM.

    A provider's routes run on a thread pool under one interpreter lock, so one process uses about one core;
    the sandbox lives in the database, so processes share nothing else. Each builds its own app (database
    engine, catalog) after the fork. uvicorn's own ``--workers`` wants an import string, which a provider built
    from settings on the command line has not got.
    """
    import multiprocessing
    import signal

    if not hasattr(os, "fork"):
        raise SystemExit("--workers needs a POSIX system (fork); run one process per port instead")
    sock = _listen(host, port)
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_serve_socket, args=(make_app, sock), daemon=True) for _ in range(workers)]
    for child in children:
        child.start()
    sock.close()

    def stop(signum: int, _frame: Any) -> None:
        for child in children:
            if child.pid is not None:
                os.kill(child.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        child.join()
    # uvicorn ends a worker it stopped on a signal by raising that signal again: that is a clean stop
    if any(child.exitcode not in (0, -signal.SIGTERM, -signal.SIGINT) for child in children):
        raise SystemExit(1)


def _serve_socket(make_app: Callable[[], Any], sock: socket.socket) -> None:
    import uvicorn

    config = uvicorn.Config(make_app(), log_level="warning", access_log=False, timeout_keep_alive=KEEP_ALIVE_S)
    uvicorn.Server(config).run(sockets=[sock])


def bind_run(host: str, first: int, count: int) -> list[socket.socket]:
    """``count`` listening sockets on consecutive ports from ``first``; ``first`` 0 finds a free run.

    Bound here, before anything is printed or served, so the ports announced are already ours: a client (or a
    test in another process) that reads them can never race another program for them. An explicit port that is
    taken is an error naming it.
    """
    for _ in range(1 if first else 50):
        start = first or _ephemeral(host)
        bound: list[socket.socket] = []
        try:
            for port in range(start, start + count):
                bound.append(_listen(host, port))
            return bound
        except OSError as exc:
            for sock in bound:
                sock.close()
            if first:
                raise SystemExit(f"lifestyle-mcp serve: cannot listen on {host}:{port} ({exc.strerror}); pick "
                                 f"another --port, or --port 0 for any free ports") from None  # fmt: skip
    raise SystemExit(f"lifestyle-mcp serve: found no {count} consecutive free ports on {host}")


def _ephemeral(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _listen(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def serve_many(apps: list[tuple[Any, socket.socket]]) -> None:
    """Serve several ASGI apps, each on its own bound socket (``bind_run``), in one process until Ctrl-C or
    SIGTERM, then stop them all cleanly. One that stops stops the others too."""
    import signal
    from collections.abc import Iterator
    from contextlib import contextmanager

    import anyio
    import uvicorn

    class Server(uvicorn.Server):
        @contextmanager
        def capture_signals(self) -> Iterator[None]:  # one handler for all of them, below
            yield

    servers = [
        Server(uvicorn.Config(app, log_level="warning", access_log=False, timeout_keep_alive=KEEP_ALIVE_S))
        for app, _ in apps
    ]
    sockets = [sock for _, sock in apps]

    async def main() -> None:
        running = len(servers)

        async def run(server: Server, sock: socket.socket) -> None:
            nonlocal running
            await server.serve(sockets=[sock])
            running -= 1
            for other in servers:  # one stopped (Ctrl-C, or it could not start): stop them all
                other.should_exit = True
            if not running:
                group.cancel_scope.cancel()  # every server is down: stop listening for signals

        async with anyio.create_task_group() as group:
            for server, sock in zip(servers, sockets, strict=True):
                group.start_soon(run, server, sock)
            with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
                async for _ in signals:
                    for server in servers:
                        server.should_exit = True
                    group.cancel_scope.deadline = anyio.current_time() + 10  # then stop waiting for them

    anyio.run(main)
    if any(not server.started for server in servers):
        raise SystemExit(1)
