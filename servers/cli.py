"""``lifestyle-mcp``: the umbrella command over all verticals and the sandbox they share.

``lifestyle-mcp demo`` runs a scripted session through the real protocol (stdio);
``lifestyle-mcp serve food --transport http`` runs one server; ``lifestyle-mcp reset`` rebuilds the
sandbox; ``lifestyle-mcp migrate`` upgrades its schema (``migrate status`` shows where it stands);
``lifestyle-mcp clock …`` shows and moves the sandbox's one simulated clock;
``lifestyle-mcp users`` lists its accounts, ``lifestyle-mcp top-up`` adds money to a wallet and
``lifestyle-mcp token --user usr_alice`` prints a bearer token for HTTP clients;
``lifestyle-mcp config --client claude-desktop`` prints a config; ``lifestyle-mcp chat`` lets a Qwen model
behind an OpenAI-compatible endpoint run errands across the four servers; ``lifestyle-mcp eval`` scores an agent on
the errands of ``evals/tasks``.
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import pkgutil
import re
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

import servers
from clients.configs import CLIENTS, FIRST_PORT
from shared.errors import InvalidInputError, LifestyleError
from shared.kit.cli import MAX_PORT, Vertical, add_migrate, migrate_command, port_number, settings_refused
from shared.kit.cli import run as run_vertical
from shared.kit.heap import resume_after_launch
from shared.kit.settings import MAX_SCALE, Settings
from shared.schemas.common import Money

MAX_TOKEN_DAYS = 3650
ORDER = ("food", "tickets", "movies", "nav")
DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd]?)$")
UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def verticals() -> dict[str, Vertical]:
    """Every package under servers/ whose ``__main__`` offers ``vertical()``.

    A package without a ``__main__.py`` is passed over unimported: importing ``servers.demos`` (the MCP client,
    the account's database layer) only to find it serves nothing cost every ``serve <vertical>`` a fifth of a
    second before ``initialize`` could be answered."""
    found: dict[str, Vertical] = {}
    for info in pkgutil.iter_modules(servers.__path__):
        if info.ispkg and (vertical := vertical_named(info.name)) is not None:
            found[info.name] = vertical
    return found


def vertical_named(name: str) -> Vertical | None:
    """The vertical ``servers/<name>/__main__.py`` offers, importing that one package only; None if it is none."""
    if not name.isidentifier() or not any((Path(root) / name / "__main__.py").is_file() for root in servers.__path__):
        return None
    module = importlib.import_module(f"servers.{name}.__main__")
    return module.vertical() if hasattr(module, "vertical") else None


def out(line: str) -> None:
    sys.stdout.write(line + "\n")


def scale(text: str) -> int:
    """``--scale``: a whole number of times the real city, within what ``Settings.scale`` accepts."""
    if not text.isdigit() or not 1 <= int(text) <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"{text!r} is not a scale: pass a whole number from 1 to {MAX_SCALE}")
    return int(text)


def euros(text: str) -> float:
    """``--amount``: a finite number of euros in whole cents (the range is the wallet's to check); 12.345 used to
    become 12.34 without a word."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount: pass euros, e.g. 20 or 12.50")
    if abs(value * 100 - round(value * 100)) > 1e-6:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of cents: pass 2 decimals at most (12.35)")
    return value


def duration(text: str) -> timedelta:
    """'90' or '90s', '15m', '2h', '1d' (also '1.5h')."""
    m = DURATION.match(text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration: use e.g. 90s, 15m, 2h or 1d")
    try:
        return timedelta(seconds=float(m.group(1)) * UNITS[m.group(2)])
    except OverflowError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is too long a duration") from exc


def instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a UTC offset, e.g. 2026-12-24T18:00+02:00")
    return value


def add_clock(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    clock = sub.add_parser("clock", help="show or move the sandbox's simulated clock (shared by every server)")
    verbs = clock.add_subparsers(dest="verb", required=True)
    verbs.add_parser("show", help="print the simulated time and speed")
    set_ = verbs.add_parser("set", help="jump to an instant (ISO 8601 with offset)")
    set_.add_argument("to", type=instant)
    set_.add_argument("--backwards", action="store_true", help="allow an instant earlier than now")
    adv = verbs.add_parser("advance", help="move forward by a duration: 90s, 15m, 2h, 1d")
    adv.add_argument("by", type=duration, help="how far: 90s, 15m, 2h or 1d (also 1.5h)")
    frz = verbs.add_parser("freeze", help="stop time (at an instant, if given)")
    frz.add_argument("at", nargs="?", type=instant, default=None)
    frz.add_argument("--backwards", action="store_true", help="allow an instant earlier than now")
    run = verbs.add_parser("run", help="let time flow")
    run.add_argument("--scale", type=float, default=1.0, help="simulated seconds per real second (default 1)")


def clock_command(args: argparse.Namespace) -> None:
    from shared.account import open_sandbox

    sandbox = open_sandbox(Settings())
    clock = sandbox.clock
    if args.verb == "set":
        clock.set(args.to, backwards=args.backwards)
    elif args.verb == "advance":
        clock.advance(args.by)
    elif args.verb == "freeze":
        clock.freeze(args.at, backwards=args.backwards)
    elif args.verb == "run":
        clock.run(args.scale)
    speed = "frozen" if clock.scale == 0 else f"running at {clock.scale:g}×"
    out(f"{clock.now():%Y-%m-%d %H:%M:%S %Z} ({speed})")
    sandbox.engine.dispose()


def users_command() -> None:
    from sqlmodel import Session, select

    from shared.account import open_sandbox
    from shared.account.models import UserRow

    sandbox = open_sandbox(Settings())
    with Session(sandbox.engine) as session:
        ids = [row.id for row in session.exec(select(UserRow).order_by(UserRow.id)).all()]
    for user_id in ids:
        me = sandbox.accounts.me(user_id)
        labels = ", ".join(a.label for a in sandbox.accounts.list_addresses(user_id).addresses)
        out(f"{me.id:<14} {me.name:<18} {me.wallet.display:>10}  {labels}")
    sandbox.engine.dispose()


def top_up_command(args: argparse.Namespace) -> None:
    from shared.account import open_sandbox
    from shared.account.wallet import top_up

    sandbox = open_sandbox(Settings())
    try:
        cents = round(args.amount * 100)
        balance = top_up(sandbox.engine, args.user, cents, sandbox.clock.now())
        out(f"{args.user}: wallet {Money.of(balance).display}")
    finally:
        sandbox.engine.dispose()


def serve_command(args: argparse.Namespace) -> None:
    from shared.account import open_sandbox
    from shared.account.credentials import issue_token
    from shared.kit.cli import bind_run, configure_logging, http_app, serve_many

    settings = Settings()
    configure_logging(settings.log_level)
    chosen = sorted(verticals().items(), key=lambda kv: ORDER.index(kv[0]))
    sockets = bind_run(args.host, args.port, len(chosen))
    first = sockets[0].getsockname()[1]
    apps = []
    for (name, vertical), sock in zip(chosen, sockets, strict=True):
        port = sock.getsockname()[1]
        own = Settings.for_vertical(name).warm_by_default()
        apps.append((http_app(vertical, own, args.host, port, stateless=args.stateless), sock))
        out(f"{name:<8} http://{args.host}:{port}/mcp")
    if settings.auth == "none":
        out(f"auth     none: every request acts for {settings.user} (loopback only)")
    else:
        sandbox = open_sandbox(settings)
        token = issue_token(sandbox.engine, settings.user, ttl=timedelta(days=30), label="serve")
        sandbox.engine.dispose()
        out(f"token    {token}   (acts for {settings.user}; send 'Authorization: Bearer <token>')")
    out(f"config   lifestyle-mcp config --client claude-code --http --host {args.host} --port {first}")
    out("Ctrl-C stops all four.")
    sys.stdout.flush()  # a program reading the URLs through a pipe sees them now, not when the buffer fills
    serve_many(apps)


def reset_command() -> None:
    """Rebuild the sandbox at the size it was created with: a reset undoes what was done in it, and a scale pack
    would otherwise silently become the real city (``sandbox create --scale N`` changes the size on purpose)."""
    from shared.account import sandbox_scale

    settings = Settings()
    if "scale" not in settings.model_fields_set:
        settings = settings.model_copy(update={"scale": sandbox_scale(settings) or settings.scale})
    took = create_sandbox(settings)
    size = f"scale {settings.scale}, " if settings.scale > 1 else ""
    out(f"Rebuilt the sandbox at {settings.database_shown} from the fixtures ({size}{took:.0f} s).")


def create_sandbox(settings: Settings) -> float:
    """Drop the sandbox ``settings`` name and build it again at ``settings.scale``, every vertical seeded now
    rather than at first use; the seconds it took (benchmarks/bench_reads.py builds its scale pack with it)."""
    from shared.account import reset_sandbox

    started = time.monotonic()
    reset_sandbox(settings)
    for name, vertical in verticals().items():
        own = settings.model_copy(update={"vertical": name})
        vertical.prepare(own).engine.dispose()
    return time.monotonic() - started


def sandbox_command(args: argparse.Namespace) -> None:
    """``sandbox create``: a new sandbox of the asked size (the old one is dropped); ``sandbox show``: its size."""
    from sqlalchemy import func, select
    from sqlmodel import Session

    from shared.account import open_sandbox
    from shared.account.models import UserRow

    settings = Settings()
    if args.verb == "create":
        settings = settings.model_copy(update={"scale": args.scale})
        took = create_sandbox(settings)
        out(f"Created a scale-{args.scale} sandbox at {settings.database_shown} in {took:.0f} s.")
    sandbox = open_sandbox(settings)
    with Session(sandbox.engine) as session:
        users = session.execute(select(func.count()).select_from(UserRow)).scalar_one()
    out(f"scale {sandbox.scale} · {users:,} users · {settings.database_shown}")
    for name, vertical in verticals().items():
        sizes = vertical.sizes(sandbox.engine)
        out(f"  {name}: " + ", ".join(f"{n:,} {table}" for table, n in sizes.items()))
    sandbox.engine.dispose()


def revision_command(message: str) -> None:
    """Autogenerate the next revision from the difference between head and every table this checkout declares,
    on a scratch SQLite database (PostgreSQL sees the same tables; tests/shared/test_migrations.py checks both)."""
    import tempfile

    from shared import migrations
    from shared.account.models import AccountTable
    from shared.kit.db import make_engine

    if not message.strip():
        raise InvalidInputError("A revision needs a message.", "Pass -m 'what changed', e.g. -m 'cap cart lines'.")
    metadatas = [AccountTable.metadata, *(vertical.metadata() for vertical in verticals().values())]
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'head.db'}")
        try:
            written = migrations.revision(engine, metadatas, message.strip())
        finally:
            engine.dispose()
    if written is None:
        out(f"Nothing to write: the revisions up to {migrations.head()} already make every declared table.")
    else:
        out(f"Wrote {written}: read it, add a data migration before any constraint old rows may violate, and "
            "check it on SQLite and PostgreSQL (tests/shared/test_migrations.py).")  # fmt: skip


def token_command(args: argparse.Namespace) -> None:
    from shared.account import open_sandbox
    from shared.account.credentials import issue_token

    if not 0 <= args.days <= MAX_TOKEN_DAYS:
        raise InvalidInputError(f"--days {args.days:g} is out of range.", f"Pass 0 (no expiry) to {MAX_TOKEN_DAYS}.")
    sandbox = open_sandbox(Settings())
    ttl = timedelta(days=args.days) if args.days else None
    out(issue_token(sandbox.engine, args.user, ttl=ttl, label=args.label))
    sandbox.engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] != ["serve"]:
        resume_after_launch()  # only ``serve <vertical>`` (a stdio server, say) stays paused: shared.kit.heap
    if args[:1] == ["chat"]:  # the Qwen-driven agent has its own options (lifestyle-mcp chat --help)
        from clients.chat.cli import main as chat

        raise SystemExit(chat(args[1:]))
    if args[:1] == ["eval"]:  # the evaluation sandbox has its own verbs (lifestyle-mcp eval --help)
        from evals.cli import main as evaluate

        raise SystemExit(evaluate(args[1:]))
    parser = argparse.ArgumentParser(prog="lifestyle-mcp", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("chat", help="a Qwen model works the four servers for you (lifestyle-mcp chat --help)")
    sub.add_parser("eval", help="score an agent on errands in fresh sandboxes (lifestyle-mcp eval --help)")
    demo = sub.add_parser("demo", help="scripted demo through the real protocol")
    demo.add_argument("--keep-data", action="store_true", help="use the normal data dir instead of a scratch one")
    serve = sub.add_parser(
        "serve",
        help="all four servers over streamable HTTP, one port each (or one server: lifestyle-mcp serve food, on "
        "stdio unless --transport http follows it)",
    )
    serve.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    serve.add_argument(
        "--port",
        type=port_number,
        default=None,
        help=f"food's port; the others follow (default {FIRST_PORT}; 0: any four free consecutive ports, printed)",
    )
    serve.add_argument("--stateless", action="store_true", help="stateless HTTP (no sessions)")
    serve.add_argument(
        "vertical",
        nargs="?",
        default="",
        help="only this server, with its own flags after it: stdio by default (as an MCP client launches it), "
        "or --transport http --port N (lifestyle-mcp serve food --help)",
    )
    serve.add_argument("rest", nargs=argparse.REMAINDER, help="that server's own flags")
    sub.add_parser("reset", help="rebuild the sandbox from the fixtures (every server's data, accounts, clock)")
    box = sub.add_parser("sandbox", help="create a sandbox of a given size (the scale pack) or show the current one")
    box_verbs = box.add_subparsers(dest="verb", required=True)
    create = box_verbs.add_parser("create", help="drop the sandbox and create one grown N× (1: the real city)")
    create.add_argument(
        "--scale", type=scale, default=1, help=f"how many times the real city (1–{MAX_SCALE}; the scale pack is 100)"
    )
    box_verbs.add_parser("show", help="the sandbox's scale and how many users, places and sessions it holds")
    add_migrate(sub, revision=True)
    config = sub.add_parser("config", help="print a client config snippet (stdio, or --http for lifestyle-mcp serve)")
    config.add_argument("--client", required=True, choices=CLIENTS)
    config.add_argument("--http", action="store_true", help="HTTP entries (with a bearer token) instead of stdio")
    config.add_argument("--host", default="127.0.0.1", help="with --http: where lifestyle-mcp serve listens")
    config.add_argument("--port", type=int, default=FIRST_PORT, help="with --http: food's port; the others follow")
    add_clock(sub)
    sub.add_parser("users", help="list the sandbox's users with their wallets and saved addresses")
    token = sub.add_parser("token", help="print a new bearer token for a sandbox user (for HTTP clients)")
    token.add_argument("--user", default=None, help="the user it acts for (default LIFESTYLE_USER)")
    token.add_argument("--days", type=float, default=30, help="lifetime in days (0: no expiry; default 30)")
    token.add_argument("--label", default="cli", help="a name to recognise it by")
    top = sub.add_parser("top-up", help="add money to a user's wallet (a ledger entry, like any other movement)")
    top.add_argument("--user", default=None, help="whose wallet (default LIFESTYLE_USER)")
    top.add_argument("--amount", type=euros, required=True, help="in euros, e.g. 20 or 12.50")
    ns = parser.parse_args(args)
    if ns.command == "serve":
        serve_flags_fit(parser, ns)
    try:
        dispatch(ns)
    except ValidationError as exc:  # a bad LIFESTYLE_* setting: name it, without a traceback
        if exc.title != Settings.__name__:
            raise
        settings_refused(f"lifestyle-mcp {ns.command}", exc)
    except LifestyleError as exc:  # what the user typed cannot work: say why, as the tools do, without a traceback
        sys.stderr.write(f"lifestyle-mcp {ns.command}: {exc.for_model()}\n")
        raise SystemExit(1) from None
    except BrokenPipeError:  # `lifestyle-mcp users | head -1`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush


def serve_flags_fit(parser: argparse.ArgumentParser, ns: argparse.Namespace) -> None:
    """``serve``'s own flags: the vertical must be one of ours, and with one its flags go after it (before it they
    were dropped, and the server ran on stdio with no word); all four need four ports from --port."""
    if ns.vertical and vertical_named(ns.vertical) is None:
        parser.error(f"serve: no server {ns.vertical!r}; pass one of {', '.join(ORDER)}, or none for all four")
    if ns.vertical and (ns.host is not None or ns.port is not None or ns.stateless):
        parser.error(f"serve: with one server its flags go after it, e.g. `lifestyle-mcp serve {ns.vertical} "
                     "--transport http --host 127.0.0.1 --port 8001`")  # fmt: skip
    ns.host = "127.0.0.1" if ns.host is None else ns.host
    ns.port = FIRST_PORT if ns.port is None else ns.port
    if ns.port + len(ORDER) - 1 > MAX_PORT:
        parser.error(f"serve: --port {ns.port} leaves no room for all four servers; pass at most "
                     f"{MAX_PORT - len(ORDER) + 1}, or 0 for any free ports")  # fmt: skip


def dispatch(ns: argparse.Namespace) -> None:
    if ns.command == "serve" and ns.vertical:
        chosen = vertical_named(ns.vertical)
        assert chosen is not None, "serve_flags_fit refused it"
        run_vertical(chosen, ns.rest)
    elif ns.command == "serve":
        resume_after_launch()
        serve_command(ns)
    elif ns.command == "reset":
        reset_command()
    elif ns.command == "sandbox":
        sandbox_command(ns)
    elif ns.command == "migrate" and ns.verb == "revision":
        revision_command(ns.message)
    elif ns.command == "migrate":
        migrate_command(Settings(), ns, out)
    elif ns.command == "config":
        from clients.configs import snippet

        out(snippet(ns.client, list(verticals()), http=ns.http, host=ns.host, port=ns.port))
    elif ns.command == "clock":
        clock_command(ns)
    elif ns.command == "users":
        users_command()
    elif ns.command == "token":
        ns.user = ns.user or Settings().user
        token_command(ns)
    elif ns.command == "top-up":
        ns.user = ns.user or Settings().user
        top_up_command(ns)
    else:
        from servers.demos import run_demo

        run_demo(keep_data=ns.keep_data)


if __name__ == "__main__":
    main()
