"""Money, places, ids and pagination: the vocabulary every vertical shares."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from shared.errors import InvalidInputError, NotFoundError, shown

T = TypeVar("T")

IDEMPOTENCY_HEADER = "Idempotency-Key"

CURRENCY_SYMBOLS = {"EUR": "€", "CNY": "¥", "USD": "$", "GBP": "£"}


class WireModel(BaseModel):
    """Base for wire models: unknown fields are rejected so drift is caught at the boundary."""

    model_config = ConfigDict(extra="forbid")


class Money(WireModel):
    """An exact amount: integer minor units (cents) plus an ISO 4217 currency, never a float."""

    amount_minor: int = Field(description="Amount in minor units (cents), e.g. 1290 for 12.90.")
    currency: str = Field(default="EUR", description="ISO 4217 currency code.", min_length=3, max_length=3)
    display: str = Field(default="", description="Human-readable amount, e.g. '€12.90'.")

    @model_validator(mode="before")
    @classmethod
    def _fill_display(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("display") and isinstance(data.get("amount_minor"), int):
            return {**data, "display": format_money(data["amount_minor"], data.get("currency", "EUR"))}
        return data

    @classmethod
    def of(cls, amount_minor: int, currency: str = "EUR") -> Money:
        return cls(amount_minor=amount_minor, currency=currency)


def format_money(amount_minor: int, currency: str) -> str:
    sign = "-" if amount_minor < 0 else ""
    whole, cents = divmod(abs(amount_minor), 100)
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{whole}.{cents:02d}" if symbol else f"{sign}{whole}.{cents:02d} {currency}"


class GeoPoint(WireModel):
    """A WGS-84 coordinate with named fields (never a 'lng,lat' string)."""

    lat: float = Field(ge=-90, le=90, description="Latitude in degrees, WGS-84.")
    lng: float = Field(ge=-180, le=180, description="Longitude in degrees, WGS-84.")


class PageInfo(WireModel):
    """Where a paginated list stands; pass next_cursor back as cursor for more."""

    next_cursor: str = Field(default="", description="Opaque cursor for the next page; empty when this is the last.")
    total: int = Field(description="How many results match in all.")


# A cursor names the list that issued it (its scope, e.g. "nav.places"), so a cursor passed to another list is
# refused instead of starting that list at an arbitrary place: ``o:<scope>:<offset>`` or ``k:<scope>:<json key>``
# (``shared.cursor``), URL-safe base64. Cursors issued before they were scoped (``o:<offset>``, ``k:<json key>``)
# are still read wherever they were read before, so a client paging across an upgrade keeps paging.
CURSOR_SCOPE = re.compile(r"[a-z][a-z0-9_.-]{0,31}")
# A list whose rows depend on the call's arguments (a query, a category, a point) also ends its cursor's body with
# ``@<8 hex>``, a digest of those arguments: the same cursor sent with other ones would start that other list at an
# arbitrary place (page 3 of 'restaurants near Kamppi' read as an offset into 'cafés near Oodi'). A body never ends
# so otherwise: an offset is digits, a key is a JSON array.
ASKED_BODY = re.compile(r"(?P<body>.*)@(?P<asked>[0-9a-f]{8})", re.DOTALL)


def asked_digest(asked: Mapping[str, Any] | None) -> str:
    """Eight hex digits naming the arguments that chose a list's rows and their order (never ``limit`` or
    ``cursor``), or '' for a list that takes none."""
    if not asked:
        return ""
    text = json.dumps(dict(asked), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2s(text.encode(), digest_size=4).hexdigest()


def scoped(kind: str, scope: str, body: str, asked: str = "") -> str:
    """The opaque cursor of ``kind`` (``o`` or ``k``) for the list ``scope`` ('' for an unscoped one), issued for
    the arguments whose digest is ``asked`` ('' for none)."""
    if scope and not CURSOR_SCOPE.fullmatch(scope):
        raise ValueError(f"cursor scope {scope!r} must match {CURSOR_SCOPE.pattern}")
    body = f"{body}@{asked}" if asked else body
    raw = f"{kind}:{scope}:{body}" if scope else f"{kind}:{body}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def split_asked(cursor: str, body: str, asked: str, scope: str) -> str:
    """A cursor body without its arguments' digest, refusing the cursor when it was issued for other arguments
    than this call's (a cursor issued before cursors carried one is read as it was)."""
    m = ASKED_BODY.fullmatch(body)
    if m is None:
        return body
    if asked and m["asked"] != asked:
        raise InvalidInputError(
            f"cursor {shown(cursor)} continues a search with other arguments than this call's"
            + (f" ({scope})" if scope else "")
            + ": a cursor only pages the search that returned it, with the same query and filters.",
            "Send the same arguments as the call that returned this cursor, changing only cursor; or send '' as "
            "cursor for the first page of this new search.",
            field="cursor",
        )
    return m["body"]


