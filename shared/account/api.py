"""The account's provider API, mounted in every vertical's backend, and who may call it.

``ServiceCredentials`` checks every request's service credential (signed by an MCP server of the
sandbox) before anything else runs; ``Caller`` is the dependency every user-facing route takes: the
user that credential names, never a header anyone can set. ``Admin`` guards the sandbox's
administration (the clock). ``/account…`` serves the one address book and wallet, so any server
of the sandbox answers for them alike; ``/auth/introspect`` tells an MCP server whose a user's
bearer token is.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.openapi.utils import get_openapi
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.errors import ERROR_RESPONSES, ForbiddenError, LifestyleError, UnauthorizedError
from shared.kit.asgi import send_error
from shared.kit.signing import ACT, ADMIN, ServiceKey
from shared.kit.signing import Caller as ServiceCaller
from shared.schemas.account import (
    Address,
    AddressInput,
    AddressList,
    ClockChange,
    ClockState,
    Introspection,
    IntrospectRequest,
    User,
    WalletStatement,
)

from . import credentials, wallet
from .sandbox import Sandbox

PUBLIC_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})
"""The provider's API reference stays readable without a credential, as a real provider's does."""


class ServiceCredentials:
    """Checks every request's service credential once, before anything else runs (401 without a valid one),
    and leaves the caller in the request's state for ``Caller`` and ``Admin``."""

    def __init__(self, app: ASGIApp, *, keys: ServiceKey) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in PUBLIC_PATHS:
            try:
                caller = self.keys.check(Headers(scope=scope).get("authorization"), scope="")
            except LifestyleError as exc:
                await send_error(send, exc)
                return
            scope.setdefault("state", {})["caller"] = caller
        await self.app(scope, receive, send)


def _checked(request: Request) -> ServiceCaller:
    caller: ServiceCaller | None = getattr(request.state, "caller", None)
    if caller is None:  # an app assembled without ServiceCredentials: refuse rather than guess
        raise UnauthorizedError(
            "No service credential was checked for this request.", "Build the app with provider_app."
        )
    return caller


async def _caller(request: Request) -> str:
    """Async on purpose, as ``_admin``: FastAPI runs a sync dependency in its thread pool, and a thread hop for a
    dictionary lookup cost more than most routes' own work (about 0.1 ms of every in-process call)."""
    caller = _checked(request)
    if caller.scope != ACT or not caller.user_id:
        raise UnauthorizedError("This route acts for a user: the credential names none.", "Sign it for the user.")
    return caller.user_id


async def _reader(request: Request) -> str:
    """The acting user's id where the credential names one, else '': for a public read that a user's own data
    sharpens (an event search 'near home'), which a credential acting for nobody may still make."""
    caller = _checked(request)
    return caller.user_id if caller.scope == ACT else ""


async def _admin(request: Request) -> str:
    caller = _checked(request)
    if caller.scope != ADMIN:
        raise ForbiddenError("This endpoint is for the sandbox's administrator.", "Use `lifestyle-mcp clock`.")
    return caller.user_id


Caller = Annotated[str, Depends(_caller)]
"""The acting user's id, from the request's service credential (checked by ``ServiceCredentials``)."""
Reader = Annotated[str, Depends(_reader)]
"""The acting user's id, or '' for a credential acting for nobody (``_reader``)."""
Admin = Annotated[str, Depends(_admin)]


def describe_credentials(app: FastAPI) -> None:
    """Say in the OpenAPI document that every route wants the bearer service credential."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            spec.setdefault("components", {})["securitySchemes"] = {
                "serviceCredential": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A short-lived credential signed by an MCP server of this sandbox, naming the user.",
                }
            }
            spec["security"] = [{"serviceCredential": []}]
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


ACCOUNT_ROUTES = APIRouter(responses=ERROR_RESPONSES)
"""``/account…`` (the user, addresses, wallet), ``/auth/introspect`` and ``/admin/clock``: every provider app serves
them (``shared.kit.backend.provider_app``), on the sandbox in its ``app.state``."""


def _sandbox(request: Request) -> Sandbox:
    return cast(Sandbox, request.app.state.sandbox)


@ACCOUNT_ROUTES.get("/account", tags=["account"])
def me(request: Request, user: Caller) -> User:
    return _sandbox(request).accounts.me(user)


@ACCOUNT_ROUTES.get("/account/addresses", tags=["account"])
def list_addresses(request: Request, user: Caller) -> AddressList:
    return _sandbox(request).accounts.list_addresses(user)


@ACCOUNT_ROUTES.post("/account/addresses", tags=["account"])
def save_address(request: Request, user: Caller, body: AddressInput) -> Address:
    return _sandbox(request).accounts.save_address(user, body)


@ACCOUNT_ROUTES.get("/account/wallet", tags=["account"])
def wallet_statement(
    request: Request, user: Caller, limit: Annotated[int, Query(ge=1, le=50)] = 10, cursor: str = ""
) -> WalletStatement:
    return wallet.statement(_sandbox(request).engine, user, limit, cursor)


@ACCOUNT_ROUTES.post("/auth/introspect", tags=["auth"])
def introspect(request: Request, body: IntrospectRequest) -> Introspection:
    return credentials.introspect(_sandbox(request).engine, body.token)


@ACCOUNT_ROUTES.get("/admin/clock", tags=["admin"])
def read_clock(request: Request, _: Admin) -> ClockState:
    clock = _sandbox(request).clock
    return ClockState(now=clock.now(), scale=clock.scale)


@ACCOUNT_ROUTES.post("/admin/clock", tags=["admin"])
def change_clock(request: Request, _: Admin, change: ClockChange) -> ClockState:
    clock = _sandbox(request).clock
    clock.change(set_to=change.set_to, advance=timedelta(seconds=change.advance_seconds), scale=change.scale,
                 backwards=change.backwards)  # fmt: skip
    return ClockState(now=clock.now(), scale=clock.scale)
