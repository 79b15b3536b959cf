"""Hypothesis strategies for a tool's arguments, read from the inputSchema the tool advertises, and the verdict on
what came back.

The schema alone yields well-typed noise that every server refuses at its front door. A fuzzer that only knocks
on the door proves little, so the strategies mostly send what a confused model would: real ids this sandbox
handed out (its own and another user's), ids of the right kind that do not exist, ids of the wrong kind, the
examples quoted in the tool's own descriptions, edge values of each range; and then what a hostile or broken
client would: control characters, lone surrogates, huge strings, huge numbers, the wrong JSON type, missing and
unknown arguments. ``benchmarks/reliability.py`` reuses this module for its fuzz cases.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st
from mcp.types import CallToolResult, TextContent

ERROR_PREFIX = "Error: "
MASKED = ("Error executing tool", "failed inside the server")
"""The SDK's masked crash text, and the kit's wording of the same crash: a tool that raised something that is
not a domain error. Both mean the server did not understand what went wrong, so neither can say how to fix it."""
MAX_ERROR_CHARS = 2000
"""An error that echoes a huge argument back floods the model's context; what was wrong fits in far less."""

_PREFIX_IN_TEXT = re.compile(r"\b([a-z]{2,4})_…")
_QUOTED = re.compile(r"'([^'\n]{1,60})'")
_ID = re.compile(r"^([a-z]{2,4})_[0-9A-Za-z_]{2,40}$")
_SEAT = re.compile(r"^[A-Z0-9]+-ROW[A-Z0-9]+-SEAT\d+[A-Z]?$")
SEAT = "seat"
"""The pool key of seat ids (STL-ROW5-SEAT11), which have no prefix of their own."""

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\t\x1b[31m\x7f",
    "\u202e\u200b\ufeff",
    "' OR '1'='1' --",
    "'; DROP TABLE account_wallet; --",
    "%s%n%x{0}{}",
    "${jndi:ldap://127.0.0.1/x}",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    "null",
    "None",
    "NaN",
    "-1",
    "1e309",
    "9" * 40,
    "60.1699,24.9384",
    "91,181",
    "nan,nan",
    "2026-11-26T18:30",
    "2026-02-30",
    "2026-11-25T25:61",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01",
    "24:00",
    "today",
    "tomorrow",
    "yesterday",
    "火锅",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🍕🎟️",
]
"""Strings that have broken parsers, queries, date handling and terminals elsewhere."""

Strategy = st.SearchStrategy[Any]

WRONG_TYPE: Strategy = st.sampled_from(
    [None, True, 0, -1, 3.5, 2**64, "", "[]", "{}", [], [None], {}, {"$ne": None}, ["a", 1]]
)
"""A JSON value of the wrong type for any argument (strings included: for an integer, '5' is wrong too)."""

CHARS = st.characters(exclude_categories=())
"""Any code point at all: controls, private use, unassigned and lone surrogates too (JSON can carry them)."""


def _huge() -> st.SearchStrategy[str]:
    return st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", "🍕", "\x00", "a "]), st.integers(5_000, 120_000))


def harvest(value: Any, pools: dict[str, set[str]]) -> None:
    """Every id-shaped string in a tool result, by prefix (``rst``, ``hld``, …, and ``seat`` for seat ids)."""
    if isinstance(value, dict):
        for item in value.values():
            harvest(item, pools)
    elif isinstance(value, list):
        for item in value:
            harvest(item, pools)
    elif isinstance(value, str):
        found = _ID.match(value)
        if found:
            pools.setdefault(found[1], set()).add(value)
        elif _SEAT.match(value):
            pools.setdefault(SEAT, set()).add(value)


def _mutations(ids: list[str]) -> st.SearchStrategy[str]:
    """Real ids, slightly wrong: what a model copying an id by hand gets wrong."""
    return st.builds(
        lambda v, how: {
            "case": v.upper(),
            "space": f" {v} ",
            "cut": v[:-1],
            "one": v[:-1] + ("0" if v[-1:] != "0" else "1"),
            "prefix": "xyz" + v[v.find("_") :] if "_" in v else "xyz_" + v,
            "twice": v + v,
            "quote": v + "'",
        }[how],
        st.sampled_from(ids),
        st.sampled_from(["case", "space", "cut", "one", "prefix", "twice", "quote"]),
    )