def cursor_parts(cursor: str) -> tuple[str, str, str] | None:
    """The kind, scope ('' for an unscoped cursor) and body of a non-empty cursor, or None for one no server
    issued."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None
    kind, sep, rest = raw.partition(":")
    if not sep or kind not in ("o", "k"):
        return None
    scope, sep, body = rest.partition(":")
    if sep and CURSOR_SCOPE.fullmatch(scope):  # an unscoped key starts with '[', an unscoped offset has no ':'
        return kind, scope, body
    return kind, "", rest


def check_cursor_scope(cursor: str, issued: str, scope: str) -> None:
    """Refuse a cursor another list issued (an unscoped, older cursor is left to the reader)."""
    if issued and issued != scope:
        raise InvalidInputError(
            f"cursor {shown(cursor)} belongs to a different list or tool ({issued}), not to this one"
            + (f" ({scope})" if scope else "")
            + ": a cursor only pages the list that returned it.",
            "Pass this tool the next_cursor value its own previous page returned, unchanged, or '' for the first "
            "page of this list.",
            field="cursor",
        )


def encode_cursor(offset: int, scope: str = "", asked: str = "") -> str:
    return scoped("o", scope, str(offset), asked)


def decode_cursor(cursor: str, scope: str = "", asked: str = "") -> int:
    """Offset from an opaque cursor of the list ``scope`` issued for the arguments ``asked`` (``asked_digest``);
    an empty cursor is the first page."""
    if not cursor:
        return 0
    parts = cursor_parts(cursor)
    if parts is not None:
        check_cursor_scope(cursor, parts[1], scope)
    try:
        if parts is None or parts[0] != "o":
            raise ValueError(cursor)
        offset = int(split_asked(cursor, parts[2], asked, scope))
        if offset < 0:
            raise ValueError(offset)
    except ValueError as exc:
        raise InvalidInputError(
            f"cursor {shown(cursor)} is not a cursor this server issued.",
            "Pass the next_cursor value from the previous page unchanged, or '' for the first page.",
            field="cursor",
        ) from exc
    return offset


def page_slice(
    items: list[T], cursor: str, limit: int, *, scope: str = "", asked: Mapping[str, Any] | None = None
) -> tuple[list[T], PageInfo]:
    """Cut one page out of a fully ranked list; ``scope`` names the list, whose cursors no other list accepts, and
    ``asked`` the arguments that chose its rows, whose cursors no call with other arguments accepts."""
    digest = asked_digest(asked)
    start = decode_cursor(cursor, scope, digest)
    end = start + limit
    nxt = encode_cursor(end, scope, digest) if end < len(items) else ""
    return items[start:end], PageInfo(next_cursor=nxt, total=len(items))


def new_id(prefix: str) -> str:
    """A fresh prefixed id such as ``ord_k3j9x2m1q8`` (prefix says the kind, as Stripe does)."""
    return f"{prefix}_{secrets.token_hex(6)}"


class IdParam(NamedTuple):
    """A tool's id parameter: its name, the prefix its ids start with and the tool that returns them."""

    field: str
    prefix: str
    source: str


def empty_id(field: str, prefix: str, source: str) -> InvalidInputError:
    """The refusal of an id left empty: it names the parameter, the kind of id it takes and where one comes from
    (a bare "'' is not a valid id" left the model to guess which of its arguments was meant)."""
    return InvalidInputError(
        f"{field} is empty: it takes an id starting with '{prefix}_'.",
        f"Use an id returned by {source}.",
        field=field,
    )


