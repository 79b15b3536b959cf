"""The Qwen-Agent plugin (clients/qwen.py): the suite's tools as Qwen-Agent tools, called directly and by an
``Assistant`` whose model is a scripted OpenAI-compatible endpoint on 127.0.0.1.

The Assistant runs in both tool-call styles: Qwen-Agent's default prompt (tools in the system prompt, the model
answers with Hermes ``<tool_call>`` text, results go back in ``<tool_response>``) and ``use_raw_api`` (OpenAI
``tools`` and ``tool_calls``, results as ``tool`` messages). Effects are checked in the sandbox, not in text.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.server import MCPServer
from mcp.types import Tool
from qwen_agent.agents import Assistant
from qwen_agent.tools.base import BaseTool
from sqlmodel import Session, select

from clients.qwen import LifestyleTool, LifestyleTools, lifestyle_tools
from clients.suite import for_model
from servers.food.backend.models import OrderRow
from servers.nav.backend.graph import RoadNetwork
from shared.account.credentials import issue_token
from tests.clients.scripted_llm import Request, Script, ScriptedLLM, Style, Turn, call, say
from tests.conftest import serve_in_thread
from tests.sandboxes import VERTICALS, Lifestyle, make_lifestyle
from tests.servers.food.helpers import fill_cart

STYLES = pytest.mark.parametrize("style", ["hermes", "openai"])
USER = "usr_demo"


@pytest.fixture(autouse=True)
def _scratch_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Qwen-Agent's Assistant makes ``workspace/`` in the working directory: keep it out of the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, network: RoadNetwork) -> Iterator[Lifestyle]:
    """One sandbox for the module. The tests that only read act for usr_demo; each test that orders acts for a
    user of its own and checks that user's orders and wallet."""
    env = make_lifestyle(tmp_path_factory.mktemp("qwen"), network)
    yield env
    env.engine.dispose()


def in_process(env: Lifestyle, user: str = USER) -> LifestyleTools:
    """The plugin on the four servers of a sandbox, in process (the mcp client's memory transport)."""
    return LifestyleTools.servers({v: env.server(v, user=user) for v in VERTICALS})


@pytest.fixture
def plugin(shared: Lifestyle) -> Iterator[LifestyleTools]:
    with in_process(shared) as tools:
        yield tools


def by_name(tools: list[LifestyleTool], name: str) -> LifestyleTool:
    return next(t for t in tools if t.name == name)


def qwen_llm(base_url: str, style: Style) -> dict[str, Any]:
    """Qwen-Agent's model config for the scripted endpoint: its own tool prompt (Hermes), or the raw API."""
    cfg: dict[str, Any] = {"model": "qwen-test", "model_type": "oai", "model_server": base_url, "api_key": "EMPTY"}
    if style == "openai":
        cfg["generate_cfg"] = {"use_raw_api": True}
    return cfg


def advertised(env: Lifestyle) -> list[Tool]:
    """The tools each server lists to a plain mcp client for a model (not the app-only ones), in suite order."""

    async def listing() -> list[Tool]:
        found: list[Tool] = []
        for v in VERTICALS:
            async with Client(env.server(v)) as c:
                found += [t for t in (await c.list_tools()).tools if for_model(t)]
        return found

    return asyncio.run(listing())


def orders(env: Lifestyle, user: str) -> list[OrderRow]:
    with Session(env.engine) as session:
        return list(session.exec(select(OrderRow).where(OrderRow.user_id == user)).all())


def wallet(env: Lifestyle, user: str) -> int:
    return env.sandbox.accounts.me(user).wallet.amount_minor


def fill_the_cart(env: Lifestyle, user: str) -> dict[str, Any]:
    """An orderable cart for ``user``, put together over a separate mcp client on the same sandbox."""

    async def fill() -> dict[str, Any]:
        async with Client(env.server("food", user=user)) as c:
            return await fill_cart(c)

    return asyncio.run(fill())


