"""A deployment's own token verifier, plugged in by setting (LIFESTYLE_TOKEN_VERIFIER=module:factory): here a fixed
table standing in for an OAuth issuer's JWKS or introspection endpoint."""

from __future__ import annotations

from mcp.server.auth.provider import AccessToken, TokenVerifier

from shared.kit.settings import Settings

TOKENS = {"issuer-token-for-carol": "usr_carol", "issuer-token-for-nobody": ""}


class TableVerifier(TokenVerifier):
    async def verify_token(self, token: str) -> AccessToken | None:
        if token not in TOKENS:
            return None
        return AccessToken(token=token, client_id="issuer", scopes=["openid"], subject=TOKENS[token] or None)


def build(settings: Settings) -> TokenVerifier:
    return TableVerifier()
