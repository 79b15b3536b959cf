"""The base of every vertical's typed httpx client: the only code that speaks HTTP.

In process the client reaches the mocked backend through httpx's ASGI transport (no
socket); with a backend URL configured it goes over the network. Either way the same
requests, the same status codes and the same error mapping apply, so swapping the mock for a
real provider means replacing the backend, not the tools.

GET answers that carry an ``ETag`` are kept and revalidated before every reuse, as HTTP's
``no-cache`` asks (see ``ResponseCache``).

Every attempt at a call has a deadline (``backend_timeout``; enforced with ``anyio.fail_after``, since
httpx's ASGI transport ignores httpx's timeouts; in process, a route already running in a worker
thread cannot be interrupted, so its late answer lands first and counts as none). A call that got no
answer, or a 502/503/504, or a 409 the provider marked ``retryable``, is tried again
(``backend_retries``, jittered backoff, all within attempts × timeout) when that is safe: a read, a
POST the vertical marks ``repeatable`` (a route, a quote), or a write with an ``Idempotency-Key`` —
and every write gets one, made once per call and sent again on its retries, so the provider answers
a retry with the first answer instead of acting twice. When the attempts run out the error tells the
model what happened and what to do, differently for a read, a confirmation (its token is the key:
calling again with it cannot charge twice) and any other write (see ``CallFailed``).
"""

from __future__ import annotations

import logging
import random
import re
import secrets
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass, field
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
    shown,
)
from shared.kit.heap import quiet_heap, settle_heap_soon
from shared.kit.identity import acting_user
from shared.kit.settings import IN_PROCESS_HOST, Settings
from shared.kit.signing import ServiceKey
from shared.schemas.account import (
    WALLET_LATEST,
    Address,
    AddressInput,
    AddressList,
    Introspection,
    User,
    WalletNow,
    WalletStatement,
)
from shared.schemas.common import IDEMPOTENCY_HEADER, IdParam, empty_id

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

IN_PROCESS_BASE = f"http://{IN_PROCESS_HOST}"


class LazyApp:
    """An ASGI app built on its first request.

    Building a backend opens the database, seeds it on first run and loads the catalog; doing
    that lazily keeps a stdio server's ``initialize`` fast and lets ``tools/list`` work before
    any backend exists. The build runs in a worker thread so the event loop stays responsive.
    """

    def __init__(self, factory: Callable[[], Any], kind: str = "") -> None:
        self._factory = factory
        self._kind = kind  # the vertical: its first app in a process settles the heap (``shared.kit.heap``)
        self._app: Any = None
        self._lock = anyio.Lock()
        self._current_etag: Callable[[], str] | None = None
        self._fresh_clock: Callable[[], Awaitable[None]] | None = None

    async def current_etag(self) -> str | None:
        """The tag the app would give its cacheable answers right now, asked in process (no request, but the clock
        row read again, as before a request: it carries what other processes of the sandbox changed).

        An app opts in by setting ``app.state.current_etag``, promising that every ETag it sends
        is that function's value when the answer was made, and that the answer stays the same for
        as long as the function keeps returning it. None: the app is not built or made no promise.
        """
        if self._current_etag is None:
            state = getattr(self._app, "state", None)
            self._current_etag = getattr(state, "current_etag", None)
            self._fresh_clock = getattr(state, "fresh_clock", None)
            if self._current_etag is None:
                return None
        if self._fresh_clock is not None:
            await self._fresh_clock()
        return self._current_etag()

    def _build(self, warm: bool) -> Any:
        with quiet_heap(self._kind):  # the first answer waits for this build: no collection passes over it
            app = self._factory()
            hook = getattr(getattr(app, "state", None), "warm", None) if warm else None
            if callable(hook):
                hook()
            return app

    async def ensure(self, *, warm: bool = False) -> Any:
        """The app, built now if this is the first need of it.

        ``warm``: a build ahead of any call (``Settings.warm_start``) also runs the app's ``state.warm`` (what its
        first calls would otherwise build, such as nav's geocoder), inside the build, so a call arriving meanwhile
        waits for it rather than building it twice. A build that a call needs now does not: that call may need none
        of it.

        A provider that cannot start (its data missing or unreadable, its database unreachable) is a tool
        error that names the cause, never a masked one; the next call tries again.
        """
        if self._app is None:
            async with self._lock:
                if self._app is None:
                    try:
                        self._app = await anyio.to_thread.run_sync(self._build, warm)
                        settle_heap_soon(self._kind)  # its catalog is in: keep it out of later full collections
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


