"""What every provider API shares, on a bare provider app over HTTP (ASGI): who may call it (service credentials,
the admin scope, the Host check), ``Idempotency-Key`` replay, and the account's own routes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

import httpx
import jwt
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from shared.account import Sandbox, open_sandbox
from shared.account.api import Caller
from shared.account.models import IdempotencyRow
from shared.errors import ConflictError
from shared.kit.backend import QueryModel, provider_app
from shared.kit.client import IN_PROCESS_BASE
from shared.kit.db import session_scope
from shared.kit.signing import AUDIENCE, ISSUER
from tests.shared.account.conftest import NOON
from tests.support import auth, fresh_engine, sandbox_settings


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[FastAPI, Sandbox, list[str]]]:
    """A provider with one write route that records each time it really runs."""
    settings = sandbox_settings("shop", tmp_path, NOON)
    sandbox = open_sandbox(settings, engine=fresh_engine(settings))
    app = provider_app(settings, sandbox, title="shop", description="A test provider.")
    ran: list[str] = []

    @app.post("/buy")
    def buy(user: Caller, body: dict[str, int]) -> dict[str, object]:
        if body.get("fail"):
            raise ConflictError("Not now.", "Try later.")
        ran.append(user)
        return {"user": user, "n": len(ran), **body}

    yield app, sandbox, ran
    sandbox.engine.dispose()


def http(app: FastAPI, headers: dict[str, str] | None = None, base: str = IN_PROCESS_BASE) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base, headers=headers)


async def test_a_retry_with_the_same_key_gets_the_first_answer_without_running_again(shop: tuple) -> None:
    app, _, ran = shop
    async with http(app, auth(app)) as c:
        first = await c.post("/buy", json={"qty": 2}, headers={"Idempotency-Key": "k-1"})
        again = await c.post("/buy", json={"qty": 2}, headers={"Idempotency-Key": "k-1"})
        other_body = await c.post("/buy", json={"qty": 3}, headers={"Idempotency-Key": "k-1"})
        fresh = await c.post("/buy", json={"qty": 2}, headers={"Idempotency-Key": "k-2"})
    assert first.json() == again.json() == {"user": "usr_demo", "n": 1, "qty": 2}
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert other_body.status_code == 422 and "different request" in other_body.json()["message"]
    assert fresh.json()["n"] == 2 and ran == ["usr_demo", "usr_demo"]


async def test_keys_are_each_users_own_and_refusals_are_not_kept(shop: tuple) -> None:
    app, _, ran = shop
    async with http(app) as c:
        alice = await c.post("/buy", json={"qty": 1}, headers={"Idempotency-Key": "same", **auth(app, "usr_alice")})
        bob = await c.post("/buy", json={"qty": 1}, headers={"Idempotency-Key": "same", **auth(app, "usr_bob")})
        refused = await c.post("/buy", json={"fail": 1}, headers={"Idempotency-Key": "f", **auth(app)})
        retried = await c.post("/buy", json={"fail": 1}, headers={"Idempotency-Key": "f", **auth(app)})
    assert (alice.json()["user"], bob.json()["user"]) == ("usr_alice", "usr_bob") and ran == ["usr_alice", "usr_bob"]
    assert refused.status_code == retried.status_code == 409 and "idempotent-replayed" not in retried.headers


async def test_a_retry_while_the_first_attempt_runs_is_told_to_wait_and_a_bad_key_is_refused(shop: tuple) -> None:
    app, sandbox, ran = shop
    with session_scope(sandbox.engine) as s:  # a first attempt in flight (started, no answer yet)
        digest = hashlib.sha256(b"\0".join([b"POST", b"/buy", b"", b'{"qty":1}'])).hexdigest()
        s.add(IdempotencyRow(user_id="usr_demo", key="busy", fingerprint=digest, created_at=datetime.now(UTC)))
    async with http(app, auth(app)) as c:
        busy = await c.post("/buy", content=json.dumps({"qty": 1}, separators=(",", ":")),
                            headers={"Idempotency-Key": "busy", "Content-Type": "application/json"})  # fmt: skip
        bad = await c.post("/buy", json={"qty": 1}, headers={"Idempotency-Key": "two words"})
    assert busy.status_code == 409 and "still being processed" in busy.json()["message"]
    assert bad.status_code == 422 and ran == []


async def test_the_provider_refuses_callers_without_a_credential_signed_with_the_sandbox_key(shop: tuple) -> None:
    app, _, ran = shop
    now = int(datetime.now(UTC).timestamp())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "usr_demo", "scope": "act", "iat": now, "exp": now + 60}
    forged = jwt.encode(claims, b"another sandbox's key, 32 bytes!", algorithm="HS256")
    expired = jwt.encode(claims | {"exp": now - 1}, app.state.keys._key, algorithm="HS256")
    async with http(app) as c:
        statuses = {
            "none": (await c.get("/account")).status_code,
            "a bare user header": (await c.get("/account", headers={"X-Lifestyle-User": "usr_demo"})).status_code,
            "forged": (await c.get("/account", headers={"Authorization": f"Bearer {forged}"})).status_code,
            "expired": (await c.get("/account", headers={"Authorization": f"Bearer {expired}"})).status_code,
            "write": (await c.post("/buy", json={"qty": 1})).status_code,
            "admin as a user": (await c.get("/admin/clock", headers=auth(app))).status_code,
            "user as the admin": (await c.get("/account", headers=auth(app, "", "admin"))).status_code,
            "signed": (await c.get("/account", headers=auth(app))).status_code,
        }
        body = (await c.get("/account")).json()
    assert statuses == {
        "none": 401, "a bare user header": 401, "forged": 401, "expired": 401, "write": 401, "admin as a user": 403,
        "user as the admin": 401, "signed": 200,
    }  # fmt: skip
    assert body["code"] == "unauthorized" and body["hint"] and ran == []


async def test_the_provider_answers_only_its_own_host_names(shop: tuple) -> None:
    app, _, _ = shop
    async with http(app, auth(app), base="http://attacker.example") as c:
        foreign = await c.get("/account")
    async with http(app, auth(app), base="http://127.0.0.1:9001") as c:
        loopback = await c.get("/account")
    assert foreign.status_code == 400 and loopback.status_code == 200


async def test_the_account_routes_serve_the_one_wallet_and_address_book(shop: tuple) -> None:
    app, _, _ = shop
    async with http(app, auth(app)) as c:
        me = (await c.get("/account")).json()
        book = (await c.get("/account/addresses")).json()["addresses"]
        ledger = (await c.get("/account/wallet")).json()
    assert me["wallet"]["amount_minor"] == 25000 and {a["label"] for a in book} == {"Home", "Work", "Gym"}
    assert ledger["balance"] == me["wallet"] and ledger["entries"][0]["kind"] == "opening"


class Search(BaseModel):
    query: str = Field("", description="Words to find.")
    kind: Literal["any", "bar"] = "any"
    limit: int = Field(10, ge=1, le=20)
    open_now: bool = False


SEARCH = QueryModel(Search)


@pytest.fixture
def finder(tmp_path: Path) -> Iterator[FastAPI]:
    """A provider with one search route whose query string is one model (``QueryModel``)."""
    settings = sandbox_settings("finder", tmp_path, NOON)
    sandbox = open_sandbox(settings, engine=fresh_engine(settings))
    app = provider_app(settings, sandbox, title="finder", description="A test provider.")

    @app.get("/search", openapi_extra=SEARCH.openapi)
    async def search(user: Caller, q: Annotated[Search, SEARCH.depends]) -> dict[str, object]:
        return {"user": user, **q.model_dump()}

    yield app
    sandbox.engine.dispose()


async def test_a_query_model_reads_the_query_string_lists_its_parameters_and_refuses_a_bad_one_by_name(
    finder: FastAPI,
) -> None:
    async with http(finder, auth(finder)) as c:
        found = await c.get("/search", params={"query": "sauna", "limit": 3, "open_now": "true", "other": "x"})
        defaults = await c.get("/search")
        bad = await c.get("/search", params={"limit": 0, "kind": "pub"})
        document = (await c.get("/openapi.json")).json()
    assert found.json() == {"user": "usr_demo", "query": "sauna", "kind": "any", "limit": 3, "open_now": True}
    assert defaults.json()["limit"] == 10 and defaults.json()["query"] == ""
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"
    assert "query.limit: Input should be greater than or equal to 1" in bad.json()["message"]
    assert "query.kind: Input should be 'any' or 'bar'" in bad.json()["message"]
    listed = {p["name"]: p for p in document["paths"]["/search"]["get"]["parameters"] if p["in"] == "query"}
    assert list(listed) == ["query", "kind", "limit", "open_now"]
    assert listed["limit"]["schema"]["minimum"] == 1 and listed["limit"]["schema"]["maximum"] == 20
    assert listed["kind"]["schema"]["enum"] == ["any", "bar"] and listed["query"]["description"] == "Words to find."
    assert not any(p["required"] for p in listed.values())


def test_a_query_model_takes_flat_models_only() -> None:
    class Inner(BaseModel):
        x: int = 0

    class Nested(BaseModel):
        inner: Inner = Inner()

    with pytest.raises(TypeError, match="scalars and Literals only"):
        QueryModel(Nested)
