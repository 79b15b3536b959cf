"""What the benchmarks need to act as a user of a sandbox: signed provider requests and MCP bearer tokens."""

from __future__ import annotations

from typing import Any

import httpx
import httpx2
from mcp.client.streamable_http import streamable_http_client

from shared.account import open_sandbox
from shared.account.credentials import issue_token
from shared.kit.client import IN_PROCESS_BASE
from shared.kit.settings import Settings


def signed(app: Any, user: str) -> httpx.AsyncClient:
    """An httpx client on a provider app in process, signed for ``user`` as an MCP server signs its requests."""
    headers = {"Authorization": f"Bearer {app.state.keys.mint(user)}"}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=IN_PROCESS_BASE, headers=headers)


def token_for(settings: Settings, user: str = "usr_demo") -> str:
    """A bearer token for ``user`` of the sandbox the settings name (what `lifestyle-mcp token` prints)."""
    sandbox = open_sandbox(settings)
    try:
        return issue_token(sandbox.engine, user)
    finally:
        sandbox.engine.dispose()


def with_token(url: str, token: str) -> Any:
    """A streamable HTTP transport for ``mcp.Client`` that sends the bearer token."""
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30, read=300))
    return streamable_http_client(url, http_client=http)