# ----- the tools themselves ----------------------------------------------------------------------------
def test_tools_carry_the_servers_names_descriptions_and_schemas(shared: Lifestyle, plugin: LifestyleTools) -> None:
    tools = plugin.tools()
    listed = advertised(shared)
    assert [t.name for t in tools] == [t.name for t in listed]
    assert len(tools) == len({t.name for t in tools}) > 30
    names = {t.name for t in tools}
    assert {"food_search_restaurants", "tickets_purchase", "movies_find_showtimes", "nav_route"} <= names
    assert not any("-" in name for name in names)  # no "food-food_search_restaurants"
    for tool, mcp_tool in zip(tools, listed, strict=True):
        assert isinstance(tool, BaseTool)
        assert tool.function == {
            "name": mcp_tool.name,
            "description": mcp_tool.description,
            "parameters": mcp_tool.input_schema,
        }
    # Qwen-Agent takes them as they are (the model endpoint is never contacted here).
    bot = Assistant(llm=qwen_llm("http://127.0.0.1:9/v1", "hermes"), function_list=tools)
    assert sorted(bot.function_map) == sorted(names)


def test_a_read_tool_answers_with_its_json_text(plugin: LifestyleTools) -> None:
    tool = by_name(plugin.tools(), "food_list_addresses")
    text = tool.call("{}")
    data = json.loads(text)
    assert "Home" in [a["label"] for a in data["addresses"]]
    assert tool.call({}) == text  # a dict, as Qwen-Agent's raw-API path may hand over
    reply = plugin.call("food_list_addresses")
    assert not reply.is_error and reply.data == data and reply.text == text


def test_errors_read_as_errors(plugin: LifestyleTools) -> None:
    tools = plugin.tools()
    missing = by_name(tools, "food_get_order").call('{"order_id": "ord_nope"}')
    assert missing.startswith("Error: ") and "ord_nope" in missing
    lax = by_name(tools, "food_get_order").call("{'order_id': 'ord_nope'}")  # JSON5, as models sometimes write
    assert lax == missing
    invalid = by_name(tools, "nav_route").call('{"origin": "home", "destination": "Kiasma", "mode": "walk"}')
    assert invalid.startswith("Error: Invalid arguments for nav_route") and "'walking'" in invalid
    garbled = by_name(tools, "food_get_order").call('{"order_id": ')
    assert garbled.startswith("Error: the arguments are not JSON")
    reply = plugin.call("food_get_order", {"order_id": "ord_nope"})
    assert reply.is_error and reply.text == missing and reply.data is None
    unknown = plugin.call("food_teleport", {})
    assert unknown.is_error and unknown.text.startswith("Error: there is no tool 'food_teleport'")


def test_a_closed_plugin_refuses_to_call(shared: Lifestyle) -> None:
    with LifestyleTools.servers({"food": shared.server("food")}) as plugin:
        tool = plugin.tools()[0]
    with pytest.raises(RuntimeError, match="not started"):
        tool.call("{}")
    with pytest.raises(RuntimeError, match="not started"):
        plugin.tools()


