"""Each provider API against its own OpenAPI document, with schemathesis: requests that fit the document,
requests that do not, and requests on the real orders, holds, events and places of the sandbox; signed with a
valid service credential (as an MCP server of the sandbox signs them), so they reach the routes. No answer may
be a 5xx, and every answer must be what the document promises: a documented status, the documented content type,
a body of the documented schema.

The account's routes are the same router in every provider, so they are fuzzed once (with food's). Bounded for
CI like the tool fuzzer: ``derandomize`` and ``LIFESTYLE_FUZZ_EXAMPLES`` (examples per operation and kind of
request, a third of it, at least 2).
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.session import Fuzzed
from tests.fuzz.strategies import SEAT
from tests.sandboxes import VERTICALS
from tests.support import auth

EXAMPLES = max(2, int(os.environ.get("LIFESTYLE_FUZZ_EXAMPLES", "8")) // 3)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
HOST = {"Host": "127.0.0.1"}  # schemathesis's in-process client says 'testserver', which the providers refuse
SHARED = ("/account", "/auth", "/admin")
ORDER_PREFIX = {"food": "ord", "tickets": "tko", "movies": "mvo", "nav": "ord"}
PREFIX = {"restaurant_id": "rst", "event_id": "evt", "session_id": "ses", "hold_id": "hld", "showtime_id": "sht",
          "movie_id": "mov", "place_id": "plc"}  # fmt: skip
PATH_PARAM = re.compile(r"{(\w+)}")


def real_ids(fuzzed: Fuzzed, vertical: str, name: str) -> list[str]:
    """Ids of the kind a path parameter wants, as the sandbox's own session found them (any id if none)."""
    prefix = ORDER_PREFIX[vertical] if name == "order_id" else PREFIX.get(name, "")
    found = fuzzed.pools.get(prefix, [])
    return found or sorted(i for key, ids in fuzzed.pools.items() if key != SEAT for i in ids)


@pytest.mark.parametrize("vertical", VERTICALS)
def test_every_provider_route_answers_fuzzed_requests_without_a_5xx_and_as_its_openapi_document_says(
    fuzzed: Fuzzed, vertical: str
) -> None:
    app = fuzzed.env.apps[vertical]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=HOST)
    headers = auth(app) | HOST
    problems: list[str] = []
    sent: dict[str, int] = {}
    for found in schema.get_all_operations():
        operation = found.ok()  # type: ignore[union-attr]  # an Err would name a broken document: fail here
        if vertical != "food" and operation.path.startswith(SHARED):
            continue
        names = PATH_PARAM.findall(operation.path)
        kinds: list[st.SearchStrategy[Any]] = [
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ]
        if names:  # valid requests on things that exist: the answers with real bodies get checked too
            reals = st.fixed_dictionaries({n: st.sampled_from(real_ids(fuzzed, vertical, n)) for n in names})
            kinds.append(st.tuples(operation.as_strategy(GenerationMode.POSITIVE), reals).map(_with_path))
        fuzz_operation(operation, st.one_of(kinds), EXAMPLES * len(kinds), headers, problems, sent)
    assert sent and all(count >= EXAMPLES for count in sent.values()), sent
    assert problems == [], f"{len(problems)} of {sum(sent.values())} requests got a wrong answer:\n" + "\n".join(
        problems[:15]
    )


def fuzz_operation(
    operation: Any,
    cases: st.SearchStrategy[Any],
    examples: int,
    headers: dict[str, str],
    problems: list[str],
    sent: dict[str, int],
) -> None:
    """``examples`` requests to one operation; every answer that breaks a check is kept in ``problems``."""

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=cases)
    def request(case: Any) -> None:
        sent[operation.label] = sent.get(operation.label, 0) + 1
        try:
            response = case.call(headers=headers)
        except Exception as exc:  # the app raised instead of answering: in a real server, a 500
            problems.append(f"{operation.label} raised {type(exc).__name__}: {str(exc)[:300]}")
            return
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as exc:  # every failed check of this answer
            body = response.content[:200].decode(errors="replace")
            problems.append(f"{operation.label} -> {response.status_code} {body}: {_summary(exc)}")

    request()


def _with_path(pair: tuple[Any, dict[str, str]]) -> Any:
    case, ids = pair
    case.path_parameters = {**(case.path_parameters or {}), **ids}
    return case


def _summary(group: FailureGroup) -> str:
    """Each failed check's title and the body that failed it (schemathesis's own report is a page per answer)."""
    parts = [f"{failure.title}: {failure.message}".replace("\n", " ")[:400] for failure in group.exceptions]
    return "; ".join(parts)
