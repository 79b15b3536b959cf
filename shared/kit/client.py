"""The base of every vertical's typed httpx client: the only code that speaks HTTP.

In process the client reaches the mocked backend through httpx's ASGI transport (no
socket); with a backend URL configured it goes over the network. Either way the same
requests, the same status codes and the same error mapping apply, so swapping the mock for a
real provider means replacing the backend, not the tools.

GET answers that carry an ``ETag`` are kept and revalidated before every reuse, as HTTP's
``no-cache`` asks (see ``ResponseCache``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any, TypeVar
from urllib.parse import quote

import anyio
import anyio.to_thread
import httpx
from pydantic import BaseModel, ValidationError

from shared.errors import (
    BackendUnavailableError,
    ErrorBody,
    InvalidInputError,
    LifestyleError,
    NotFoundError,
    error_from_body,
)
from shared.kit.identity import acting_user
from shared.kit.settings import IN_PROCESS_HOST, Settings
from shared.kit.signing import ServiceKey
from shared.schemas.account import Address, AddressInput, AddressList, Introspection, User, WalletStatement
from shared.schemas.common import IDEMPOTENCY_HEADER

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

IN_PROCESS_BASE = f"http://{IN_PROCESS_HOST}"


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
        self._current_etag: Callable[[], str] | None = None

    def current_etag(self) -> str | None:
        """The tag the app would give its cacheable answers right now, asked in process (no request).

        An app opts in by setting ``app.state.current_etag``, promising that every ETag it sends
        is that function's value when the answer was made, and that the answer stays the same for
        as long as the function keeps returning it. None: the app is not built or made no promise.
        """
        if self._current_etag is None:
            state = getattr(self._app, "state", None)
            self._current_etag = getattr(state, "current_etag", None)
            if self._current_etag is None:
                return None
        return self._current_etag()

    async def ensure(self) -> Any:
        """The app, built now if this is the first need of it.

        A provider that cannot start (its data missing or unreadable, its database unreachable) is a tool
        error that names the cause, never a masked one; the next call tries again.
        """
        if self._app is None:
            async with self._lock:
                if self._app is None:
                    try:
                        self._app = await anyio.to_thread.run_sync(self._factory)
                    except LifestyleError:
                        raise
                    except Exception as exc:
                        log.exception("the in-process provider could not start")
                        raise BackendUnavailableError(
                            f"The provider could not start: {exc.__class__.__name__}: {str(exc)[:300]}",
                            "Check LIFESTYLE_DATA_DIR and LIFESTYLE_DATABASE_URL; if city data is missing, reinstall "
                            "lifestyle-mcp; `lifestyle-mcp reset` rebuilds a damaged sandbox.",
                        ) from exc
        return self._app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await (await self.ensure())(scope, receive, send)


class ServiceAuth(httpx.Auth):
    """Signs every provider request for the user the current tool call acts for.

    The service key is the sandbox's: given in the settings, else the in-process provider's own,
    else read from the sandbox database the settings name (an MCP server beside a remote provider
    of the same sandbox). The user comes from ``shared.kit.identity.acting_user``.
    """

    def __init__(self, settings: Settings, app: LazyApp | None) -> None:
        self.settings = settings
        self.app = app
        self._keys: ServiceKey | None = None

    async def keys(self) -> ServiceKey:
        if self._keys is None:
            secret = self.settings.service_key.get_secret_value()
            if secret:
                self._keys = ServiceKey(bytes.fromhex(secret) if _is_hex(secret) else secret.encode())
            elif self.app is not None:
                self._keys = (await self.app.ensure()).state.keys
            else:
                self._keys = ServiceKey(await anyio.to_thread.run_sync(read_service_key, self.settings))
        return self._keys

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("the backend client is asynchronous")

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        keys = await self.keys()
        request.headers["Authorization"] = f"Bearer {keys.mint(acting_user(self.settings.user))}"
        yield request


def _is_hex(text: str) -> bool:
    return len(text) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in text)


def read_service_key(settings: Settings) -> bytes:
    """The service key stored in the sandbox database the settings name."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from shared.account.sandbox import SERVICE_KEY
    from shared.kit.db import make_engine

    engine = make_engine(settings.effective_database_url)
    try:
        with engine.connect() as conn:
            value = conn.execute(
                text("SELECT value FROM account_meta WHERE key = :key"), {"key": SERVICE_KEY}
            ).scalar_one_or_none()
    except SQLAlchemyError as exc:
        raise BackendUnavailableError(
            f"Could not read the sandbox's service key from {engine.url.render_as_string(hide_password=True)}.",
            "Set LIFESTYLE_SERVICE_KEY to the provider's key, or LIFESTYLE_DATABASE_URL to its sandbox.",
        ) from exc
    finally:
        engine.dispose()
    if value is None:
        raise BackendUnavailableError(
            "The sandbox database has no service key yet.", "Start the provider once, or set LIFESTYLE_SERVICE_KEY."
        )
    return bytes.fromhex(value)