def test_confirmations_can_be_put_to_the_person_directly(shared: Lifestyle) -> None:
    """With ``ask`` the client can be asked (elicitation): a no orders nothing, a yes orders in one call."""
    user = "usr_alice"
    cart = fill_the_cart(shared, user)
    total = cart["bill"]["total"]["amount_minor"]
    before = wallet(shared, user)
    asked: list[str] = []
    answers = iter([False, True])

    def ask(message: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        asked.append(message)
        return dict.fromkeys(schema["properties"], True) if next(answers) else None

    with LifestyleTools.servers({"food": shared.server("food", user=user)}, ask=ask) as plugin:
        declined = plugin.call("food_place_order", {})
        assert orders(shared, user) == [] and wallet(shared, user) == before
        placed = plugin.call("food_place_order", {})
    assert len(asked) == 2
    assert declined.data is not None and declined.data["status"] != "done"
    assert placed.data is not None and placed.data["status"] == "done", placed.text
    assert [o.id for o in orders(shared, user)] == [placed.data["order"]["id"]]
    assert wallet(shared, user) == before - total


# ----- through an Assistant ------------------------------------------------------------------------------
def walk_home_script() -> list[Script]:
    """Find home among the saved addresses, route from it (a wrong mode first: the error reaches the model and it
    corrects itself), then answer with the route's summary."""

    def route(req: Request) -> Turn:
        home = next(a for a in json.loads(req.last_tool_result())["addresses"] if a["label"] == "Home")
        return call("nav_route", {"origin": home["label"].lower(), "destination": "Kiasma", "mode": "walk"})

    def retry(req: Request) -> Turn:
        error = req.last_tool_result()
        assert error.startswith("Error: Invalid arguments"), error
        return call("nav_route", {"origin": "home", "destination": "Kiasma", "mode": "walking"})

    def answer(req: Request) -> Turn:
        return say("Walk there: " + json.loads(req.last_tool_result())["routes"][0]["summary"])

    return [call("food_list_addresses", thought="Let me look up your home first."), route, retry, answer]


def walk_home(tools: list[LifestyleTool], style: Style) -> tuple[list[dict[str, Any]], ScriptedLLM]:
    llm = ScriptedLLM(walk_home_script(), style=style)
    with llm.serve() as base_url:
        bot = Assistant(llm=qwen_llm(base_url, style), function_list=tools)
        response = bot.run_nonstream([{"role": "user", "content": "How do I walk from home to Kiasma?"}])
    llm.assert_done()
    return response, llm


def check_walk_home(tools: list[LifestyleTool], style: Style, response: list[dict[str, Any]], llm: ScriptedLLM) -> None:
    addresses = by_name(tools, "food_list_addresses").call("{}")
    route = json.loads(by_name(tools, "nav_route").call({"origin": "home", "destination": "Kiasma", "mode": "walking"}))
    first, *_, last = llm.requests
    # The model was offered every tool, unprefixed, with the schema the server advertises.
    if style == "openai":
        assert first.tools == [t.function for t in tools]
    else:
        for tool in tools:
            assert json.dumps({"type": "function", "function": tool.function}, ensure_ascii=False) in first.system
    # Each tool result reached the model in the next request, as the tool's own text.
    assert llm.requests[1].tool_results() == [addresses]
    assert llm.requests[2].last_tool_result().startswith("Error: ")
    assert json.loads(last.last_tool_result())["routes"][0]["summary"] == route["routes"][0]["summary"]
    called = [m["function_call"]["name"] for m in response if m.get("function_call")]
    assert called == ["food_list_addresses", "nav_route", "nav_route"]
    assert response[-1]["role"] == "assistant"
    assert response[-1]["content"] == "Walk there: " + route["routes"][0]["summary"]


@STYLES
def test_an_assistant_calls_tools_and_reads_their_results(plugin: LifestyleTools, style: Style) -> None:
    tools = plugin.tools()
    response, llm = walk_home(tools, style)
    check_walk_home(tools, style, response, llm)


@pytest.mark.parametrize(("style", "user"), [("hermes", "usr_bob"), ("openai", "usr_carol")])
def test_an_assistant_orders_only_after_the_user_says_yes(shared: Lifestyle, style: Style, user: str) -> None:
    cart = fill_the_cart(shared, user)
    total = cart["bill"]["total"]["amount_minor"]
    before = wallet(shared, user)
    used: list[str] = []

    def ask_the_user(req: Request) -> Turn:
        result = json.loads(req.last_tool_result())
        assert result["status"] == "confirmation_required", result
        return say(f"That comes to {result['quote']['bill']['total']['amount_minor']} cents. Shall I order?")

    def place(req: Request) -> Turn:
        assert req.last_user() == "Yes, order it."
        quote = json.loads(req.tool_results()[-1])  # the quote from the first turn, sent back with the history
        used.append(quote["quote"]["confirmation_token"])
        return call("food_place_order", {"confirmation_token": used[0]})

    def report(req: Request) -> Turn:
        result = json.loads(req.last_tool_result())
        assert result["status"] == "done", result
        return say(f"Ordered: {result['order']['id']}")

    llm = ScriptedLLM([call("food_place_order"), ask_the_user, place, report], style=style)
    with in_process(shared, user) as plugin, llm.serve() as base_url:
        bot = Assistant(llm=qwen_llm(base_url, style), function_list=plugin.tools())
        history: list[dict[str, Any]] = [{"role": "user", "content": "Order what is in my cart, to my home."}]
        first = bot.run_nonstream(history)
        assert first[-1]["content"] == f"That comes to {total} cents. Shall I order?"
        assert orders(shared, user) == [] and wallet(shared, user) == before  # a quote moves no money
        history += [*first, {"role": "user", "content": "Yes, order it."}]
        second = bot.run_nonstream(history)
    llm.assert_done()
    placed = orders(shared, user)
    assert len(placed) == 1
    assert placed[0].total_minor == total and placed[0].quote_token == used[0]
    assert wallet(shared, user) == before - total
    assert second[-1]["content"] == f"Ordered: {placed[0].id}"


# ----- over the real transports ------------------------------------------------------------------------------
def test_an_assistant_over_a_stdio_subprocess(tmp_path: Path) -> None:
    """food-mcp as a subprocess of its console script, on a fresh data dir: a result and an error both reach the
    model through Qwen-Agent as the tool's text."""

    def lookup(req: Request) -> Turn:
        assert "Home" in [a["label"] for a in json.loads(req.last_tool_result())["addresses"]]
        return call("food_get_order", {"order_id": "ord_nope"})

    def answer(req: Request) -> Turn:
        return say("The order: " + req.last_tool_result())

    llm = ScriptedLLM([call("food_list_addresses"), lookup, answer], style="hermes")
    env = {"LIFESTYLE_DATA_DIR": str(tmp_path / "data"), "LIFESTYLE_LOG_LEVEL": "WARNING"}
    with lifestyle_tools(env=env, verticals=("food",)) as tools, llm.serve() as base_url:
        assert {t.name for t in tools} >= {"food_list_addresses", "food_place_order"}
        addresses = by_name(tools, "food_list_addresses").call("{}")
        bot = Assistant(llm=qwen_llm(base_url, "hermes"), function_list=tools)
        response = bot.run_nonstream([{"role": "user", "content": "Where is my order ord_nope going?"}])
    llm.assert_done()
    assert llm.requests[1].tool_results() == [addresses]
    error = llm.requests[2].last_tool_result()
    assert error.startswith("Error: ") and "ord_nope" in error
    assert response[-1]["content"] == "The order: " + error


def test_tools_over_streamable_http_act_for_the_tokens_user(shared: Lifestyle) -> None:
    token = issue_token(shared.engine, USER)
    food, nav = shared.server("food"), shared.server("nav")
    with (
        serve_in_thread(food.streamable_http_app()) as food_url,
        serve_in_thread(nav.streamable_http_app()) as nav_url,
    ):
        urls = {"food": f"{food_url}/mcp", "nav": f"{nav_url}/mcp"}
        with lifestyle_tools(urls=urls, token=token) as tools:
            addresses = json.loads(by_name(tools, "food_list_addresses").call("{}"))
            route = by_name(tools, "nav_route").call({"origin": "home", "destination": "Kiasma", "mode": "walking"})
            missing = by_name(tools, "food_get_order").call({"order_id": "ord_nope"})
        with pytest.raises(RuntimeError, match="could not connect"), lifestyle_tools(urls=urls, token="nope"):
            pass
    assert "Home" in [a["label"] for a in addresses["addresses"]]
    assert json.loads(route)["routes"][0]["distance_m"] > 0
    assert missing.startswith("Error: ")


def test_a_call_that_never_answers_times_out_as_an_error() -> None:
    """Qwen-Agent waits for a tool forever; the plugin gives up after ``timeout`` and says so as an error, then
    still shuts down cleanly (the abandoned call is cancelled)."""
    server = MCPServer("stuck")

    @server.tool()
    async def never() -> str:
        """Waits for an event nobody sets."""
        await anyio.Event().wait()
        return "unreachable"

    with LifestyleTools.servers({"stuck": server}, timeout=0.2) as plugin:
        [tool] = plugin.tools()
        text = tool.call("{}")
        assert plugin.call("never").is_error
    assert text.startswith("Error: never did not answer within 0.2 s")
