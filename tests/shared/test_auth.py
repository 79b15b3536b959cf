"""The HTTP servers' token check while their provider is down (``shared.kit.auth.IntrospectingVerifier``).

A token is checked with the provider and remembered for ``REMEMBER_S``; after that, a server whose provider does
not answer refused the handshake itself, so a user mid-conversation got a protocol error instead of the tool's
'the provider is not responding'. A token the provider confirmed within ``STALE_OK_S`` now still stands while it
cannot answer; one it never confirmed, or confirmed too long ago, does not."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import httpx
import pytest

from shared.account.credentials import issue_token
from shared.errors import BackendUnavailableError
from shared.kit.auth import STALE_OK_S, IntrospectingVerifier
from shared.kit.client import BackendClient, CallPolicy
from shared.kit.server import ClientLifespan
from tests.conftest import free_port
from tests.servers.tickets.conftest import make_env


async def test_a_token_confirmed_lately_stands_while_the_provider_is_down(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    verifier = IntrospectingVerifier(
        env.settings, ClientLifespan(env.settings, BackendClient, lambda: env.app).new_client
    )
    token, never_checked = (issue_token(env.sandbox.engine, user) for user in ("usr_demo", "usr_alice"))
    first = await verifier.verify_token(token)
    assert first is not None and first.subject == "usr_demo"
    # the provider goes away (its port refuses connections) and the few seconds' memory of the check run out
    down = httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port()}")
    verifier._client = BackendClient(down, policy=CallPolicy(timeout=1.0, retries=0))
    key = hashlib.sha256(token.encode()).hexdigest()
    checked_until, access = verifier._seen[key]
    verifier._seen[key] = (time.monotonic() - 1, access)
    stale = await verifier.verify_token(token)
    with pytest.raises(BackendUnavailableError):
        await verifier.verify_token(never_checked)
    verifier._seen[key] = (time.monotonic() - STALE_OK_S, access)  # confirmed too long ago
    with pytest.raises(BackendUnavailableError):
        await verifier.verify_token(token)
    await down.aclose()
    assert stale is not None and stale.subject == "usr_demo" and checked_until > 0
