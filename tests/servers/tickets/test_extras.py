"""Beyond tools: prompts with argument completion, the seat-map resource and logging/setLevel."""

from __future__ import annotations

import json

import pytest
from mcp import Client
from mcp.types import PromptReference, ResourceTemplateReference, TextResourceContents

from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import ok, pick


async def test_prompt_arguments_complete_categories_in_both_languages(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        prompts = {p.name for p in (await c.list_prompts()).prompts}
        ref = PromptReference(type="ref/prompt", name="find_a_show")
        english = await c.complete(ref, {"name": "category", "value": "mus"})
        chinese = await c.complete(ref, {"name": "category", "value": "话"})
        rendered = await c.get_prompt("find_a_show", {"category": "classical", "when": "tonight", "people": "3"})
    assert {"find_a_show", "my_tickets"} <= prompts
    assert english.completion.values == ["musical"]
    assert chinese.completion.values == ["话剧"]
    assert "classical" in rendered.messages[0].content.text  # type: ignore[union-attr]


async def test_the_seat_map_resource_matches_the_seat_map_tool(tickets: TicketsEnv) -> None:
    p = pick(tickets, min_days=3)
    async with Client(tickets.server) as c:
        tool = await ok(c, "tickets_get_seat_map", {"session_id": p.session.id})
        read = await c.read_resource(f"tickets://sessions/{p.session.id}/seatmap")
        ref = ResourceTemplateReference(type="ref/resource", uri="tickets://sessions/{session_id}/seatmap")
        ids = await c.complete(ref, {"name": "session_id", "value": "ses_"})
    content = read.contents[0]
    assert isinstance(content, TextResourceContents)
    assert json.loads(content.text)["sections"] == tool["sections"]
    assert ids.completion.values and all(v.startswith("ses_") for v in ids.completion.values)


@pytest.mark.filterwarnings("ignore:The logging capability is deprecated")
async def test_legacy_clients_can_set_the_log_level(tickets: TicketsEnv) -> None:
    async with Client(tickets.server, mode="legacy") as c:
        await c.set_logging_level("debug")
    assert tickets.server.client_log_level == "debug"
