"""One error hierarchy for every vertical, mapped once per channel.

The same exception travels three hops: a backend service raises it, the backend's HTTP
layer turns it into a status code and a JSON body, the httpx client turns that body back
into the same exception, and the MCP layer turns it into a tool error whose text says what
went wrong and how to fix it. Keeping one tree means "not found" never degrades into
"backend down" on the way::

    LifestyleError
     ├── NotFoundError               404  an id that does not exist (or is not yours)
     ├── InvalidInputError           422  arguments that can never succeed as given
     │    ├── TooLargeError          413  a request body over the provider's limit
     │    └── UriTooLongError        414  a request URL over the provider's limit
     ├── ConflictError               409  valid input, but the current state forbids it
     │    └── ConfirmationRequiredError  428  a charge needs the user's explicit confirmation
     ├── PaymentDeclinedError        402  wallet balance or payment method refused
     ├── UnauthorizedError           401  no valid credential: the caller is not known
     ├── ForbiddenError              403  a valid caller asking for what it may not do
     └── BackendUnavailableError     503  the provider could not be reached or failed
"""

from __future__ import annotations

import reprlib
from typing import Any, ClassVar

from pydantic import BaseModel, Field

SHOWN = 60
"""How much of a caller's value an error message quotes back."""


def _brief_repr() -> reprlib.Repr:
    brief = reprlib.Repr()
    brief.maxlevel, brief.maxstring, brief.maxother = 2, SHOWN, SHOWN
    brief.maxtuple = brief.maxlist = brief.maxdict = brief.maxset = 4
    return brief


_brief = _brief_repr()


def shown(value: object, limit: int = SHOWN, *, sized: bool = True) -> str:
    """A caller's value quoted for an error message: escaped, at most ``limit`` characters of it, and (``sized``)
    its size when it was cut.

    A model needs to recognise what it sent, not to read it back: a 1 MB argument used to come back whole in
    the error (issue 11), and an unescaped NUL or lone surrogate in an error breaks the message carrying it.
    """
    if isinstance(value, str):
        quoted = repr(value[: limit + 1])
        if len(value) <= limit and len(quoted) <= limit + 2:
            return quoted
        size = f" ({len(value):,} characters)" if sized else ""
        return f"{quoted[: limit + 1]}…{quoted[0]}{size}"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"an integer of about {int(value.bit_length() * 0.30103):,} digits"  # str() refuses 4,300+ digits
    text = _brief.repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if sized and isinstance(value, list | tuple | dict | set) and len(value) > _brief.maxlist:
        text += f" ({len(value):,} items)"
    return text


class ErrorBody(BaseModel):
    """The JSON body every backend returns for a failed request."""

    code: str = Field(description="Stable machine-readable error code, e.g. not_found.")
    message: str = Field(description="What went wrong, in one sentence.")
    hint: str = Field(default="", description="How to fix it: the next call to make, or the argument to change.")
    details: dict[str, Any] = Field(default_factory=dict, description="Structured extras, e.g. the offending field.")


class LifestyleError(Exception):
    """Base of every expected failure; carries a fix-it hint for the model."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400

    def __init__(self, message: str, hint: str = "", **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details

    def body(self) -> ErrorBody:
        return ErrorBody(code=self.code, message=self.message, hint=self.hint, details=self.details)

    def for_model(self) -> str:
        """The sentence a model reads: what went wrong, then how to fix it."""
        return f"{self.message} {self.hint}".strip()


class NotFoundError(LifestyleError):
    code = "not_found"
    status = 404


class InvalidInputError(LifestyleError):
    code = "invalid_input"
    status = 422


class TooLargeError(InvalidInputError):
    code = "too_large"
    status = 413


class UriTooLongError(InvalidInputError):
    code = "uri_too_long"
    status = 414


class ConflictError(LifestyleError):
    code = "conflict"
    status = 409


class ConfirmationRequiredError(ConflictError):
    code = "confirmation_required"
    status = 428


class PaymentDeclinedError(LifestyleError):
    code = "payment_declined"
    status = 402


class UnauthorizedError(LifestyleError):
    code = "unauthorized"
    status = 401


class ForbiddenError(LifestyleError):
    code = "forbidden"
    status = 403


class BackendUnavailableError(LifestyleError):
    code = "backend_unavailable"
    status = 503


_BY_CODE: dict[str, type[LifestyleError]] = {
    cls.code: cls
    for cls in (
        NotFoundError,
        InvalidInputError,
        TooLargeError,
        UriTooLongError,
        ConflictError,
        ConfirmationRequiredError,
        PaymentDeclinedError,
        UnauthorizedError,
        ForbiddenError,
        BackendUnavailableError,
    )
}


def error_from_body(body: ErrorBody) -> LifestyleError:
    """Rebuild the exception a backend raised from the body it sent."""
    cls = _BY_CODE.get(body.code, LifestyleError)
    return cls(body.message, body.hint, **body.details)


# What a provider API answers each error with, in its OpenAPI document (every route of every provider app).
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "Malformed request (e.g. a body that is not JSON)"),
        (402, "Payment declined"),
        (401, "No valid service credential"),
        (403, "Not allowed for this caller"),
        (404, "Not found"),
        (409, "Conflict with current state"),
        (413, "Request body too large (shared.kit.hygiene)"),
        (414, "Request URL too long (shared.kit.hygiene)"),
        (422, "Invalid input"),
        (428, "Confirmation required"),
    )
}
