"""Input hygiene, once, at the two edges input crosses: the MCP tool call and the provider's HTTP API.

Hostile or broken input used to travel until something deep failed (issue 11): a non-ASCII confirmation
token could not be put in a header, a 65 KB query could not be put in a URL, a NUL byte reached
PostgreSQL after the quote had been shown, and 1 MB of text was stored, or echoed back whole in an
error. This module holds the limits and applies them before any tool or route code runs, so a refused
call changes nothing and its error says which argument is wrong and how to fix it:

- ``bound_input_schema`` writes the limits into the schemas every client sees (``shared.kit.schemas``
  calls it), so a client that validates refuses the call itself and a model can read each bound;
- ``check_arguments`` holds a tool call to the bounds of that schema the SDK's validation does not check
  (``enforced_schema``), plus what a portable schema cannot say: no control characters (line breaks and
  tabs in free text only), no lone surrogates, ids in the alphabet of ids and of the names a model passes
  for them (no '/', '?', '#', '%' or '..': the provider answers a name with its id); ``check_prompt`` and
  ``check_resource_uri`` do the same for prompts and resource templates;
- ``RequestHygiene`` holds a provider API's raw requests to looser limits of the same kind, for callers
  that reach it over HTTP without an MCP server in front.

What a parameter is comes from its name, so a new tool is covered without declaring anything: ``*_id``,
``*_ids`` and ``cursor`` are ids, ``confirmation_token`` is a token, dates and times (``date``,
``date_*``, ``time_*``, ``*_at``, ``arrive_by``) are short values, anything else is free text. A tool
may declare a smaller bound in its own ``Field``; the limits here are ceilings.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, unquote_plus

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import InvalidInputError, LifestyleError, TooLargeError, UriTooLongError, shown

ID_MAX = 100
CURSOR_MAX = 200  # a key cursor holds a sort key and the digest of the search's arguments (shared.cursor)
WHEN_MAX = 64
TEXT_MAX = 500
ITEMS_MAX = 50
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

EDGE_URL_MAX = 8 * 1024
EDGE_BODY_MAX = 256 * 1024
EDGE_STRING_MAX = 4000
"""The provider's own limits sit above what any tool call can produce (500 characters of text, however
encoded, in a handful of query parameters), so only callers that skip the MCP servers ever meet them."""

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # free text keeps \t and \n
SURROGATE = re.compile(r"[\ud800-\udfff]")
WHEN_NAME = re.compile(r"date|date_\w+|time_\w+|\w+_at|arrive_by")
PLAIN_KEY = re.compile(r"\w{1,40}", re.ASCII)


@dataclass(frozen=True)
class Kind:
    """What a string parameter holds, read from its name: its ceiling, its alphabet and how to fix it."""

    max_length: int
    free_text: bool
    pattern: re.Pattern[str] | None
    noun: str  # "id", for the error when the pattern does not match …
    shape: str  # … and "ids hold only …"
    fix: str


MINTED = re.compile(r"[A-Za-z0-9_-]+")
"""The alphabet ids are minted in (``shared.schemas.common.new_id``, the fixtures' ids), and cursors' (URL-safe
base64 without padding)."""
ID = Kind(
    ID_MAX,
    False,
    re.compile(r"(?!.*\.\.)[\w '’&.,·:()!+-]+"),
    "id",
    "ids hold letters, digits, '_' and '-' (a name said instead may hold spaces and ' & . , · : ( ) ! +), never "
    "'/', '?', '#', '%' or '..'",
    "Pass the id exactly as an earlier tool result gave it.",
)
TOKEN = Kind(
    ID_MAX,
    False,
    re.compile(r"cft_[A-Za-z0-9_-]+"),
    "confirmation token",
    "confirmation tokens are 'cft_' followed by ASCII letters and digits",
    "Pass the confirmation_token exactly as the previous call returned it, or '' to get a new quote.",
)
SEAT = Kind(
    ID_MAX,
    False,
    re.compile(r"[A-Za-z0-9_\-.,: #&~，、–\u3400-\u9fff]+"),  # Chinese too ('池座5排12座', 'H排7、8座')
    "seat",
    "seats are ids such as 'STL-ROW5-SEAT12', or a row and a number ('row 5 seat 12', 'E7', '5排12座'), after "
    "the section's name where several have it ('池座5排12座', 'Balcony row 3 seat 9')",
    "Pass the seat id exactly as the seat map gave it.",
)
"""A seat as a user reads it off the seat map ('Row 5 seat 7', '5排7座') besides its id: the layout reads both
(``CompiledLayout.canonical``); as an id, 'Row 5 seat 7' was refused before any seat was looked at."""
CURSOR = Kind(
    CURSOR_MAX,
    False,
    MINTED,
    "cursor",
    "cursors hold only ASCII letters, digits, '_' and '-'",
    "Pass next_cursor exactly as the previous page returned it, or '' for the first page.",
)
WHEN = Kind(
    WHEN_MAX, False, None, "", "", "Use the format the parameter's description gives, e.g. 2026-11-25 or 18:30."
)
TEXT = Kind(TEXT_MAX, True, None, "", "", "Shorten it to what matters and call again.")

UNCHANGED = "Nothing was changed."


def brief_step(part: str | int) -> str:
    """One step of a validation error's location: an index or a field name as is, a key the caller made up
    quoted briefly (a 1 MB key would otherwise be the error)."""
    return str(part) if isinstance(part, int) or PLAIN_KEY.fullmatch(part) else shown(part, 20)


def kind_of(name: str) -> Kind:
    if name == "confirmation_token":
        return TOKEN
    if name == "cursor":
        return CURSOR
    if name in ("seat_ids", "seat_id"):
        return SEAT
    if name.endswith(("_id", "_ids")):
        return ID
    if WHEN_NAME.fullmatch(name):
        return WHEN
    return TEXT


# ----- the advertised schema ---------------------------------------------------------------------------
def bound_input_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A normalized input schema with every string, array and integer parameter bounded: what clients see."""
    return _bound_properties(schema, declared=True)


def enforced_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The bounds ``check_arguments`` must hold a call to itself: those the advertised schema adds or tightens.

    A bound the tool declared in its own ``Field`` is left out: the SDK's validation enforces it, and its error
    names every wrong argument at once, with what each takes.
    """
    return _bound_properties(schema, declared=False)


def _bound_properties(schema: dict[str, Any], *, declared: bool) -> dict[str, Any]:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return schema
    return {**schema, "properties": {name: _bounded(name, prop, declared) for name, prop in properties.items()}}


def _bounded(name: str, prop: Any, declared: bool) -> Any:
    if not isinstance(prop, dict):
        return prop
    out = dict(prop)

    def bound(key: str, ours: int, tighter: Callable[[int, int], int]) -> None:
        theirs = prop.get(key)
        chosen = ours if theirs is None else tighter(theirs, ours)
        if declared or chosen != theirs:
            out[key] = chosen
        else:
            del out[key]

    kind = prop.get("type")
    if kind == "string":
        enum = prop.get("enum")
        ceiling = max(map(len, enum)) if enum and all(isinstance(e, str) for e in enum) else kind_of(name).max_length
        bound("maxLength", ceiling, min)
    elif kind == "array":
        bound("maxItems", ITEMS_MAX, min)
        if isinstance(prop.get("items"), dict):
            out["items"] = _bounded(name, prop["items"], declared)  # items of seat_ids are ids, of origins text
    elif kind == "integer":
        bound("minimum", INT_MIN, max)
        bound("maximum", INT_MAX, min)
    elif kind == "object" and isinstance(prop.get("properties"), dict):
        out["properties"] = {sub: _bounded(sub, p, declared) for sub, p in prop["properties"].items()}
    return out


# ----- a tool call ----------------------------------------------------------------------------------------
def check_arguments(schema: dict[str, Any], arguments: dict[str, Any], tool: str = "This tool") -> None:
    """Refuse the first argument outside ``schema`` (an ``enforced_schema``) or unsafe to pass on.

    Raises ``InvalidInputError`` naming the argument. Values the SDK would coerce are judged as it will
    read them: a JSON array sent as a string (Claude Desktop does) is parsed, a number sent as a string
    is compared as a number. Anything of a type the schema does not allow is left to the SDK's
    validation, which refuses it.

    An argument the tool does not take is refused too, with the nearest name it does take: the SDK drops
    unknown names, so ``nav_search_places(near='Kamppi')`` searched around the city centre and said nothing,
    and a model never learnt that its 'near' (or 'radius' for ``radius_m``) had been ignored. Portable schemas
    cannot say ``additionalProperties: false`` (``shared.kit.schemas``), so it is held here.
    """
    properties = schema.get("properties", {})
    passed_over = FILLERS if not properties else frozenset()
    unknown = [name for name in arguments if name not in properties and name not in passed_over]
    if unknown:
        raise unknown_arguments(tool, unknown, list(properties))
    for name, value in arguments.items():
        prop = properties.get(name)
        if isinstance(prop, dict):
            _check(name, kind_of(name), prop, value)


FILLERS = frozenset({"random_string"})
"""Arguments a client adds by itself to a call of a tool that takes none (Cursor has sent a dummy ``random_string``
for models that cannot call a tool without arguments): passed over, not refused, as the model did not choose them."""


SAME_ROLE = {
    "limit": ("page_size", "per_page", "max_results", "num_results", "top_k", "count", "size", "n"),
    "cursor": ("page_token", "next_page_token", "next_cursor", "page", "offset", "token"),
    "query": ("q", "search", "keyword", "keywords", "text", "term", "terms", "name", "title"),
}
"""Whole names models give arguments by habit from other APIs, and ours that plays the same part."""
SAME_WORD = {"start": "from", "begin": "from", "since": "from", "after": "from", "end": "to", "until": "to",
             "before": "to", "maximum": "max", "minimum": "min", "cost": "price", "budget": "price",
             "film": "movie"}  # fmt: skip
"""Words of an argument's name that mean a word of ours: 'start_date' is date_from, 'max_price' price_max_minor,
'film_id' movie_id (it was pointed at cinema_id, a near spelling)."""


def _name_words(name: str) -> frozenset[str]:
    split = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return frozenset(SAME_WORD.get(w, w) for w in re.findall(r"[a-z]+|\d+", split))


def nearest_arguments(name: str, known: list[str]) -> list[str]:
    """The arguments of ``known`` ``name`` most likely meant (none, one, or the two it may mean): one playing the
    same part ('page_size' → limit), those with every word of it in any order ('max_price' → price_max_minor,
    'startDate' → date_from, 'price' → price_min_minor or price_max_minor), a near spelling ('radius' → radius_m),
    or one containing it."""
    lower = name.lower()
    for ours, habits in SAME_ROLE.items():
        if lower in habits and ours in known:
            return [ours]
    words = _name_words(name)
    having = [k for k in known if words and words <= _name_words(k)]
    if having:
        return having[:2]
    close = difflib.get_close_matches(lower, known, n=1, cutoff=0.6)
    return close or [k for k in known if lower in k or k in lower][:1]


def unknown_arguments(tool: str, unknown: list[str], known: list[str]) -> InvalidInputError:
    """'nav_search_places takes no argument 'radius' (did you mean 'radius_m'?); …': the nearest known name for each
    unknown one that resembles one, and every argument the tool takes."""
    guesses = []
    for name in unknown[:5]:
        near = " or ".join(f"'{k}'" for k in nearest_arguments(name, known))
        guesses.append(f"{shown(name)} (did you mean {near}?)" if near else shown(name))
    more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
    what = "argument" if len(unknown) == 1 else "arguments"
    takes = f"its arguments are {', '.join(known)}" if known else "it takes no arguments"
    return InvalidInputError(
        f"{tool} takes no {what} {', '.join(guesses)}{more}. {UNCHANGED}",
        f"Call it again with only the arguments it takes ({takes}), as its input schema describes.",
        field=unknown[0][:ID_MAX],
    )


def _check(path: str, kind: Kind, prop: dict[str, Any], value: Any) -> None:
    expected = prop.get("type")
    if isinstance(value, str):
        if expected == "string":
            _check_string(path, kind, prop, value)
        elif expected in ("array", "object"):
            parsed = _json_container(value)
            if parsed is not None:
                _check(path, kind, prop, parsed)
        elif expected in ("integer", "number"):
            try:
                number = float(value)
            except ValueError:
                return
            _check_range(path, prop, number, value)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int | float) and expected in ("integer", "number"):
        _check_range(path, prop, value, value)
    elif isinstance(value, list) and expected == "array":
        limit = prop.get("maxItems")
        if limit is None and len(value) > ITEMS_MAX:
            return  # over the tool's own bound too: the SDK refuses the count before looking at the items
        if limit is not None and len(value) > limit:
            raise _refused(
                path,
                f"{path} has {len(value):,} items; at most {limit} are accepted.",
                "Send fewer (split the work over several calls if you need more).",
            )
        items = prop.get("items")
        if isinstance(items, dict):
            for index, item in enumerate(value):
                _check(f"{path}[{index}]", kind, items, item)
    elif isinstance(value, dict) and expected == "object":
        fields = prop.get("properties", {})
        for key, item in value.items():
            if key in fields:
                _check(f"{path}.{key}", kind_of(key), fields[key], item)


def _check_string(path: str, kind: Kind, prop: dict[str, Any], value: str) -> None:
    if "enum" in prop:
        return  # nothing but a listed value can pass, and the SDK's error lists them
    limit = prop.get("maxLength")
    if limit is None and len(value) > kind.max_length:
        return  # over the tool's own bound too: the SDK refuses it, briefly
    if limit is not None and len(value) > limit:
        raise _refused(
            path,
            f"{path} is {len(value):,} characters long ({shown(value, 40, sized=False)}); at most {limit:,} are "
            "accepted.",
            kind.fix,
        )
    bad = SURROGATE.search(value)
    if bad:
        raise _refused(
            path,
            f"{path} holds a lone surrogate (U+{ord(bad.group()):04X}) at position {bad.start():,}, which is not a "
            f"character: {shown(value)}.",
            "Send the text as valid Unicode (a surrogate is only ever half of an escaped pair).",
        )
    bad = (TEXT_CONTROL if kind.free_text else CONTROL).search(value)
    if bad:
        allowed = "free text may hold line breaks and tabs, no other control character" if kind.free_text else ""
        raise _refused(
            path,
            f"{path} holds a control character (U+{ord(bad.group()):04X}) at position {bad.start():,}: {shown(value)}.",
            f"Remove it ({allowed})." if allowed else f"Remove it. {kind.fix}",
        )
    stripped = value.strip()
    if kind.pattern is not None and stripped and not kind.pattern.fullmatch(stripped):
        raise _refused(path, f"{path} {shown(value)} is not a valid {kind.noun}: {kind.shape}.", kind.fix)


def _check_range(path: str, prop: dict[str, Any], number: float, sent: object) -> None:
    low, high = prop.get("minimum"), prop.get("maximum")
    if isinstance(number, float) and math.isnan(number):
        return  # no number: the SDK refuses it
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            span = f"from {low:,} to {high:,}"
        else:
            span = f"at least {low:,}" if low is not None else f"at most {high:,}"
        raise _refused(path, f"{path} is {shown(sent)}; it must be {span}.", "Pass a value in that range.")


def _json_container(text: str) -> Any:
    """``text`` parsed as the SDK pre-parses a JSON array or object sent as a string; None when it is not one."""
    if not text.lstrip().startswith(("[", "{")):
        return None
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return parsed if isinstance(parsed, list | dict) else None


def _refused(path: str, message: str, fix: str) -> InvalidInputError:
    return InvalidInputError(f"{message} {UNCHANGED}", fix, field=path)


# ----- prompts and resources --------------------------------------------------------------------------------
URI_MAX = 300
PROMPT_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def check_prompt(name: str, arguments: dict[str, Any]) -> None:
    """A prompt's name and arguments (all text) held to the limits of tool arguments."""
    if not PROMPT_NAME.fullmatch(name):
        raise InvalidInputError(f"There is no prompt {shown(name)}.", "Call prompts/list and use a name as listed.")
    for key, value in arguments.items():
        if not PLAIN_KEY.fullmatch(key):
            raise InvalidInputError(f"Prompt {name} takes no argument {shown(key)}.", "Use the arguments it lists.")
        if isinstance(value, str):
            _check_string(key, kind_of(key), {"maxLength": TEXT_MAX}, value)


def check_resource_uri(uri: str) -> None:
    """A resource URI (an id inside a template such as ``food://restaurants/{restaurant_id}/menu``) held to the
    limits of ids: short, and free of control characters and of bytes that are not UTF-8 once percent-decoded."""
    fix = "Use a URI from resources/list, or fill a template from resources/templates/list with an id a tool gave."
    if len(uri) > URI_MAX:
        raise InvalidInputError(
            f"The resource URI is {len(uri):,} characters long ({shown(uri, 40, sized=False)}); at most {URI_MAX} "
            "are accepted.",
            fix,
        )
    try:
        decoded = unquote(uri, errors="strict")
    except UnicodeDecodeError:
        raise InvalidInputError(f"The resource URI {shown(uri)} is not UTF-8 once percent-decoded.", fix) from None
    if CONTROL.search(decoded) or SURROGATE.search(decoded):
        raise InvalidInputError(f"The resource URI {shown(decoded)} holds a control character.", fix)


# ----- the provider's HTTP edge -------------------------------------------------------------------------
class RequestHygiene:
    """ASGI middleware refusing, before any route or credential check runs, a request whose URL is over
    ``EDGE_URL_MAX`` bytes (414) or whose body is over ``EDGE_BODY_MAX`` (413), and one with a control
    character (line breaks and tabs aside), a lone surrogate or a string over ``EDGE_STRING_MAX``
    characters in its query or in its JSON body (422). Every refusal is the usual ``ErrorBody``.

    A body is read whole (it is small by then) and handed on as it came, so routes parse it as before.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            _check_url(scope)
            if _has_body(scope):
                body = await _read_body(scope, receive)
                _check_json(scope, body)
                receive = _replay(body, receive)
        except LifestyleError as exc:
            await JSONResponse(status_code=exc.status, content=exc.body().model_dump())(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _check_url(scope: Scope) -> None:
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogatepass")
    query: bytes = scope.get("query_string", b"")
    size = len(raw_path) + (len(query) + 1 if query else 0)
    if size > EDGE_URL_MAX:
        raise UriTooLongError(
            f"The request URL is {size:,} bytes long; this provider accepts at most {EDGE_URL_MAX:,}.",
            "Send less text: shorter search words, addresses and other text arguments, or fewer of them.",
        )
    _check_text("The path", scope["path"])
    if query and _may_be_unsafe(query.decode("latin-1")):  # the look at every parameter, for an error naming one
        for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="utf-8"):
            where = f"Query parameter {shown(key, 40)}"
            _check_text(where, key)
            _check_text(where, value, key)


def _may_be_unsafe(query: str) -> bool:
    """Whether some parameter of ``query`` could fail ``_check_text``, judged from the whole query at once.

    Nearly every query is clean, and one look at all of it, percent-decoded as ``parse_qsl`` decodes each key and
    value, finds any character ``_check_text`` would refuse (decoding the separators too adds only ``&``, ``=``
    and spaces, which it allows). No value is longer than the query itself, so a short query holds no long one.
    """
    if len(query) > EDGE_STRING_MAX:
        return True
    text = unquote_plus(query, encoding="utf-8", errors="replace")
    return bool(TEXT_CONTROL.search(text) or SURROGATE.search(text))


def _has_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() not in (b"0", b"")):
            return True
    return False


async def _read_body(scope: Scope, receive: Receive) -> bytes:
    def too_large(size: int | str) -> TooLargeError:
        return TooLargeError(
            f"The request body is {size} bytes; this provider accepts at most {EDGE_BODY_MAX:,}.",
            "Send less: fewer items, shorter text.",
        )

    for name, value in scope["headers"]:
        if name == b"content-length" and value.strip().isdigit() and int(value) > EDGE_BODY_MAX:
            raise too_large(f"{int(value):,}")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away; the app sees an empty body and the response goes nowhere
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > EDGE_BODY_MAX:
            raise too_large(f"over {EDGE_BODY_MAX:,}")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _check_json(scope: Scope, body: bytes) -> None:
    content_type = next((v for n, v in scope["headers"] if n == b"content-type"), b"")
    if not body or (content_type and b"json" not in content_type):
        return
    try:
        document = json.loads(body)
    except RecursionError:
        raise InvalidInputError(
            "The request body is JSON nested too deeply.", "Send a flat object as the route's schema describes."
        ) from None
    except ValueError:
        return  # not JSON: the route's own validation says so
    stack: list[tuple[str, Any]] = [("body", document)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, str):
            _check_text(where, node, where.removeprefix("body").lstrip("."))
        elif isinstance(node, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(node))
        elif isinstance(node, dict):
            for key, item in node.items():
                _check_text(f"A key of {where}", key)
                step = f".{key}" if PLAIN_KEY.fullmatch(key) else f"[{shown(key, 20)}]"
                stack.append((f"{where}{step}", item))


def _check_text(where: str, text: str, field: str = "") -> None:
    """``where`` names the text for a person ("Query parameter 'q'", "body.items[2].note"); ``field`` for code."""
    if len(where) > 100:  # deep nesting: the end of the path says where
        where = "…" + where[-99:]
    details = {"field": field[-100:]} if field else {}
    if len(text) > EDGE_STRING_MAX:
        raise InvalidInputError(
            f"{where} is {len(text):,} characters long; at most {EDGE_STRING_MAX:,} are accepted.",
            "Send shorter text.",
            **details,
        )
    bad = TEXT_CONTROL.search(text) or SURROGATE.search(text)
    if bad:
        raise InvalidInputError(
            f"{where} holds U+{ord(bad.group()):04X} at position {bad.start():,}, which text may not hold: "
            f"{shown(text, 40)}.",
            "Remove control characters (line breaks and tabs are fine) and send valid Unicode.",
            **details,
        )


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    """A ``receive`` that hands the app the body already read, then whatever the connection says next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
