"""Scripted demos: each vertical's happy path driven through the real MCP protocol over stdio.

``lifestyle-mcp demo`` starts every server as a subprocess exactly as Claude Desktop or Qwen-Agent
would, on one scratch sandbox: one account whose wallet pays for food, tickets and movies (the
balance is shown falling after each purchase), whose saved "Home" nav routes from, and one
simulated clock the demo moves forward so a delivery visibly progresses without waiting.
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters

from shared.account import Sandbox, open_sandbox
from shared.account.wallet import statement
from shared.geo import CITY_TZ
from shared.kit.settings import Settings

ORDER = ("food", "tickets", "movies", "nav")


def say(line: str = "") -> None:
    """Demo output goes to the terminal: the demo is a client, not a stdio server."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@dataclass
class Stage:
    """What every demo shares: the sandbox's data dir, its clock, and the user's account."""

    data_dir: Path
    sandbox: Sandbox
    user: str

    def params(self, script: str) -> StdioServerParameters:
        command = str(Path(sys.executable).with_name(script))
        env = {"LIFESTYLE_DATA_DIR": str(self.data_dir), "LIFESTYLE_LOG_LEVEL": "WARNING", "LIFESTYLE_USER": self.user}
        return StdioServerParameters(command=command, args=[], env=env)

    def wallet(self) -> str:
        return self.sandbox.accounts.me(self.user).wallet.display


async def call(client: Client, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    """Call a tool, echo the call, and return its structured result (or raise with its error text)."""
    shown = json.dumps(args or {}, ensure_ascii=False)
    say(f"  → {tool}({shown[:110]}{'…' if len(shown) > 110 else ''})")
    result = await client.call_tool(tool, args or {})
    if result.is_error:
        text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
        raise RuntimeError(f"{tool} failed: {text}")
    assert result.structured_content is not None
    return result.structured_content


def paid(result: dict[str, Any]) -> str:
    """The wallet line a done money result carries."""
    return f"    wallet now {result['wallet']['display']}" if result.get("wallet") else ""


def run_demo(keep_data: bool = False) -> None:
    with tempfile.TemporaryDirectory(prefix="lifestyle-demo-") as scratch:
        if keep_data:
            settings = Settings()
        else:  # a fresh sandbox, frozen at lunchtime today: restaurants open, sessions ahead
            lunch = datetime.combine(datetime.now(CITY_TZ).date(), time(12, 30), tzinfo=CITY_TZ)
            settings = Settings(data_dir=Path(scratch), time_scale=0, clock_start=lunch)
        sandbox = open_sandbox(settings)
        stage = Stage(settings.data_dir, sandbox, settings.user)
        me = sandbox.accounts.me(stage.user)
        homes = sandbox.accounts.list_addresses(stage.user).addresses
        say(f"One sandbox ({settings.database_shown}), one account for every server:")
        say(f"    {me.name} ({me.id}) · wallet {me.wallet.display} · saved {', '.join(a.label for a in homes)}")
        say(f"    simulated time {sandbox.clock.now():%Y-%m-%d %H:%M} (frozen; the demo moves it)")
        for name in ORDER:
            module = importlib.import_module(f"{__name__}.{name}")
            anyio.run(module.demo, stage)
        book = statement(sandbox.engine, stage.user, limit=20)
        say("\n=== the one wallet, as every server sees it ===")
        for entry in reversed(book.entries):
            when, amount = f"{entry.at:%d %b %H:%M}", entry.amount.display
            say(f"    {when} {entry.vertical:<8} {entry.kind:<8} {amount:>9}  {entry.memo}")
        say(f"    balance {book.balance.display} = the sum of the ledger")
        sandbox.engine.dispose()
    say("\nAll demos finished. Connect a client: see README.md (lifestyle-mcp config --client claude-desktop).")


def advance(stage: Stage, minutes: float) -> None:
    """Move the sandbox's clock forward; every server sees it on its next request."""
    stage.sandbox.clock.advance(timedelta(minutes=minutes))
