"""The Apps extension on the wire, without a browser: which tools carry a view, what the ui:// resources are, and
that a client without Apps gets exactly the same results as one with it."""

from __future__ import annotations

import re

import pytest
from mcp import Client
from mcp.client import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID

from tests.sandboxes import Lifestyle

APPS = advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})
VIEWS = {
    "tickets": {"tickets_get_seat_map": "ui://tickets/seat_picker.html"},
    "movies": {"movies_get_seat_map": "ui://movies/seat_picker.html"},
    "food": {"food_get_restaurant": "ui://food/menu_cart.html", "food_get_cart": "ui://food/menu_cart.html"},
    "nav": {"nav_route": "ui://nav/route_map.html", "nav_map_streets": "ui://nav/route_map.html"},
}


@pytest.mark.parametrize("vertical", sorted(VIEWS))
async def test_view_tools_name_their_ui_resource_which_is_one_self_contained_document(
    lifestyle: Lifestyle, vertical: str
) -> None:
    async with Client(lifestyle.server(vertical), extensions=[APPS]) as client:
        assert EXTENSION_ID in (client.session.server_capabilities.extensions or {})
        tools = (await client.list_tools()).tools
        bound = {t.name: (t.meta or {})["ui"]["resourceUri"] for t in tools if (t.meta or {}).get("ui")}
        assert bound == VIEWS[vertical]
        listed = {
            str(r.uri): r.mime_type for r in (await client.list_resources()).resources if str(r.uri).startswith("ui://")
        }
        assert listed == dict.fromkeys(VIEWS[vertical].values(), APP_MIME_TYPE)
        for uri in listed:
            [content] = (await client.read_resource(uri)).contents
            assert content.mime_type == APP_MIME_TYPE
            html = getattr(content, "text", "")
            assert html.startswith("<!doctype html>") and "ui/initialize" in html  # the bridge is inlined
            assert "@include" not in html
            # Nothing is fetched at run time: no external scripts, styles, images or fonts.
            assert re.findall(r"""(?:src|href)\s*=\s*["'](?!#)[^"']+""", html) == []
            assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html)


async def test_a_client_without_apps_gets_the_same_text_and_structured_result(lifestyle: Lifestyle) -> None:
    server = lifestyle.server("tickets")
    async with Client(server) as plain, Client(server, extensions=[APPS]) as apps:
        events = (await plain.call_tool("tickets_search_events", {"limit": 1})).structured_content
        assert events is not None
        args = {"session_id": events["events"][0]["next_session_id"]}
        without, with_apps = (
            await plain.call_tool("tickets_get_seat_map", args),
            await apps.call_tool("tickets_get_seat_map", args),
        )
    assert without.content == with_apps.content
    assert without.structured_content == with_apps.structured_content
    assert not without.is_error
