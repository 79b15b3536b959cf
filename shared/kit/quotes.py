"""Confirmation tokens: the fingerprint a quote is bound to, and finding a user's quote by its token.

Every vertical that moves money stores a quote row per token (its own table, with at least
``token``, ``user_id`` and ``kind``) and refuses to act when what the token was bound to has
changed since; these are the parts that are the same everywhere.
"""

from __future__ import annotations

import hashlib
import json
from typing import Protocol, TypeVar

from sqlmodel import Session, select

from shared.errors import NotFoundError
from shared.schemas.common import check_id


class QuoteRecord(Protocol):
    token: str
    user_id: str
    kind: str


Q = TypeVar("Q", bound=QuoteRecord)


def fingerprint(*parts: object) -> str:
    """A stable digest of what a quote was computed from (JSON with sorted keys; other values by ``str``)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def locked_quote(session: Session, table: type[Q], user_id: str, token: str, kind: str) -> Q:
    """The user's quote of ``kind`` behind ``token``, row-locked for this transaction.

    A token that is malformed, unknown, another user's or of another kind is "unknown" alike.
    """
    check_id(token, "cft", field="confirmation_token", source="the previous call's confirmation_token")
    row = session.exec(select(table).where(table.token == token).with_for_update()).first()
    if row is None or row.user_id != user_id or row.kind != kind:
        raise NotFoundError(
            f"Confirmation token {token!r} is unknown.",
            "Call again without a token to get a fresh quote, show it to the user, then confirm.",
        )
    return row
