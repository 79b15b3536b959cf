"""Client config snippets from one source: every MCP client spells its config differently
(``type: streamable-http`` for Qwen-Agent, ``type: http`` for Claude Code, ``httpUrl`` for
Gemini, stdio-only files for Claude Desktop), so ``lifestyle-mcp config`` writes them.

HTTP entries carry ``Authorization: Bearer <token>`` for the configured user (a new token is
issued each time; ``lifestyle-mcp token`` issues more); stdio entries need none: a stdio server
acts for ``LIFESTYLE_USER``.
"""

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


def _http_entry(client: str, name: str, token: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    url = _url(name)
    if client == "qwen-agent":
        return {"type": "streamable-http", "url": url, "headers": headers, "sse_read_timeout": 300}
    if client == "claude-code":
        return {"type": "http", "url": url, "headers": headers}
    if client == "gemini":
        return {"httpUrl": url, "headers": headers}
    if client == "cursor":
        return {"url": url, "headers": headers}
    # claude-desktop: the config file is stdio-only; HTTP goes through mcp-remote, which passes the header on
    return {
        "command": "npx",
        "args": ["-y", "mcp-remote", url, "--allow-http", "--transport", "http-only", "--header",
                 "Authorization:${AUTH_HEADER}"],
        "env": {"AUTH_HEADER": f"Bearer {token}"},
    }  # fmt: skip


def snippet(client: str, names: list[str], *, http: bool = False) -> str:
    token = ""
    if http:
        from datetime import timedelta

        from shared.account import open_sandbox
        from shared.account.credentials import issue_token
        from shared.kit.settings import Settings

        settings = Settings()
        sandbox = open_sandbox(settings)
        token = issue_token(sandbox.engine, settings.user, ttl=timedelta(days=30), label=f"config:{client}")
        sandbox.engine.dispose()
    entries: dict[str, Any] = {}
    for name in names:
        stdio: dict[str, Any] = {"command": _command(name), "args": []}
        if client == "claude-code":
            stdio = {"type": "stdio", **stdio}
        entries[name] = _http_entry(client, name, token) if http else stdio
    return json.dumps({"mcpServers": entries}, indent=2)