def connect(settings: Settings, app: LazyApp | None) -> httpx.AsyncClient:
    """An httpx client aimed at the configured backend, or at the in-process ``app``; every request signed."""
    timeout = httpx.Timeout(settings.http_timeout)
    if settings.backend_url:
        return httpx.AsyncClient(base_url=settings.backend_url, auth=ServiceAuth(settings, None), timeout=timeout)
    assert app is not None, "an in-process backend needs its app"
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(
        transport=transport, base_url=IN_PROCESS_BASE, auth=ServiceAuth(settings, app), timeout=timeout
    )


ID_CHARS = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def seg(value: str) -> str:
    """A caller-supplied id as one URL path segment; '../x' and friends never reach another route."""
    if not ID_CHARS.match(value) or value in (".", ".."):
        raise InvalidInputError(
            f"{value!r} is not a valid id: ids contain only letters, digits and '_'.",
            "Use an id exactly as a previous tool returned it.",
        )
    return quote(value, safe="")


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ResponseCache:
    """Parsed GET answers that came with an ``ETag``, per request (user, path, query, model).

    An entry is reused only after revalidation, as ``Cache-Control: no-cache`` asks: in process,
    by asking the app for its current tag (``LazyApp.current_etag``: no request, no parsing);
    over the network, by a conditional GET whose ``304 Not Modified`` skips the body. Entries are
    never reused on age alone, so an answer is never older than the state the backend reports,
    whatever moved it (the simulated clock, another client's write). The models handed out are
    shared between callers: treat them as read-only.
    """

    def __init__(self, max_entries: int = 1024) -> None:
        self.max_entries = max_entries
        self._entries: dict[tuple[Any, ...], tuple[str, BaseModel]] = {}

    def get(self, key: tuple[Any, ...]) -> tuple[str, BaseModel] | None:
        return self._entries.get(key)

    def put(self, key: tuple[Any, ...], etag: str, value: BaseModel) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (etag, value)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def _header_value(value: str) -> str:
    """A caller-derived value for a header: printable ASCII only, or a clear input error (httpx could not
    even encode it)."""
    if not value or len(value) > 255 or not all(33 <= ord(c) <= 126 for c in value):
        raise InvalidInputError(
            f"{value[:40]!r} is not a valid confirmation token or idempotency key.",
            "Pass the confirmation_token exactly as the previous call returned it.",
        )
    return value


def _cacheable(response: httpx.Response) -> str:
    """The answer's ETag when it may be stored (a 200 with a strong tag, not ``no-store``), else ''."""
    etag = response.headers.get("etag", "")
    if response.status_code != 200 or not etag or etag.startswith("W/"):
        return ""
    if "no-store" in response.headers.get("cache-control", ""):
        return ""
    return etag


class BackendClient:
    """Typed requests with one error mapping: HTTP errors become ``LifestyleError``s again."""

    vertical = "lifestyle"

    def __init__(self, http: httpx.AsyncClient, *, app: LazyApp | None = None, default_user: str = "") -> None:
        self.http = http
        self.app = app
        self.default_user = default_user
        self.cache = ResponseCache()

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
        headers = {IDEMPOTENCY_HEADER: _header_value(idempotency_key)} if idempotency_key else None
        key: tuple[Any, ...] = ()
        held: tuple[str, BaseModel] | None = None
        if method == "GET":  # answers are per user: the user is part of the key
            key = (acting_user(self.default_user), path, tuple(sorted((params or {}).items())) if params else (), model)
            held = self.cache.get(key)
            if held is not None:
                current = self.app.current_etag() if self.app is not None else None
                if current == held[0]:
                    return held[1]  # type: ignore[return-value]  # stored under this model in the key
                if current is None:  # nobody to ask in process: a conditional GET
                    headers = {"If-None-Match": held[0]}
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
        if held is not None and response.status_code == 304:
            return held[1]  # type: ignore[return-value]
        if response.is_success:
            value = model.model_validate_json(response.content)
            if method == "GET":
                if etag := _cacheable(response):
                    self.cache.put(key, etag, value)
            elif method not in SAFE_METHODS:
                self.cache.clear()  # RFC 9111 §4.4: a successful unsafe request invalidates what we hold
            return value
        raise self._error(response)

    # ----- the account, the same in every vertical's provider ------------------------------------------
    async def me(self) -> User:
        return await self.call("GET", "/account", User)

    async def list_addresses(self) -> AddressList:
        return await self.call("GET", "/account/addresses", AddressList)

    async def save_address(self, body: AddressInput) -> Address:
        return await self.call("POST", "/account/addresses", Address, json=body.model_dump(mode="json"))

    async def wallet(self, limit: int = 10, cursor: str = "") -> WalletStatement:
        return await self.call("GET", "/account/wallet", WalletStatement, params={"limit": limit, "cursor": cursor})

    async def introspect(self, token: str) -> Introspection:
        return await self.call("POST", "/auth/introspect", Introspection, json={"token": token})

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
