"""Scripted demos: each vertical's happy path driven through the real MCP protocol over stdio.

``lifestyle-mcp demo`` runs every demo module here (``food.py``, …), each starting its server
as a subprocess exactly as Claude Desktop or Qwen-Agent would, in a scratch data directory with
simulated time running fast so an order visibly moves.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters


def say(line: str = "") -> None:
    """Demo output goes to the terminal: the demo is a client, not a stdio server."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def server_params(script: str, data_dir: Path, **env: str) -> StdioServerParameters:
    command = str(Path(sys.executable).with_name(script))
    base = {"LIFESTYLE_DATA_DIR": str(data_dir), "LIFESTYLE_LOG_LEVEL": "WARNING"}
    return StdioServerParameters(command=command, args=[], env=base | env)


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


def run_demo(keep_data: bool = False) -> None:
    modules = sorted(m.name for m in pkgutil.iter_modules(__path__))
    with tempfile.TemporaryDirectory(prefix="lifestyle-demo-") as scratch:
        data_dir = Path(scratch) if not keep_data else Path.home() / ".local" / "share" / "lifestyle-mcp"
        for name in modules:
            module = importlib.import_module(f"{__name__}.{name}")
            anyio.run(module.demo, data_dir)
    say("\nAll demos finished. Connect a client: see README.md (lifestyle-mcp config --client claude-desktop).")
