"""Client config snippets from one source: every MCP client spells its config differently
(``type: streamable-http`` for Qwen-Agent, ``type: http`` for Claude Code, ``httpUrl`` for
Gemini, stdio-only files for Claude Desktop), so ``lifestyle-mcp config`` writes them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

PORTS = {"food": 8001, "tickets": 8002, "movies": 8003, "nav": 8004}


def _command(name: str) -> str:
    return str(Path(sys.executable).with_name(f"{name}-mcp"))


def _url(name: str) -> str:
    return f"http://127.0.0.1:{PORTS.get(name, 8000)}/mcp"


def snippet(client: str, names: list[str], *, http: bool = False) -> str:
    entries: dict[str, Any] = {}
    for name in names:
        if client == "qwen-agent":
            entries[name] = (
                {"type": "streamable-http", "url": _url(name), "sse_read_timeout": 300}
                if http
                else {"command": _command(name), "args": []}
            )
        elif client == "claude-code":
            entries[name] = (
                {"type": "http", "url": _url(name)}
                if http
                else {"type": "stdio", "command": _command(name), "args": []}
            )
        elif client == "gemini":
            entries[name] = {"httpUrl": _url(name)} if http else {"command": _command(name), "args": []}
        elif client == "cursor":
            entries[name] = {"url": _url(name)} if http else {"command": _command(name), "args": []}
        else:  # claude-desktop: the config file is stdio-only; HTTP goes through mcp-remote
            entries[name] = (
                {"command": "npx", "args": ["-y", "mcp-remote", _url(name), "--allow-http", "--transport", "http-only"]}
                if http
                else {"command": _command(name), "args": []}
            )
    return json.dumps({"mcpServers": entries}, indent=2)