def _string(schema: dict[str, Any], pools: dict[str, list[str]], name: str, hostile: bool, top: bool) -> Strategy:
    description = str(schema.get("description", ""))
    sane: list[Strategy] = []
    if "enum" in schema:
        sane += [st.sampled_from(list(schema["enum"]))] * 3
    prefixes = sorted(set(_PREFIX_IN_TEXT.findall(description)))
    ids = sorted({i for p in prefixes for i in pools.get(p, [])})
    if "SEAT" in description:
        ids += pools.get(SEAT, [])
    if ids:  # an id argument: mostly real ids (so calls reach the business rules), now and then a near miss
        real = st.sampled_from(ids)
        made_up = st.builds(
            "{}_{}".format, st.sampled_from(prefixes or ["x"]), st.text("0123456789abcdef", max_size=14)
        )
        kinds = sorted({i for key, found in pools.items() if key not in prefixes and key != SEAT for i in found[:5]})
        wrong_kind = st.sampled_from(kinds) if kinds else made_up  # a real id of another kind: an order as a hold
        mix = st.one_of(real, real, real, real, real, _mutations(ids), made_up, wrong_kind, st.just(""))
        sane = [mix, mix, mix]
    elif prefixes:
        sane.append(st.builds("{}_{}".format, st.sampled_from(prefixes), st.text("0123456789abcdef", max_size=14)))
    examples = _QUOTED.findall(description)
    if examples:
        sane.append(st.sampled_from(examples))
    if any(word in name for word in ("date", "time", "_at", "_by")):
        sane.append(
            st.builds(
                "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}".format,
                st.integers(2025, 2028),
                st.integers(0, 13),
                st.integers(0, 32),
                st.integers(0, 25),
                st.integers(0, 61),
            )
        )
    if not ids:
        sane += [st.just(""), st.text(st.characters(codec="utf-8", exclude_categories=["C"]), max_size=30)]
    if not hostile:
        return st.one_of(*sane)
    limit = schema.get("maxLength")
    worst: list[Strategy] = [st.sampled_from(NASTY), st.text(CHARS, max_size=40), WRONG_TYPE]
    if isinstance(limit, int):
        worst.append(st.sampled_from(["x" * limit, "x" * (limit + 1)]))
    if top:
        worst.append(_huge())
    return st.one_of(*sane, *worst, *worst)


def _integer(schema: dict[str, Any], hostile: bool) -> Strategy:
    lo, hi = schema.get("minimum"), schema.get("maximum")
    low = lo if isinstance(lo, int) else -1000
    high = hi if isinstance(hi, int) else max(low, 0) + 1000
    sane = st.integers(max(low, 0) if lo is None else low, high)
    if not hostile:
        return sane
    edges = sorted({low - 1, low, high, high + 1, 0, -1, 2**31, 2**63, -(2**63), 10**30})
    return st.one_of(sane, st.sampled_from(edges), st.integers(), WRONG_TYPE)


def _number(schema: dict[str, Any], hostile: bool) -> Strategy:
    lo, hi = schema.get("minimum", -1e6), schema.get("maximum", 1e6)
    places = st.sampled_from([0.0, 60.1699, 24.9384, 60.17, 24.94, 60.2055, 24.6559])  # Helsinki, and 0 = unset
    sane = st.one_of(places, places, st.floats(lo, hi))
    if not hostile:
        return sane
    edges = [lo, hi, lo - 0.001, hi + 1, -0.0, 1e308, -1e308, 5e-324]
    return st.one_of(sane, st.sampled_from(edges), st.floats(), WRONG_TYPE)


