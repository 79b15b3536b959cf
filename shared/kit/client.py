"""The base of every vertical's typed httpx client: the only code that speaks HTTP.

In process the client reaches the mocked backend through httpx's ASGI transport (no
socket); with a backend URL configured it goes over the network. Either way the same
requests, the same status codes and the same error mapping apply, so swapping the mock for a
real provider means replacing the backend, not the tools.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import anyio
import anyio.to_thread
import httpx
from pydantic import BaseModel, ValidationError

from shared.errors import BackendUnavailableError, ErrorBody, InvalidInputError, NotFoundError, error_from_body
from shared.kit.settings import Settings
from shared.schemas.common import IDEMPOTENCY_HEADER, USER_HEADER

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

IN_PROCESS_BASE = "http://backend.invalid"


class LazyApp:
    """An ASGI app built on its first request.

    Building a backend opens the database, seeds it on first run and loads the catalog; doing
    that lazily keeps a stdio server's ``initialize`` fast and lets ``tools/list`` work before
    any backend exists. The build runs in a worker thread so the event loop stays responsive.
    """

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._app: Any = None
        self._lock = anyio.Lock()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._app is None:
            async with self._lock:
                if self._app is None:
                    self._app = await anyio.to_thread.run_sync(self._factory)
        await self._app(scope, receive, send)


def make_http_client(settings: Settings, app_factory: Callable[[], Any]) -> httpx.AsyncClient:
    """An httpx client aimed at the configured backend, or at a fresh in-process app."""
    headers = {USER_HEADER: settings.user}
    timeout = httpx.Timeout(settings.http_timeout)
    if settings.backend_url:
        return httpx.AsyncClient(base_url=settings.backend_url, headers=headers, timeout=timeout)
    transport = httpx.ASGITransport(app=LazyApp(app_factory))
    return httpx.AsyncClient(transport=transport, base_url=IN_PROCESS_BASE, headers=headers, timeout=timeout)


ID_CHARS = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def seg(value: str) -> str:
    """A caller-supplied id as one URL path segment; '../x' and friends never reach another route."""
    if not ID_CHARS.match(value) or value in (".", ".."):
        raise InvalidInputError(
            f"{value!r} is not a valid id: ids contain only letters, digits and '_'.",
            "Use an id exactly as a previous tool returned it.",
        )
    return quote(value, safe="")


class BackendClient:
    """Typed requests with one error mapping: HTTP errors become ``LifestyleError``s again."""

    vertical = "lifestyle"

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def aclose(self) -> None:
        await self.http.aclose()

    async def call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        idempotency_key: str = "",
    ) -> M:
        headers = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else None
        try:
            response = await self.http.request(method, path, json=json, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            raise BackendUnavailableError(
                f"The {self.vertical} provider did not answer {method} {path} in time.",
                "Retry in a moment; a write may have gone through, so check the order list before repeating it.",
            ) from exc
        except httpx.TransportError as exc:
            raise BackendUnavailableError(
                f"The {self.vertical} provider at {self.http.base_url} could not be reached "
                f"({exc.__class__.__name__}).",
                "Retry later, or check the backend URL setting.",
            ) from exc
        if response.is_success:
            return model.model_validate_json(response.content)
        raise self._error(response)

    def _error(self, response: httpx.Response) -> Exception:
        try:
            body = ErrorBody.model_validate_json(response.content)
        except ValidationError:
            if response.status_code == 404:
                return NotFoundError(
                    f"{response.request.url.path} does not exist at the {self.vertical} provider.",
                    "Check the id against what the tools returned.",
                )
            log.warning("backend answered %s with a non-standard body", response.status_code)
            return BackendUnavailableError(
                f"The {self.vertical} provider failed with HTTP {response.status_code}.",
                "Retry in a moment.",
            )
        return error_from_body(body)