@dataclass(frozen=True)
class CallPolicy:
    """How long one attempt at a provider call may take, and how many more attempts a safe call gets."""

    timeout: float = 5.0
    retries: int = 2
    backoff: float = 0.05  # seconds before the first retry (doubling, with full jitter)
    backoff_limit: float = 1.0

    @classmethod
    def of(cls, settings: Settings) -> CallPolicy:
        return cls(timeout=settings.backend_timeout, retries=settings.backend_retries)


class NoCookies(httpx.Cookies):
    """A cookie jar that keeps nothing. A provider API knows its caller from the service credential on every
    request, never from cookies, so answers are not searched for them (httpx's jar parses every answer's URL and
    headers for cookies: a tenth of an in-process call)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class ProviderHTTP(httpx.AsyncClient):
    """An httpx client aimed at one provider, carrying the call policy its settings give: the server kit builds
    the typed client from ``connect()``'s result alone, so the policy travels with it."""

    def __init__(self, *, policy: CallPolicy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.policy = policy
        self._cookies = NoCookies()


def connect(settings: Settings, app: LazyApp | None) -> ProviderHTTP:
    """An httpx client aimed at the configured backend, or at the in-process ``app``; every request signed."""
    policy = CallPolicy.of(settings)
    timeout = httpx.Timeout(settings.backend_timeout)
    if settings.backend_url:
        return ProviderHTTP(
            policy=policy, base_url=settings.backend_url, auth=ServiceAuth(settings, None), timeout=timeout
        )
    assert app is not None, "an in-process backend needs its app"
    transport = httpx.ASGITransport(app=app)
    return ProviderHTTP(
        policy=policy, transport=transport, base_url=IN_PROCESS_BASE, auth=ServiceAuth(settings, app), timeout=timeout
    )


ID_CHARS = re.compile(r"^(?!.*\.\.)[\w '’&.,·:()!+-]{1,100}$")
"""An id, or a name said for one ('Bio Rex', '星际穿越'), which the provider answers with the id it names; never a
'/', '?', '#', '%' or '..' (the segment is percent-encoded whole besides)."""


def seg(value: str, param: IdParam | None = None) -> str:
    """A caller-supplied id as one URL path segment; '../x' and friends never reach another route.

    ``param`` (the tool's parameter, its ids' prefix and the tool returning them) lets the refusal name the argument
    that was wrong and where a right one comes from, in the terms of the tool the model called."""
    if param is not None and not value.strip():  # '  ' was "not a valid id": a mistyped id, not one left out
        raise empty_id(*param)
    if not ID_CHARS.match(value) or value in (".", ".."):
        if param is not None:
            raise InvalidInputError(
                f"{param.field} {shown(value)} is not a valid id: ids contain only letters, digits and '_'.",
                f"Use an id ({param.prefix}_…) exactly as {param.source} returned it.",
                field=param.field,
            )
        raise InvalidInputError(
            f"{shown(value)} is not a valid id: ids contain only letters, digits and '_'.",
            "Use an id exactly as a previous tool returned it.",
        )
    return quote(value, safe="")


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAY_HAVE_ACTED = " It may have acted: read the current state (orders, holds, cart) before repeating it."
"""Said of a write whose answer could not be read: the provider answered with success, so it may well have acted."""
SAME_HOLD_AGAIN = (
    "Asking again with the same arguments is safe: it returns the hold already made for them (see its expires_at), "
    "or makes it now."
)
"""What to do when no answer came back for a seat hold: the provider finds a hold's retries itself."""


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


RETRY_STATUSES = {502: "bad gateway", 503: "unavailable", 504: "gateway timeout"}
RETRYABLE = "retryable"
"""A 409 whose ``details`` say ``retryable: true`` is worth sending again as it is (another request held what
it needed, e.g. a first attempt under the same ``Idempotency-Key`` still running, or a lost database race)."""
IN_PROGRESS = "in_progress"
"""A retryable 409's ``details`` flag: the first attempt is still running, so it may yet act."""


def new_idempotency_key() -> str:
    """The key of one logical write, sent again on each of its retries."""
    return f"idk_{secrets.token_hex(12)}"


@dataclass(frozen=True)
class Attempt:
    """One attempt that got no usable answer: what happened, and whether the provider may have acted anyway."""

    what: str
    unsure: bool
    said: str = ""  # the provider's own sentence, if it answered
    error: LifestyleError | None = None  # the provider's refusal, for a 409
    retry_after: float = 0.0


@dataclass
class CallFailed:
    """Every attempt at one call failed: the error a model reads, worded by what the call was (see ``error``)."""

    vertical: str
    request: str  # "POST /orders"
    read: bool
    confirmation: str  # the cft_ token a confirmation carried, else ''
    if_unsure: str = ""  # what to do when the provider may have acted, for a write that finds its own retries
    attempts: list[Attempt] = field(default_factory=list)
    seconds: float = 0.0  # from the first attempt to giving up

    @property
    def unsure(self) -> bool:
        return any(a.unsure for a in self.attempts)

    def trail(self) -> str:
        """'3 attempts in 1.2 s (503 unavailable ×2; no answer in time); the provider said: "…"'."""
        groups: list[list[str]] = []
        for attempt in self.attempts:
            if groups and groups[-1][0] == attempt.what:
                groups[-1].append(attempt.what)
            else:
                groups.append([attempt.what])
        parts = "; ".join(g[0] if len(g) == 1 else f"{g[0]} ×{len(g)}" for g in groups)
        count = len(self.attempts)
        said = next((a.said for a in reversed(self.attempts) if a.said), "")
        told = f'; the provider said: "{said[:200].rstrip(".")}"' if said else ""
        return f"{count} attempt{'s' if count != 1 else ''} in {self.seconds:.1f} s ({parts}){told}"

    def error(self) -> LifestyleError:
        v, request, trail = self.vertical, self.request, self.trail()
        give_up = f"if it keeps failing, tell the user the {v} service is not responding right now."
        details = {"attempts": len(self.attempts), "may_have_acted": self.unsure}
        if self.read:
            return BackendUnavailableError(
                f"The {v} provider could not answer {request} after {trail}.",
                f"Nothing was changed. Try again in a moment; {give_up}",
                **details,
            )
        last = self.attempts[-1].error if self.attempts else None
        if not self.unsure and last is not None:
            return last  # the provider's own refusal (a race it lost): it says what to do
        token = self.confirmation
        if token and self.unsure:
            return BackendUnavailableError(
                f"The {v} provider did not confirm {request} after {trail}, so it may have gone through.",
                f"Call the same tool again with the same confirmation_token='{token}' (do not ask for a new quote): "
                "a confirmation acts at most once, so it will not charge or refund twice; you get what it already "
                "did, or it is done now.",
                **details,
            )
        if token:
            return BackendUnavailableError(
                f"The {v} provider was unavailable for {request} after {trail}; nothing was charged or changed.",
                f"Try again in a moment with the same confirmation_token='{token}' while it is valid (it will not "
                f"charge twice); {give_up}",
                **details,
            )
        if self.unsure:
            return BackendUnavailableError(
                f"The {v} provider did not confirm {request} after {trail}, so it may or may not have taken effect.",
                self.if_unsure
                or "Read the current state with the matching tool (the cart, holds, orders or saved addresses) before "
                "repeating it.",
                **details,
            )
        return BackendUnavailableError(
            f"The {v} provider was unavailable for {request} after {trail}; nothing was changed.",
            f"Try again in a moment; {give_up}",
            **details,
        )


def _error_body(response: httpx.Response) -> ErrorBody | None:
    try:
        return ErrorBody.model_validate_json(response.content)
    except ValidationError:
        return None


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return 0.0


def _refused_for_now(response: httpx.Response) -> Attempt | None:
    """An answer worth trying again (a 502/503/504, or a 409 marked retryable), or None: this is the answer."""
    status = response.status_code
    if status in RETRY_STATUSES:
        body = _error_body(response)
        return Attempt(
            f"{status} {RETRY_STATUSES[status]}",
            unsure=status != 503,  # a gateway's 502/504: the provider behind it may have acted
            said=body.message if body else "",
            retry_after=_retry_after(response),
        )
    if status == 409:
        body = _error_body(response)
        if body is not None and body.details.get(RETRYABLE) is True:
            return Attempt(
                "409 busy",
                unsure=body.details.get(IN_PROGRESS) is True,
                said=body.message,
                error=error_from_body(body),
                retry_after=_retry_after(response),
            )
    return None


class BackendClient:
    """Typed requests with one error mapping: HTTP errors become ``LifestyleError``s again; calls that got no
    answer are retried when that is safe (see the module docstring)."""

    vertical = "lifestyle"

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        app: LazyApp | None = None,
        default_user: str = "",
        policy: CallPolicy | None = None,
    ) -> None:
        self.http = http
        self.app = app
        self.default_user = default_user
        self.policy = policy or getattr(http, "policy", None) or CallPolicy()
        self.cache = ResponseCache()
        self._base = str(http.base_url).rstrip("/")

    def url(self, path: str, params: dict[str, Any] | None) -> httpx.URL:
        """The request's absolute URL, built once: the very URL httpx would make of ``base_url``, ``path`` and
        ``params`` (the same encoding: ``httpx.QueryParams``), without parsing and re-parsing it three times on
        the way (a fifth of the client's cost of an in-process call)."""
        query = str(httpx.QueryParams(params)) if params else ""
        return httpx.URL(f"{self._base}/{path.lstrip('/')}" + (f"?{query}" if query else ""))

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
        repeatable: bool = False,
        if_unsure: str = "",
    ) -> M:
        """One provider call, tried again while that is safe.

        ``idempotency_key``: the caller's own key (a confirmation sends its token); other writes get one made
        here. ``repeatable``: a POST that changes nothing a retry could double (a route, a quote), so it needs
        no key, stores no answer and leaves the response cache alone. ``if_unsure``: what the model may do when no
        answer came back for this write, where the provider finds its retries itself (``SAME_HOLD_AGAIN``).
        """
        read = method in SAFE_METHODS or repeatable
        idempotency = idempotency_key or ("" if read else new_idempotency_key())
        headers = {IDEMPOTENCY_HEADER: _header_value(idempotency)} if idempotency else {}
        key: tuple[Any, ...] = ()
        held: tuple[str, BaseModel] | None = None
        if method == "GET":  # answers are per user: the user is part of the key
            key = (acting_user(self.default_user), path, tuple(sorted((params or {}).items())) if params else (), model)
            held = self.cache.get(key)
            if held is not None:
                current = await self.app.current_etag() if self.app is not None else None
                if current == held[0]:
                    return held[1]  # type: ignore[return-value]  # stored under this model in the key
                if current is None:  # nobody to ask in process: a conditional GET
                    headers["If-None-Match"] = held[0]
        failed = CallFailed(
            self.vertical,
            f"{method} {path}",
            read,
            idempotency_key if idempotency_key.startswith("cft_") else "",
            if_unsure=if_unsure,
        )
        response = await self._send(method, path, json=json, params=params, headers=headers, failed=failed)
        if held is not None and response.status_code == 304:
            return held[1]  # type: ignore[return-value]
        if response.is_success:
            value = self._parsed(model, response, method, path)
            if method == "GET":
                if etag := _cacheable(response):
                    self.cache.put(key, etag, value)
            elif not read:
                self.cache.clear()  # RFC 9111 §4.4: a successful unsafe request invalidates what we hold
            return value
        raise self._error(response)

    def _parsed(self, model: type[M], response: httpx.Response, method: str, path: str) -> M:
        """The answer as ``model``; one that does not fit is the provider's fault, never the caller's: as a bare
        ``ValidationError`` the tool reported it as 'Invalid arguments … Fix these arguments'."""
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            request = f"{method} {path}"
            log.error("%s: the %s provider's answer does not fit %s: %s", request, self.vertical, model.__name__, exc)
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(step) for step in first["loc"]) or "the body"
            acted = "" if method in SAFE_METHODS else MAY_HAVE_ACTED
            raise BackendUnavailableError(
                f"The {self.vertical} provider's answer to {request} does not match its API ({where}: "
                f"{first['msg'][:120]}): a fault of the service, not of the arguments.{acted}",
                f"Tell the user the {self.vertical} service is not working right now (the MCP server and its provider "
                "disagree on the API: its operator must update one of them).",
            ) from exc

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any,
        params: dict[str, Any] | None,
        headers: dict[str, str],
        failed: CallFailed,
    ) -> httpx.Response:
        """The first usable answer, within ``attempts × timeout`` in all; raises ``CallFailed.error()`` if none."""
        if self.app is not None:
            await self.app.ensure()  # building the in-process provider is not a call: no deadline (it may seed)
        policy = self.policy
        url = self.url(path, params)
        attempts = 1 + policy.retries
        started = anyio.current_time()
        deadline = started + policy.timeout * attempts  # the whole call, pauses included
        for n in range(attempts):
            if n:
                pause = random.uniform(0, min(policy.backoff_limit, policy.backoff * 2 ** (n - 1)))
                pause = max(pause, min(failed.attempts[-1].retry_after, policy.backoff_limit))
                await anyio.sleep(min(pause, max(0.0, deadline - anyio.current_time() - 0.001)))
            budget = min(policy.timeout, deadline - anyio.current_time())
            if budget <= 0:
                break
            try:
                with anyio.fail_after(budget):
                    response = await self.http.request(method, url, json=json, headers=headers)
            except (TimeoutError, httpx.TimeoutException) as exc:
                never_sent = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
                failed.attempts.append(Attempt("no answer in time", unsure=not never_sent))
                log.info("%s %s: no answer within %.3g s (attempt %d)", method, path, budget, n + 1)
                continue
            except httpx.ConnectError:
                failed.attempts.append(Attempt(f"could not connect to {self.http.base_url}", unsure=False))
                continue
            except httpx.TransportError as exc:
                failed.attempts.append(Attempt("connection lost", unsure=True))
                log.info("%s %s: connection lost (%s, attempt %d)", method, path, exc, n + 1)
                continue
            refused = _refused_for_now(response)
            if refused is None:
                return response
            failed.attempts.append(refused)
        failed.seconds = anyio.current_time() - started
        raise failed.error()

    # ----- the account, the same in every vertical's provider ------------------------------------------
    async def me(self) -> User:
        return await self.call("GET", "/account", User)

    async def list_addresses(self) -> AddressList:
        return await self.call("GET", "/account/addresses", AddressList)

    async def save_address(self, body: AddressInput) -> Address:
        return await self.call("POST", "/account/addresses", Address, json=body.model_dump(mode="json"))

    async def wallet(self, limit: int = 10, cursor: str = "") -> WalletStatement:
        return await self.call("GET", "/account/wallet", WalletStatement, params={"limit": limit, "cursor": cursor})

    async def wallet_now(self) -> WalletNow:
        """The balance and latest movements an orders list shows beside the orders."""
        statement = await self.wallet(WALLET_LATEST)
        return WalletNow(balance=statement.balance, latest=statement.entries)

    async def introspect(self, token: str) -> Introspection:
        return await self.call("POST", "/auth/introspect", Introspection, json={"token": token}, repeatable=True)

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
