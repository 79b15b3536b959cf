"""The account's provider API, mounted in every vertical's backend, and who may call it.

``Caller`` is the FastAPI dependency every user-facing route takes: the user named by the service
credential the MCP server signed, never a header anyone can set. ``Admin`` guards the sandbox's
administration (the clock). ``/account…`` serves the one address book and wallet, so any server
of the sandbox answers for them alike; ``/auth/introspect`` tells an MCP server whose a user's
bearer token is.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.kit.signing import ADMIN, ServiceKey
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

_bearer = HTTPBearer(auto_error=False, description="A service credential signed by an MCP server of this sandbox.")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _header(auth: HTTPAuthorizationCredentials | None) -> str | None:
    return f"Bearer {auth.credentials}" if auth is not None else None


def _keys(request: Request) -> ServiceKey:
    keys: ServiceKey = request.app.state.keys
    return keys


def _caller(request: Request, auth: Bearer) -> str:
    return _keys(request).check(_header(auth)).user_id


def _admin(request: Request, auth: Bearer) -> str:
    return _keys(request).check(_header(auth), scope=ADMIN).user_id


def service_caller(request: Request, auth: Bearer) -> str:
    return _keys(request).check(_header(auth), scope="").user_id


Caller = Annotated[str, Depends(_caller)]
"""The acting user's id, from the request's service credential (401 without a valid one)."""
Admin = Annotated[str, Depends(_admin)]
Service = Annotated[str, Depends(service_caller)]


def account_router(sandbox: Sandbox) -> APIRouter:
    """``/account…`` (the user, addresses, wallet), ``/auth/introspect`` and ``/admin/clock``."""
    router = APIRouter()
    accounts = sandbox.accounts

    @router.get("/account", tags=["account"])
    def me(user: Caller) -> User:
        return accounts.me(user)

    @router.get("/account/addresses", tags=["account"])
    def list_addresses(user: Caller) -> AddressList:
        return accounts.list_addresses(user)

    @router.post("/account/addresses", tags=["account"])
    def save_address(user: Caller, body: AddressInput) -> Address:
        return accounts.save_address(user, body)

    @router.get("/account/wallet", tags=["account"])
    def wallet_statement(
        user: Caller, limit: Annotated[int, Query(ge=1, le=50)] = 10, cursor: str = ""
    ) -> WalletStatement:
        return wallet.statement(sandbox.engine, user, limit, cursor)

    @router.post("/auth/introspect", tags=["auth"])
    def introspect(_: Service, body: IntrospectRequest) -> Introspection:
        return credentials.introspect(sandbox.engine, body.token)

    @router.get("/admin/clock", tags=["admin"])
    def read_clock(_: Admin) -> ClockState:
        return ClockState(now=sandbox.clock.now(), scale=sandbox.clock.scale)

    @router.post("/admin/clock", tags=["admin"])
    def change_clock(_: Admin, change: ClockChange) -> ClockState:
        clock = sandbox.clock
        clock.change(set_to=change.set_to, advance=timedelta(seconds=change.advance_seconds), scale=change.scale,
                     backwards=change.backwards)  # fmt: skip
        return ClockState(now=clock.now(), scale=clock.scale)

    return router
