"""Service credentials: how an MCP server proves to a provider API which user a request acts for.

With every request an MCP server sends a short-lived JWT signed with the sandbox's service key, naming
the user the request acts for (or, for administration, carrying the ``admin`` scope). A provider refuses
a request without one, so knowing a user id is never enough to act for that user. This module is light
on purpose (no database): a stdio server imports it at start.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import jwt

from shared.errors import ForbiddenError, UnauthorizedError

TOKEN_PREFIX = "lsk_"
"""The prefix of a user's bearer token (``shared.account.credentials`` issues them)."""
AUDIENCE = "lifestyle-provider"
ISSUER = "lifestyle-mcp"
CREDENTIAL_TTL_S = 300
REUSE_FOR_S = 120
ACT, ADMIN = "act", "admin"


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
