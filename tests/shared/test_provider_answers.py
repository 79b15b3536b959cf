"""An answer of the provider that does not fit the model the client expects is the provider's fault: the tool says so,
never 'Invalid arguments … Fix these arguments' (a bare ``ValidationError`` from parsing the answer read as the
caller's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import Response
from mcp import Client
from mcp.server.mcpserver import Context
from mcp.types import TextContent
from pydantic import BaseModel

from shared.account import open_sandbox
from shared.kit.backend import provider_app
from shared.kit.client import BackendClient
from shared.kit.server import READ, WRITE, ClientLifespan, make_server
from tests.shared.account.conftest import NOON
from tests.support import fresh_engine, sandbox_settings


class Answer(BaseModel):
    total: int


async def test_an_answer_that_does_not_fit_its_model_is_reported_as_the_services_fault(tmp_path: Path) -> None:
    settings = sandbox_settings("shop", tmp_path, NOON)
    sandbox = open_sandbox(settings, engine=fresh_engine(settings))
    app = provider_app(settings, sandbox, title="shop", description="A provider a version ahead of its client.")

    @app.get("/total")
    async def total() -> Response:
        return Response(b'{"sum": 3}', media_type="application/json")  # renamed field: not what the client reads

    @app.post("/buy")
    async def buy() -> Response:
        return Response(b'{"total": "three"}', media_type="application/json")

    lifespan = ClientLifespan(settings, BackendClient, lambda: app)
    server = make_server("shop", settings, lifespan, "A shop.")

    @server.tool(annotations=READ)
    async def shop_total(ctx: Context[Any, Any]) -> Answer:
        """The total."""
        return await ctx.request_context.lifespan_context.call("GET", "/total", Answer)

    @server.tool(annotations=WRITE)
    async def shop_buy(ctx: Context[Any, Any]) -> Answer:
        """Buy."""
        return await ctx.request_context.lifespan_context.call("POST", "/buy", Answer)

    try:
        async with Client(server) as c:
            read = await c.call_tool("shop_total", {})
            write = await c.call_tool("shop_buy", {})
    finally:
        sandbox.engine.dispose()
    texts = []
    for result in (read, write):
        first = result.content[0]
        assert result.is_error and isinstance(first, TextContent)
        texts.append(first.text)
    assert "Invalid arguments" not in texts[0] and "not of the arguments" in texts[0], texts[0]
    assert "answer to GET /total does not match its API (total: Field required)" in texts[0], texts[0]
    assert "It may have acted" not in texts[0] and "It may have acted" in texts[1], texts[1]
