"""What every mocked backend's FastAPI app shares: ``provider_app`` builds it with the error
mapping, the Host check, the sandbox clock, ``Idempotency-Key`` replay and the account's routes.

Errors are mapped to HTTP exactly once, here; the client maps them back in
``shared.kit.client``. Who is calling comes from ``shared.account.api`` (``Caller``).
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.account.api import ACCOUNT_ROUTES, ServiceCredentials, describe_credentials
from shared.account.clock import SandboxClock
from shared.account.idempotency import IdempotencyMiddleware
from shared.account.sandbox import Sandbox
from shared.clock import SimClock
from shared.errors import ERROR_RESPONSES, ErrorBody, InvalidInputError, LifestyleError, shown
from shared.kit.dberrors import RaceRetry
from shared.kit.faults import install_faults
from shared.kit.hygiene import RequestHygiene, brief_step
from shared.kit.settings import IN_PROCESS_HOST, LOOPBACK_HOSTS, Settings
from shared.kit.signing import ServiceKey

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

Q = TypeVar("Q", bound=BaseModel)
T = TypeVar("T")


class QueryModel(Generic[Q]):
    """A route's query string read as one model in one validation, its parameters still listed in the API document.

    FastAPI reads declared query parameters one at a time and looks at each one's annotation again on every request
    (sequence or not, model or not): 80 µs of a search route's 13 here, a third of what the provider adds to an
    in-process call. Validating the whole query string with the model is one call into pydantic-core. The route
    takes ``Annotated[TheModel, query.depends]`` and passes ``openapi_extra=query.openapi``, so the OpenAPI document
    (the API reference, and what tests/fuzz generates requests from) lists every parameter as before. An invalid
    value is the same 422 as FastAPI's (``loc`` ``("query", name)``). The model must be flat: scalars and Literals.
    """

    def __init__(self, model: type[Q]) -> None:
        self.model = model
        schema = model.model_json_schema()
        if "$defs" in schema:
            raise TypeError(f"{model.__name__}: a query model takes scalars and Literals only")
        required = set(schema.get("required", ()))
        self.openapi: dict[str, Any] = {
            "parameters": [
                {"name": name, "in": "query", "required": name in required, "schema": field}
                | ({"description": field["description"]} if "description" in field else {})
                for name, field in schema["properties"].items()
            ]
        }

        async def read(request: Request) -> Q:  # async: FastAPI would run a plain function in a worker thread
            try:
                return model.model_validate(request.query_params)
            except ValidationError as exc:
                raise RequestValidationError(
                    [{**err, "loc": ("query", *err["loc"])} for err in exc.errors(include_url=False)]
                ) from None

        self.depends: Any = Depends(read)


def json_response(model: BaseModel) -> Response:
    """Serialize a wire model once, skipping FastAPI's re-validation of a model the service just built.

    Hot read routes use it with ``response_model=`` on the decorator, so the OpenAPI contract
    still names the model.
    """
    return Response(content=model.model_dump_json(), media_type="application/json")


class SeatWrites:
    """Where the seat writes of a request run (holds and releases: what a sale's crowd sends): on the event loop
    on PostgreSQL, in a worker thread on SQLite.

    On PostgreSQL such a write waits only on row locks of other short transactions, and the hop to a worker thread
    and back cost more than it saved: the hop, the thread's wake-up and the GIL handed between the loop and the
    thread were a fifth of the provider's CPU per hold, and threads of one process racing for the same seats made
    PostgreSQL wait and retry more (``benchmarks/bench_holds.py``, 2 workers on 2 cores, run alternately: 330 holds/s
    in threads, 447-461 on the loop, p99 175 → 70-100 ms). One write at a time per process is what racing seats
    allow anyway. On SQLite every transaction takes the database's one write lock and may wait for it up to the busy
    timeout (30 s) while another process writes: a hold waits in a thread there, so the process goes on answering
    what needs no database (an in-process server's protocol: its tool list, pings); nothing was measured to gain
    there. Reads run on the loop on both (their routes are ``async def``)."""

    def __init__(self, engine: Engine) -> None:
        self.inline = engine.dialect.name == "postgresql"

    async def run(self, write: Callable[[], T]) -> T:
        return write() if self.inline else await run_in_threadpool(write)


class ReadCache:
    """Rendered JSON of hot catalog reads, and the validator that says whether they are current.

    Catalog answers change with the clock only minute by minute (open now, hours today) and with
    a few writes (a user's saved addresses, in any server of the sandbox). So every cached answer is
    named by one entity tag,
    the simulated minute plus a write generation (and a token of this process): the backend
    serves repeats from memory, and a client that kept an earlier answer may reuse it exactly
    while ``etag()`` still returns the tag it came with (``Cache-Control: no-cache``: store, but
    revalidate before every reuse). Writers that affect reads call ``clear()`` after their change
    is committed. Answers must depend on nothing else (the catalog is static while the app runs).
    """

    CACHE_CONTROL = "private, no-cache"

    def __init__(self, clock: SimClock, max_entries: int = 4096, *, vary: str = "Authorization") -> None:
        self.clock = clock
        self.max_entries = max_entries
        self.vary = vary
        self._writes = itertools.count(1)
        self._boot = secrets.token_hex(4)  # generations restart with the process; tags from before never match
        self._generation = 0
        self._tag = ""
        self._bodies: dict[tuple[object, ...], bytes] = {}

    def clear(self) -> None:
        """A write changed what reads return: every earlier tag and body is now stale."""
        self._generation = next(self._writes)  # atomic: concurrent writers in the thread pool never share a value
        self._bodies.clear()

    def etag(self) -> str:
        """The entity tag every read answered now carries; it changes with the minute, with this app's
        writes and with any address saved anywhere in the sandbox (the clock carries that version)."""
        minute = int(self.clock.now().timestamp() // 60)
        book = getattr(self.clock, "book_version", 0)
        return f'"{self._boot}.m{minute}.b{book}.g{self._generation}"'

    def respond(
        self, key: tuple[object, ...], render: Callable[[], BaseModel], if_none_match: str | None = None
    ) -> Response:
        generation = self._generation
        tag = self.etag()  # taken before rendering: a write meanwhile changes the tag, so nobody keeps this body
        headers = {"ETag": tag, "Cache-Control": self.CACHE_CONTROL, "Vary": self.vary}
        if if_none_match and tag in (t.strip() for t in if_none_match.split(",")):
            return Response(status_code=304, headers=headers)
        if tag != self._tag or len(self._bodies) >= self.max_entries:
            self._bodies.clear()
            self._tag = tag
        body = self._bodies.get(key)
        if body is None:
            body = render().model_dump_json().encode()
            if self._generation == generation and self._tag == tag:
                self._bodies[key] = body
        return Response(content=body, media_type="application/json", headers=headers)

    @staticmethod
    def uncached(render: Callable[[], BaseModel]) -> Response:
        """An answer that depends on more than the tag watches (a search through the user's own orders): rendered
        each time, with no tag, so neither this cache nor a client keeps it."""
        return Response(content=render().model_dump_json().encode(), media_type="application/json",
                        headers={"Cache-Control": "no-store"})  # fmt: skip


IfNoneMatch = Annotated[
    str | None, Header(alias="If-None-Match", description="ETag of an answer the caller holds (conditional GET).")
]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LifestyleError)
    async def _domain(_: Request, exc: LifestyleError) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content=exc.body().model_dump())

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> Response:
        """Starlette's own refusals (an unparsable body is a 400, an unknown route a 404) in the one error shape."""
        if exc.status_code < 400 or exc.status_code >= 500:
            return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail}, headers=exc.headers)
        body = ErrorBody(
            code={400: "invalid_input", 404: "not_found", 422: "invalid_input"}.get(exc.status_code, "error"),
            message=f"The request was refused: {shown(str(exc.detail))}.",
            hint="Check the method, the path and that the body is JSON as the API document says.",
        )
        return JSONResponse(status_code=exc.status_code, content=body.model_dump(), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()  # the first few, briefly: a body of 10,000 bad items must not make a 1 MB error
        problems = "; ".join(
            f"{'.'.join(brief_step(p) for p in err['loc'] if p != 'body')}: {err['msg'][:200]}" for err in errors[:3]
        ) + (f"; and {len(errors) - 3:,} more" if len(errors) > 3 else "")
        body = InvalidInputError(f"The request was malformed: {problems}.", "Fix the named fields and retry.").body()
        return JSONResponse(status_code=422, content=body.model_dump())


def provider_routes() -> APIRouter:
    """A vertical's provider routes, declared once per process at import (``serve_routes`` serves them in each app).

    Routes read the app they serve through ``request.app.state`` (its service, desk, sandbox), never through a
    closure: FastAPI building a route's parameter models took 0.07–0.15 s of every app (a test, an eval trial and
    a restarted server each build one per vertical), and its own caches, keyed by each route's function, kept every
    app a process had built alive, with its catalog, until 4,096 later functions pushed them out."""
    return APIRouter(responses=ERROR_RESPONSES)


def serve_routes(app: FastAPI, routes: APIRouter) -> None:
    """Serve ``routes`` (from ``provider_routes``) in ``app`` as they are: ``include_router`` would build each route
    again for this app."""
    app.router.routes.extend(routes.routes)


class ClockReads:
    """Reads of the sandbox clock row, for every request (``ClockRefresh``) and for the in-process client
    revalidating a kept answer without a request (``LazyApp.current_etag``): either must see what another process
    (or ``lifestyle-mcp clock``) changed, the time or the address-book version, before it answers.

    On PostgreSQL the read runs in a worker thread (a database round trip must not stall the event
    loop), and callers share reads: each waits for a read that *started after it asked* — never one
    already under way, which might have missed a change committed just before — so under load one read
    serves every caller that came in while the previous one ran. On SQLite the read is a look at a local
    file that never waits for a lock (WAL: readers do not block), about 15 µs: it runs right here, as a
    thread hop would cost several times that.
    """

    def __init__(self, clock: SandboxClock) -> None:
        self.clock = clock
        self._inline = clock.engine.dialect.name == "sqlite"
        self._started = 0  # reads begun so far
        self._finished = 0  # the newest read that has finished
        self._running: anyio.Event | None = None

    async def fresh(self) -> None:
        """Return once a read that began after this call has finished (and raise what it raised)."""
        if self._inline:
            self.clock.refresh()
            return
        wanted = self._started + 1  # a read already running began before this call
        while self._finished < wanted:
            running = self._running
            if running is not None:
                await running.wait()
                continue
            self._started += 1
            number, self._running = self._started, anyio.Event()
            done = self._running
            try:
                await anyio.to_thread.run_sync(self.clock.refresh)
                self._finished = number
            finally:  # a read that failed serves nobody: whoever waited on it reads again (and sees the error)
                self._running = None
                done.set()


class ClockRefresh:
    """Re-reads the sandbox clock before every request (``ClockReads``), so a change made by another process (or
    ``lifestyle-mcp clock``) is in force for the very next request here."""

    def __init__(self, app: ASGIApp, *, reads: ClockReads) -> None:
        self.app = app
        self.reads = reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.reads.fresh()
        await self.app(scope, receive, send)


def backend_hosts(settings: Settings) -> list[str]:
    """Host values a provider API answers: loopback, the in-process name, and what the settings allow."""
    extra = [h.rsplit(":", 1)[0] if h.endswith(":*") else h for h in settings.extra_hosts]
    return [*LOOPBACK_HOSTS, "[::1]", IN_PROCESS_HOST, *extra]


def provider_app(
    settings: Settings,
    sandbox: Sandbox,
    *,
    title: str,
    description: str,
    own_retries: frozenset[tuple[str, str]] = frozenset(),
) -> FastAPI:
    """A vertical's provider API with everything every provider shares; the vertical adds its routes.

    ``own_retries``: the (method, path) of writes that recognise a retry by the request itself, so
    ``Idempotency-Key`` keeps no answers for them (``shared.account.idempotency``).
    """
    app = FastAPI(title=title, version="2.0.0", description=description, responses=ERROR_RESPONSES)
    keys = ServiceKey(sandbox.service_key)
    app.state.sandbox = sandbox
    app.state.clock = sandbox.clock
    reads = ClockReads(sandbox.clock)
    app.state.fresh_clock = reads.fresh
    app.state.engine = sandbox.engine
    app.state.keys = keys
    install_error_handlers(app)
    serve_routes(app, ACCOUNT_ROUTES)
    describe_credentials(app)
    # Outermost first (added last): refuse a foreign Host, then oversized or malformed input (shared.kit.hygiene:
    # URL, body, control characters), then run again a request whose transaction lost a race (shared.kit.dberrors:
    # 409 after a few tries, 503 when the database is out of reach), then a request without a service credential (the
    # OpenAPI document and /docs stay readable), then inject the configured faults (LIFESTYLE_FAULTS; outside
    # the replay, so a dropped answer is already kept for its retry), then read the clock, then replay
    # idempotent writes.
    app.add_middleware(IdempotencyMiddleware, engine=sandbox.engine, keys=keys, own_retries=own_retries)
    app.add_middleware(ClockRefresh, reads=reads)
    install_faults(app, settings.fault_plan, name=settings.vertical or "lifestyle", engine=sandbox.engine)
    app.add_middleware(ServiceCredentials, keys=keys)
    app.add_middleware(RaceRetry)
    app.add_middleware(RequestHygiene)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=backend_hosts(settings))
    return app
