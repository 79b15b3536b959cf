"""Every tool of every server passes the client-portability rules (clients.md R1–R15).

Listed through the real protocol, in both eras, because what matters is what clients see.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mcp import Client
from mcp.types import Tool, ToolAnnotations

from servers.cli import verticals
from shared.kit.schemas import normalize_tool, portability_problems
from shared.kit.settings import Settings

NAMES = sorted(verticals())


def test_every_vertical_is_discovered() -> None:
    assert "food" in NAMES


@pytest.mark.parametrize("mode", ["auto", "legacy"])
@pytest.mark.parametrize("name", NAMES)
async def test_every_tool_schema_is_portable(name: str, mode: str, tmp_path: Path) -> None:
    vertical = verticals()[name]
    server = vertical.build_server(Settings.for_vertical(name, data_dir=tmp_path))
    async with Client(server, mode=mode) as c:
        tools = (await c.list_tools()).tools
    assert 1 <= len(tools) <= 10
    problems = [p for tool in tools for p in portability_problems(tool, name)]
    assert problems == []


def test_the_lint_catches_what_clients_reject() -> None:
    bad = Tool(
        name="food.Search",
        input_schema={
            "type": "object",
            "anyOf": [{}],
            "$defs": {},
            "properties": {
                "q": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
                "where": {"$ref": "#/$defs/Point"},
            },
            "required": ["missing"],
        },
        annotations=ToolAnnotations(read_only_hint=True),
    )
    found = " | ".join(portability_problems(bad, "food"))
    for expected in (
        "name must match",
        "forbidden keyword anyOf",
        "forbidden keyword $defs",
        "no description",
        "required names unknown",
        "exactly one explicit type",
        "non-null default",
        "annotations",
    ):
        assert expected in found


async def test_the_readme_lists_every_tool_of_every_server(tmp_path: Path) -> None:
    """The README's tool tables are what agent builders read first; a tool added or renamed must show there."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `((?:food|tickets|movies|nav)_[a-z_]+)` \|", readme, flags=re.MULTILINE))
    served: set[str] = set()
    for name in NAMES:
        server = verticals()[name].build_server(Settings.for_vertical(name, data_dir=tmp_path / name))
        async with Client(server) as c:
            served |= {t.name for t in (await c.list_tools()).tools}
    assert listed == served, f"missing from README: {sorted(served - listed)}; gone: {sorted(listed - served)}"


def test_the_lint_wants_every_string_array_and_integer_bounded_and_the_normalizer_bounds_them() -> None:
    """The server holds every call to its advertised bounds, so a parameter without one would go unchecked."""
    tool = Tool(
        name="food_pick",
        description="Pick things.",
        annotations=ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True),
        input_schema={
            "type": "object",
            "properties": {
                "note": {"type": "string", "description": "Free text."},
                "count": {"type": "integer", "minimum": 0, "description": "How many.", "default": 0},
                "seat_ids": {"type": "array", "items": {"type": "string"}, "description": "Seats.", "default": []},
                "lines": {
                    "type": "array",
                    "maxItems": 5,
                    "description": "Lines.",
                    "default": [],
                    "items": {
                        "type": "object",
                        "properties": {
                            "item_id": {"type": "string", "description": "Item."},
                            "quantity": {"type": "integer", "description": "Quantity."},
                        },
                    },
                },
            },
            "required": ["note"],
        },
    )
    assert portability_problems(tool, "food") == [
        "food_pick.note: string without maxLength",
        "food_pick.count: integer without minimum and maximum",
        "food_pick.seat_ids: array without maxItems",
        "food_pick.seat_ids[]: string without maxLength",
        "food_pick.lines[].item_id: string without maxLength",
        "food_pick.lines[].quantity: integer without minimum and maximum",
    ]
    bounded = normalize_tool(tool)
    assert portability_problems(bounded, "food") == []
    props = bounded.input_schema["properties"]
    assert (props["note"]["maxLength"], props["seat_ids"]["items"]["maxLength"], props["seat_ids"]["maxItems"]) == (
        500,
        100,
        50,
    )
    assert (props["count"]["minimum"], props["count"]["maximum"]) == (0, 2**31 - 1)
    assert props["lines"]["maxItems"] == 5  # a tool's own smaller bound stays
