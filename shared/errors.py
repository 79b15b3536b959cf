"""One error hierarchy for every vertical, mapped once per channel.

The same exception travels three hops: a backend service raises it, the backend's HTTP
layer turns it into a status code and a JSON body, the httpx client turns that body back
into the same exception, and the MCP layer turns it into a tool error whose text says what
went wrong and how to fix it. Keeping one tree means "not found" never degrades into
"backend down" on the way::

    LifestyleError
     ├── NotFoundError               404  an id that does not exist (or is not yours)
     ├── InvalidInputError           422  arguments that can never succeed as given
     ├── ConflictError               409  valid input, but the current state forbids it
     │    └── ConfirmationRequiredError  428  a charge needs the user's explicit confirmation
     ├── PaymentDeclinedError        402  wallet balance or payment method refused
     ├── UnauthorizedError           401  no valid credential: the caller is not known
     ├── ForbiddenError              403  a valid caller asking for what it may not do
     └── BackendUnavailableError     503  the provider could not be reached or failed
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field


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
