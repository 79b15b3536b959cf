"""Who a tool call acts for.

Over streamable HTTP with tokens, the SDK's auth middleware has checked the request's bearer token
and put it in a context variable the tool's task inherits; its subject is the user. Over stdio, in
memory, and over HTTP with ``LIFESTYLE_AUTH=none`` there is no token, and the call acts for the
configured local user. Nothing else (no header, no argument) can choose the user.
"""

from __future__ import annotations

from mcp.server.auth.middleware.auth_context import get_access_token

from shared.errors import UnauthorizedError


def acting_user(default: str) -> str:
    token = get_access_token()
    if token is None:
        return default
    if not token.subject:  # the verifiers refuse these; never let one fall back to the local user
        raise UnauthorizedError("The bearer token names no user.", "Use a token issued for a sandbox user.")
    return token.subject
