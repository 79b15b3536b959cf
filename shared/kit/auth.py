"""Bearer tokens on the MCP servers' streamable HTTP endpoints.

With ``LIFESTYLE_AUTH=token`` (the default) every HTTP request carries ``Authorization: Bearer …``,
checked by the SDK's auth middleware with a ``TokenVerifier``; a request without a valid token gets
401 with ``WWW-Authenticate`` and the protected-resource metadata is served. The default verifier
asks the sandbox's provider whose the token is (RFC 7662 introspection, through the same typed
client the tools use); a deployment plugs in its own (an OAuth issuer's JWKS, say) with
``LIFESTYLE_TOKEN_VERIFIER=module:factory``, ``factory(settings)`` returning a ``TokenVerifier``
whose tokens' ``subject`` is the sandbox user.
"""

from __future__ import annotations

import hashlib
import importlib
import time
from collections.abc import Callable
from typing import Any

from mcp.server.auth.provider import AccessToken, TokenVerifier
from mcp.server.auth.settings import AuthSettings

from shared.errors import BackendUnavailableError
from shared.kit.client import BackendClient
from shared.kit.settings import Settings
from shared.kit.signing import TOKEN_PREFIX

SCOPE = "lifestyle"
REMEMBER_S = 10.0  # how long a checked token is trusted before asking again (a revocation waits this long)
STALE_OK_S = 300.0
"""While the provider cannot answer, a token it confirmed this recently still stands (RFC 5861's stale-if-error):
the server outlives its provider, so a user's next request gets the tool's actionable 'the provider is not
responding' instead of a failed handshake. A token never seen, or revoked and checked since, is not let in."""


class IntrospectingVerifier(TokenVerifier):
    """A user's bearer token, checked with the sandbox's provider and remembered for a few seconds."""

    def __init__(self, settings: Settings, new_client: Callable[[], BackendClient]) -> None:
        self.settings = settings
        self._new_client = new_client
        self._client: BackendClient | None = None
        self._seen: dict[str, tuple[float, AccessToken]] = {}

    async def verify_token(self, token: str) -> AccessToken | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        key = hashlib.sha256(token.encode()).hexdigest()  # the token itself is not kept
        held = self._seen.get(key)
        now = time.monotonic()
        if held is not None and held[0] > now:
            return held[1]
        if self._client is None:
            self._client = self._new_client()
        try:
            answer = await self._client.introspect(token)
        except BackendUnavailableError:
            if held is not None and held[0] - REMEMBER_S + STALE_OK_S > now:
                return held[1]
            raise
        if not answer.active:
            self._seen.pop(key, None)
            return None
        access = AccessToken(
            token=token,
            client_id=answer.client_id or "lifestyle",
            scopes=[SCOPE],
            expires_at=answer.exp,
            subject=answer.sub,
            resource=self.settings.public_url or None,
        )
        if len(self._seen) > 10_000:
            self._seen.clear()
        self._seen[key] = (now + REMEMBER_S, access)
        return access


class SubjectRequired(TokenVerifier):
    """A plugged-in verifier's answer, refused (401) when it names no user: a token that says nothing about
    whom it acts for must not fall back to anyone."""

    def __init__(self, inner: TokenVerifier) -> None:
        self.inner = inner

    async def verify_token(self, token: str) -> AccessToken | None:
        access = await self.inner.verify_token(token)
        return access if access is not None and access.subject else None


def load_verifier(spec: str, settings: Settings) -> TokenVerifier:
    """``module:factory`` → ``factory(settings)``, wrapped so that only tokens naming a user pass."""
    module, _, name = spec.partition(":")
    if not module or not name:
        raise ValueError(f"token_verifier {spec!r} must look like 'package.module:factory'")
    factory: Any = getattr(importlib.import_module(module), name)
    verifier: TokenVerifier = factory(settings)
    if not callable(getattr(verifier, "verify_token", None)):
        raise TypeError(f"{spec} returned {type(verifier).__name__}, not a TokenVerifier")
    return SubjectRequired(verifier)


def auth_options(settings: Settings, new_client: Callable[[], BackendClient]) -> dict[str, Any]:
    """``MCPServer`` keyword arguments that make its HTTP endpoint demand bearer tokens (none when
    ``auth`` is ``none``). stdio and in-memory connections never go through them."""
    if settings.auth == "none":
        return {}
    verifier = (
        load_verifier(settings.token_verifier, settings)
        if settings.token_verifier
        else IntrospectingVerifier(settings, new_client)
    )
    resource = settings.public_url or None
    issuer = settings.issuer_url or (resource.rsplit("/", 1)[0] if resource else "http://127.0.0.1")
    return {
        "token_verifier": verifier,
        "auth": AuthSettings(
            issuer_url=issuer,
            resource_server_url=resource,
            validate_token_resource=False,  # sandbox tokens serve every server of the sandbox
        ),
    }
