"""Answering from pure ASGI middleware, in the same error body every provider route uses."""

from __future__ import annotations

import json

from starlette.types import Send

from shared.errors import LifestyleError


async def send_error(send: Send, exc: LifestyleError) -> None:
    body = json.dumps(exc.body().model_dump()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if exc.status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="lifestyle-provider"'))
    await send({"type": "http.response.start", "status": exc.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
