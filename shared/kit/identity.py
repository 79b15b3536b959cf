"""Who a tool call acts for.

Over streamable HTTP with tokens, the SDK's auth middleware has checked the request's bearer token
and put it in a context variable the tool's task inherits; its subject is the user. Over stdio, in
memory, and over HTTP with ``LIFESTYLE_AUTH=none`` there is no token, and the call acts for the
configured local user. Nothing else (no header, no argument) can choose the user.
"""

from __future__ import annotations

from mcp.server.auth.middleware.auth_context import get_access_token


def acting_user(default: str) -> str:
    token = get_access_token()
    if token is not None and token.subject:
        return token.subject
    return default