def check_no_blank(values: list[str], *, field: str, takes: str, none_means: str, source: str) -> None:
    """Refuse a list of ids with an empty (or blank) entry, naming its position: where ``[]`` is itself an answer
    (best available, every seat), dropping the blank read ``['']`` as ``[]`` and did what nobody asked for."""
    for i, value in enumerate(values):
        if not value.strip():
            raise InvalidInputError(
                f"{field}[{i}] is empty: it takes {takes}.",
                f"Pass [] for {none_means}, or {source}.",
                field=f"{field}[{i}]",
            )


NAME_LIKE = re.compile(r"(?=.*[^\W\d_])[\w\s'’.,:;&!?()·\-]+")
"""What reads as a name ('Dune', '沙丘', 'Finnkino Tennispalatsi'): a letter, and only what names are written with
(not '../orders')."""


def check_id(
    value: str,
    prefix: str,
    *,
    field: str,
    source: str,
    names: Callable[[str], list[tuple[str, str]]] | None = None,
) -> str:
    """Reject ids of the wrong kind with a message that names where a right one comes from. A blank one ('  ') is
    empty, as '' is: "not a valid id" read as a mistyped id rather than one left out. ``names``: the (name, id)
    pairs a name passed instead of an id stands for ('Kinopalatsi'), so the refusal can give the id."""
    if not value.strip():
        raise empty_id(field, prefix, source)
    if not value.startswith(f"{prefix}_") or len(value) <= len(prefix) + 1:
        if names is not None:
            _name_not_id(field, value, names(value.strip()), source)
            if NAME_LIKE.fullmatch(value.strip()):  # 'Dune', '沙丘': a name of nothing here, as a search would say
                raise InvalidInputError(
                    f"{field} {shown(value)} is not an id (ids of this kind start with '{prefix}_'), and nothing "
                    "here is called that.",
                    f"Look it up by name with {source} (it may be spelt another way, or not be here), then pass "
                    "its id.",
                    field=field,
                )
        raise InvalidInputError(
            f"{field} {shown(value)} is not a valid id: ids of this kind start with '{prefix}_'.",
            f"Use an id returned by {source}.",
            field=field,
        )
    return value


def from_the_map(value: str, by_place: Mapping[str, str], *, field: str, kind: str, source: str) -> str:
    """``value``, unless it is a map place's id (nav's ``plc_…``, as an agent carries it from nav_search_places to
    the server that sells there): then the id of the restaurant or cinema that place is, or a refusal saying that
    none here is. nav reads their ids as its places; the other way round was 'not an id, nothing is called that'."""
    if not value.startswith("plc_"):
        return value
    found = by_place.get(value.strip())
    if found is None:
        raise NotFoundError(
            f"{field} {shown(value)} is a place on the map (nav's id), and no {kind} here is that place.",
            f"Look the {kind} up by name with {source}, then pass its id.",
            field=field,
        )
    return found


def _name_not_id(field: str, value: str, named: list[tuple[str, str]], source: str) -> None:
    """A name passed where an id goes ('Kinopalatsi', 'Zucchini', 'Peer Gynt'), with the (name, id) pairs it names:
    refused as any non-id is, but with the id, or the ids to choose from, so the next call is right (weaker models
    pass the name the user said). Returns if it names nothing."""
    if len(named) == 1:
        ((name, found),) = named
        raise InvalidInputError(
            f"{field} {shown(value)} is a name, not an id: {name} is {found}.",
            f"Call again with {field}='{found}'.",
            field=field,
        )
    if named:
        ids = "; ".join(f"{name}: {found}" for name, found in named[:5])
        more = f" and {len(named) - 5} more" if len(named) > 5 else ""
        raise InvalidInputError(
            f"{field} {shown(value)} is a name, not an id, and names {len(named)}: {ids}{more}.",
            f"Ask the user which, then pass its id (or narrow it down with {source}).",
            field=field,
        )


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("datetime must include a UTC offset, e.g. 2026-11-24T18:00:00+02:00")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
