"""User bearer tokens for the MCP endpoints: issued, checked (introspection) and revoked.

Bearer tokens (``lsk_…``) are what a user's MCP client sends to a server over HTTP. They are random,
shown once when issued (``lifestyle-mcp token``) and stored only as their SHA-256, with an optional
expiry in real time. (What an MCP server sends on to a provider API is a service credential:
``shared.kit.signing``.)
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from shared.errors import UnauthorizedError, shown
from shared.kit.db import session_scope
from shared.kit.signing import TOKEN_PREFIX
from shared.schemas.account import Introspection

from .models import TokenRow, UserRow


# ----- bearer tokens for MCP clients ----------------------------------------------------------------
def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue_token(engine: Engine, user_id: str, *, ttl: timedelta | None = None, label: str = "") -> str:
    """A new bearer token for ``user_id`` (shown once; only its digest is stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        if session.get(UserRow, user_id) is None:
            raise UnauthorizedError(
                f"No user {shown(user_id)} in this sandbox.", "List them with `lifestyle-mcp users`."
            )
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
