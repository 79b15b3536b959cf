"""What every mocked backend's FastAPI app shares: error mapping, the caller's identity and
the simulated clock's admin endpoints.

Errors are mapped to HTTP exactly once, here; the client maps them back in
``shared.kit.client``.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from shared.clock import SimClock
from shared.errors import ErrorBody, InvalidInputError, LifestyleError
from shared.kit.settings import Settings
from shared.schemas.common import USER_HEADER


def make_clock(settings: Settings) -> SimClock:
    """The simulated clock the settings describe (start, else now; speed)."""
    return SimClock(start=settings.clock_start, scale=settings.time_scale)


def json_response(model: BaseModel) -> Response:
    """Serialize a wire model once, skipping FastAPI's re-validation of a model the service just built.

    Hot read routes use it with ``response_model=`` on the decorator, so the OpenAPI contract
    still names the model.
    """
    return Response(content=model.model_dump_json(), media_type="application/json")


class ReadCache:
    """Rendered JSON of hot catalog reads, and the validator that says whether they are current.

    Catalog answers change with the clock only minute by minute (open now, hours today) and with
    a few writes (a user's saved addresses). So every cached answer is named by one entity tag,
    the simulated minute plus a write generation (and a token of this process): the backend
    serves repeats from memory, and a client that kept an earlier answer may reuse it exactly
    while ``etag()`` still returns the tag it came with (``Cache-Control: no-cache``: store, but
    revalidate before every reuse). Writers that affect reads call ``clear()`` after their change
    is committed. Answers must depend on nothing else (the catalog is static while the app runs).
    """

    CACHE_CONTROL = "private, no-cache"

    def __init__(self, clock: SimClock, max_entries: int = 4096, *, vary: str = USER_HEADER) -> None:
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
        """The entity tag every read answered now carries; it changes with the minute and with writes."""
        return f'"{self._boot}.m{int(self.clock.now().timestamp() // 60)}.g{self._generation}"'

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


IfNoneMatch = Annotated[
    str | None, Header(alias="If-None-Match", description="ETag of an answer the caller holds (conditional GET).")
]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LifestyleError)
    async def _domain(_: Request, exc: LifestyleError) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content=exc.body().model_dump())

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'] if p != 'body')}: {err['msg']}" for err in exc.errors()
        )
        body = InvalidInputError(f"The request was malformed: {problems}.", "Fix the named fields and retry.").body()
        return JSONResponse(status_code=422, content=body.model_dump())


CallerId = Annotated[str, Header(alias=USER_HEADER, description="The acting user's id (usr_…).")]


class ClockState(BaseModel):
    now: datetime = Field(description="Simulated current time.")
    scale: float = Field(description="Simulated seconds per real second (0 = frozen).")


class ClockChange(BaseModel):
    set_to: datetime | None = Field(default=None, description="Jump to this instant.")
    advance_seconds: float = Field(default=0, ge=0, description="Move time forward by this many seconds.")
    scale: float | None = Field(default=None, ge=0, description="New speed; 0 freezes.")


def clock_router(clock: SimClock) -> APIRouter:
    """Admin endpoints that let tests and demos drive simulated time over HTTP."""
    router = APIRouter(prefix="/admin", tags=["admin"])

    @router.get("/clock")
    def read_clock() -> ClockState:
        return ClockState(now=clock.now(), scale=clock.scale)

    @router.post("/clock")
    def change_clock(change: ClockChange) -> ClockState:
        if change.set_to is not None:
            clock.set(change.set_to)
        if change.advance_seconds:
            clock.advance(timedelta(seconds=change.advance_seconds))
        if change.scale is not None:
            clock.run(change.scale)
        return ClockState(now=clock.now(), scale=clock.scale)

    return router


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (402, "Payment declined"),
        (404, "Not found"),
        (409, "Conflict with current state"),
        (422, "Invalid input"),
        (428, "Confirmation required"),
    )
}