def values(
    schema: dict[str, Any], pools: dict[str, list[str]], name: str = "", *, hostile: bool = False, top: bool = True
) -> Strategy:
    """Values for one argument of this JSON schema: plausible ones (real and made-up ids, the descriptions'
    examples, in-range numbers); ``hostile`` adds controls, surrogates, huge strings (``top`` level only), huge
    numbers and the wrong JSON type."""
    kind = schema.get("type")
    if isinstance(kind, list):  # a nullable type pair, e.g. ["string", "null"]
        kinds = [k for k in kind if k != "null"]
        inner = values({**schema, "type": kinds[0] if kinds else "string"}, pools, name, hostile=hostile, top=top)
        return st.one_of(inner, inner, st.none())
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        return st.one_of(*(values({**schema, **o, "anyOf": None}, pools, name, hostile=hostile, top=top)
                           for o in options), st.none())  # fmt: skip
    if kind == "string" or "enum" in schema:
        return _string(schema, pools, name, hostile, top)
    if kind == "integer":
        return _integer(schema, hostile)
    if kind == "number":
        return _number(schema, hostile)
    if kind == "boolean":
        return st.booleans() | st.sampled_from(["true", 0, 1, None]) if hostile else st.booleans()
    if kind == "array":
        item = values(schema.get("items", {}), pools, name, hostile=hostile, top=False)
        most = schema.get("maxItems", 5)
        lists = st.lists(item, min_size=schema.get("minItems", 0), max_size=min(most, 4))
        if not hostile:
            return lists
        return st.one_of(
            lists,
            st.lists(item, min_size=most + 1, max_size=most + 40),
            st.lists(item, min_size=1, max_size=3).map(lambda xs: xs + xs),  # duplicates
            st.lists(item, max_size=3).map(json.dumps),  # a list sent as a JSON string (the SDK accepts it)
            WRONG_TYPE,
        )
    if kind == "object":
        whole = _object(schema, pools, hostile=hostile)
        return whole | WRONG_TYPE if hostile else whole
    return WRONG_TYPE


def _object(schema: dict[str, Any], pools: dict[str, list[str]], *, hostile: bool) -> Strategy:
    props: dict[str, Any] = schema.get("properties", {})
    required = [name for name in schema.get("required", []) if name in props]
    must = {name: values(props[name], pools, name, hostile=hostile, top=False) for name in required}
    may = {name: values(spec, pools, name, hostile=hostile, top=False) for name, spec in props.items()
           if name not in must}  # fmt: skip
    return st.fixed_dictionaries(must, optional=may)


def arguments(schema: dict[str, Any], pools: dict[str, list[str]]) -> Strategy:
    """A whole arguments object. Three cases in five are plausible (every value in range, ids real or close to
    real: these get past validation into the business rules); one is hostile (any value may be noise); one is
    broken (required arguments missing, an unknown one added)."""
    props: dict[str, Any] = schema.get("properties", {})
    required = [name for name in schema.get("required", []) if name in props]

    def whole(hostile: bool) -> Strategy:
        must = {name: values(props[name], pools, name, hostile=hostile) for name in required}
        may = {name: values(spec, pools, name, hostile=hostile) for name, spec in props.items() if name not in must}
        return st.fixed_dictionaries(must, optional=may)

    plausible, hostile = whole(False), whole(True)
    every = {name: values(spec, pools, name, hostile=True) for name, spec in props.items()}
    broken = st.fixed_dictionaries({}, optional={**every, "unexpected_argument": st.sampled_from(NASTY)})
    return st.one_of(plausible, plausible, plausible, hostile, broken)


def pools_of(found: dict[str, set[str]]) -> dict[str, list[str]]:
    """Sorted lists (``sampled_from`` and ``derandomize`` want a fixed order)."""
    return {prefix: sorted(ids) for prefix, ids in found.items() if ids}


def text_of(result: CallToolResult) -> str:
    first = result.content[0] if result.content else None
    return first.text if isinstance(first, TextContent) else ""


def verdict(result: CallToolResult) -> str:
    """'' when the result is a result or an actionable tool error; else what is wrong with it."""
    text = text_of(result)
    if not result.is_error:
        if result.structured_content is None and not result.content:
            return "an empty result"
        return ""
    if not text.startswith(ERROR_PREFIX):
        return f"an error that does not start with {ERROR_PREFIX!r}"
    if any(mark in text for mark in MASKED):
        return "a masked crash"
    if len(text) > MAX_ERROR_CHARS:
        return f"an error of {len(text)} characters"
    if len(text) < len(ERROR_PREFIX) + 20:
        return "an error too short to say what to do"
    return ""


def shown(args: Any, limit: int = 300) -> str:
    """Arguments as a reader of a failure report can take them in (huge strings cut)."""
    text = json.dumps(args, ensure_ascii=True, default=repr)
    return text if len(text) <= limit else text[: limit - 20] + f"… ({len(text)} chars)"


def private_ids(theirs: Iterable[str], mine: Iterable[str]) -> set[str]:
    """The ids in another user's results that are theirs alone (orders, holds, tickets, attendees, addresses,
    confirmation tokens) and never appeared in mine; catalog ids (restaurants, events, seats, places) are
    everybody's."""
    own = ("ord", "tko", "mvo", "hld", "tkt", "att", "adr", "cft")
    return {i for i in set(theirs) - set(mine) if i.split("_", 1)[0] in own}
