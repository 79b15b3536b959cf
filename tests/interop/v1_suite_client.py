"""An outside client: the mcp 1.x SDK in its own virtual environment, reaching every server of the suite over
stdio (its console scripts) or streamable HTTP (`lifestyle-mcp serve`, with a bearer token).

usage: <venv with mcp<2>/bin/python v1_suite_client.py stdio BIN_DIR DATA_DIR
       <venv with mcp<2>/bin/python v1_suite_client.py http FIRST_URL_PORT TOKEN
Prints one JSON object per server with what it saw; exits non-zero on any failure.
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client

VERTICALS = ("food", "tickets", "movies", "nav")
READ = {  # one read each server answers from its fixtures, and one call it must refuse
    "food": ("food_search_restaurants", {"query": "pizza", "limit": 2}, "food_get_order", {"order_id": "ord_nope"}),
    "tickets": ("tickets_search_events", {"limit": 2}, "tickets_get_event", {"event_id": "evt_nope"}),
    "movies": ("movies_search_movies", {"limit": 2}, "movies_get_movie", {"movie_id": "mov_nope"}),
    "nav": ("nav_geocode", {"query": "Kiasma"}, "nav_get_place", {"place_id": "plc_nope"}),
}


async def exercise(session: ClientSession, name: str) -> dict:
    init = await session.initialize()
    tools = sorted(t.name for t in (await session.list_tools()).tools)
    tool, args, bad_tool, bad_args = READ[name]
    good = await session.call_tool(tool, args)
    bad = await session.call_tool(bad_tool, bad_args)
    assert not good.isError, good.content[0].text
    assert json.loads(good.content[0].text) == good.structuredContent, tool
    return {
        "protocol": init.protocolVersion,
        "tools": tools,
        "bad_is_error": bad.isError,
        "bad_text": bad.content[0].text,
    }


async def main(mode: str, where: str, extra: str) -> None:
    seen = {}
    for n, name in enumerate(VERTICALS):
        if mode == "stdio":
            params = StdioServerParameters(command=f"{where}/{name}-mcp", args=[], env={"LIFESTYLE_DATA_DIR": extra})
            async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
                seen[name] = await exercise(session, name)
        else:
            url = f"http://127.0.0.1:{int(where) + n}/mcp"
            headers = {"Authorization": f"Bearer {extra}"}
            async with streamablehttp_client(url, headers=headers) as (read, write, _), ClientSession(read, write) as s:
                seen[name] = await exercise(s, name)
    print(json.dumps(seen))


asyncio.run(main(*sys.argv[1:4]))
