"""Who is calling: user bearer tokens for the MCP endpoints, and service credentials for the provider APIs.

* **Bearer tokens** (``lsk_…``) are what a user's MCP client sends to a server over HTTP. They are
  random, shown once when issued (``lifestyle-mcp token``) and stored only as their SHA-256, with
  an optional expiry in real time.
* **Service credentials** are what an MCP server sends to a provider API with every request: a
  short-lived JWT signed with the sandbox's service key, naming the user the request acts for (or,
  for administration, carrying the ``admin`` scope). A provider refuses a request without one, so
  knowing a user id is never enough to act for that user.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from shared.errors import ForbiddenError, UnauthorizedError
from shared.kit.db import session_scope
from shared.schemas.account import Introspection

from .models import TokenRow, UserRow

TOKEN_PREFIX = "lsk_"
AUDIENCE = "lifestyle-provider"
ISSUER = "lifestyle-mcp"
CREDENTIAL_TTL_S = 300
REUSE_FOR_S = 120
ACT, ADMIN = "act", "admin"


# ----- bearer tokens for MCP clients ----------------------------------------------------------------
def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue_token(engine: Engine, user_id: str, *, ttl: timedelta | None = None, label: str = "") -> str:
    """A new bearer token for ``user_id`` (shown once; only its digest is stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        if session.get(UserRow, user_id) is None:
            raise UnauthorizedError(f"No user {user_id!r} in this sandbox.", "List them with `lifestyle-mcp users`.")
        session.add(
            TokenRow(
                id="tok_" + secrets.token_hex(6),
                user_id=user_id,
                digest=digest(token),
                label=label or "cli",
                created_at=now,
                expires_at=now + ttl if ttl else None,
            )
        )
    return token


def introspect(engine: Engine, token: str) -> Introspection:
    """Whether ``token`` is a live bearer token, and whose (RFC 7662 shape)."""
    if not token.startswith(TOKEN_PREFIX):
        return Introspection(active=False)
    with Session(engine) as session:
        row = session.exec(select(TokenRow).where(TokenRow.digest == digest(token))).first()
    if row is None or row.revoked_at is not None:
        return Introspection(active=False)
    expires = row.expires_at.replace(tzinfo=row.expires_at.tzinfo or UTC) if row.expires_at else None
    if expires is not None and expires <= datetime.now(UTC):
        return Introspection(active=False)
    return Introspection(
        active=True, sub=row.user_id, exp=int(expires.timestamp()) if expires else None, client_id=row.label
    )


def revoke_tokens(engine: Engine, user_id: str) -> int:
    """Revoke every live bearer token of a user; returns how many."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        rows = session.exec(select(TokenRow).where(TokenRow.user_id == user_id, TokenRow.revoked_at == None)).all()  # noqa: E711
        for row in rows:
            row.revoked_at = now
            session.add(row)
        return len(rows)


# ----- service credentials for the provider APIs ------------------------------------------------------
@dataclass(frozen=True)
class Caller:
    user_id: str
    scope: str


class ServiceKey:
    """Signs and checks provider credentials with one sandbox's service key.

    Minting and checking a JWT costs tens of microseconds, and a server sends one with every
    request, so both sides keep recent results: a minted credential is reused for two minutes of
    its five, and a checked one is trusted until it expires.
    """

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("a service key needs at least 16 bytes")
        self._key = key
        self._lock = threading.Lock()
        self._minted: dict[tuple[str, str], tuple[float, str]] = {}
        self._checked: dict[str, tuple[float, Caller]] = {}

    def mint(self, user_id: str, scope: str = ACT) -> str:
        now = time.time()
        with self._lock:
            held = self._minted.get((user_id, scope))
            if held is not None and now - held[0] < REUSE_FOR_S:
                return held[1]
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": user_id, "scope": scope, "iat": int(now),
                  "exp": int(now) + CREDENTIAL_TTL_S}  # fmt: skip
        token = jwt.encode(claims, self._key, algorithm="HS256")
        with self._lock:
            if len(self._minted) > 4096:
                self._minted.clear()
            self._minted[(user_id, scope)] = (now, token)
        return token

    def check(self, authorization: str | None, *, scope: str = ACT) -> Caller:
        """The caller an ``Authorization: Bearer <credential>`` header names, or 401/403.

        ``scope``: ``act`` needs a user, ``admin`` the admin scope, ``""`` any valid credential.
        """
        if not authorization or not authorization[:7].lower() == "bearer ":
            raise UnauthorizedError(
                "The provider API needs a service credential (Authorization: Bearer …) naming the user.",
                "Call it through an MCP server of this sandbox, which signs every request.",
            )
        token = authorization[7:].strip()
        now = time.time()
        with self._lock:
            held = self._checked.get(token)
        if held is not None and held[0] > now:
            caller = held[1]
        else:
            try:
                claims = jwt.decode(token, self._key, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER,
                                    options={"require": ["exp", "sub", "scope"]})  # fmt: skip
            except jwt.PyJWTError as exc:
                raise UnauthorizedError(
                    "The service credential is invalid or expired.",
                    "Check that the MCP server and the provider share the sandbox's service key.",
                ) from exc
            caller = Caller(user_id=str(claims["sub"]), scope=str(claims["scope"]))
            with self._lock:
                if len(self._checked) > 4096:
                    self._checked.clear()
                self._checked[token] = (float(claims["exp"]), caller)
        if scope == ADMIN and caller.scope != ADMIN:
            raise ForbiddenError("This endpoint is for the sandbox's administrator.", "Use `lifestyle-mcp clock`.")
        if scope == ACT and not caller.user_id:
            raise UnauthorizedError("The service credential names no user.", "Sign it for the acting user.")
        return caller
