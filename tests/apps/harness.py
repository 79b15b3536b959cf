"""A small MCP Apps host for headless-Chromium tests and screenshots: the host page, and the MCP traffic behind it.

The page (``host/host.html`` + the committed ``host/dist/host.js``, the ext-apps ``AppBridge``) loads a view the
way a host does: it lists the server's tools, calls the tool, reads the tool's ``ui://`` resource, renders it in a
sandboxed iframe and answers the view's ``tools/call`` by forwarding it here. This app forwards every MCP request
to the real server through one ``mcp.Client`` per server that advertises Apps support, so nothing on the MCP side
is imitated:

    GET  /api/<server>/tools                  -> tools/list
    GET  /api/<server>/resource?uri=ui://...   -> resources/read
    POST /api/<server>/call {name, arguments}  -> tools/call

``sandbox_app`` serves ``host/sandbox.html`` (the spec's sandbox proxy for web hosts) on another origin.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

from mcp import Client
from mcp.client import advertise
from mcp.server import MCPServer
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

HOST_DIR = Path(__file__).parent / "host"


def dump(model: BaseModel) -> dict[str, Any]:
    """A result as it travels on the wire (camelCase, no nulls): what a host hands the view."""
    return model.model_dump(by_alias=True, mode="json", exclude_none=True)


def host_app(servers: Mapping[str, MCPServer[Any]]) -> Starlette:
    """The host page plus ``/api/<server>/…`` forwarding to ``servers`` (one Apps-advertising client each)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            ad = advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})
            app.state.clients = {
                name: await stack.enter_async_context(Client(server, extensions=[ad]))
                for name, server in servers.items()
            }
            yield

    def client(request: Request) -> Client:
        found: Client = request.app.state.clients[request.path_params["server"]]
        return found

    async def tools(request: Request) -> JSONResponse:
        return JSONResponse(dump(await client(request).list_tools()))

    async def resource(request: Request) -> JSONResponse:
        return JSONResponse(dump(await client(request).read_resource(request.query_params["uri"])))

    async def call(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse(dump(await client(request).call_tool(body["name"], body.get("arguments") or {})))

    return Starlette(
        routes=[
            Route("/", lambda r: FileResponse(HOST_DIR / "host.html")),
            Route("/host.js", lambda r: FileResponse(HOST_DIR / "dist" / "host.js")),
            Route("/api/{server}/tools", tools),
            Route("/api/{server}/resource", resource),
            Route("/api/{server}/call", call, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


def sandbox_app() -> Starlette:
    """The sandbox proxy page, its CSP (chosen by the host from the resource's ``_meta.ui.csp``) in the header."""

    async def sandbox(request: Request) -> Response:
        csp = request.query_params.get("csp") or "default-src 'none'; script-src 'unsafe-inline'"
        html = (HOST_DIR / "sandbox.html").read_text(encoding="utf-8")
        return Response(html, media_type="text/html", headers={"Content-Security-Policy": csp})

    return Starlette(routes=[Route("/sandbox.html", sandbox)])
