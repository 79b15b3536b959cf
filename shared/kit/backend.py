"""What every mocked backend's FastAPI app shares: error mapping, the caller's identity and
the simulated clock's admin endpoints.

Errors are mapped to HTTP exactly once, here; the client maps them back in
``shared.kit.client``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from shared.clock import SimClock
from shared.errors import ErrorBody, InvalidInputError, LifestyleError
from shared.schemas.common import USER_HEADER


def json_response(model: BaseModel) -> Response:
    """Serialize a wire model once, skipping FastAPI's re-validation of a model the service just built.

    Hot read routes use it with ``response_model=`` on the decorator, so the OpenAPI contract
    still names the model.
    """
    return Response(content=model.model_dump_json(), media_type="application/json")


class ReadCache:
    """Rendered JSON of hot catalog reads, valid for the current simulated minute.

    Catalog answers change with the clock only minute by minute (open now, hours today) and with
    a few writes (a user's saved addresses), so a search backend can serve repeats from memory.
    Writers that affect reads call ``clear()``.
    """

    def __init__(self, clock: SimClock, max_entries: int = 4096) -> None:
        self.clock = clock
        self.max_entries = max_entries
        self._minute: datetime | None = None
        self._bodies: dict[tuple[object, ...], bytes] = {}

    def clear(self) -> None:
        self._bodies.clear()

    def respond(self, key: tuple[object, ...], render: Callable[[], BaseModel]) -> Response:
        minute = self.clock.now().replace(second=0, microsecond=0)
        if minute != self._minute or len(self._bodies) >= self.max_entries:
            self._bodies.clear()
            self._minute = minute
        body = self._bodies.get(key)
        if body is None:
            body = render().model_dump_json().encode()
            self._bodies[key] = body
        return Response(content=body, media_type="application/json")


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
