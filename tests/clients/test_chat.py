"""The Qwen-driven chat agent against a scripted Qwen endpoint (real HTTP, real MCP, real sandbox).

The scripted model decides each call from what the servers returned (ids, prices, pages), in each tool-call style
Qwen endpoints emit; every test ends on the backends' state (orders, wallet, ledger), not on printed text.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Generator
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from mcp import Client

from clients.chat import Agent, OpenAIChat, Question, Thinking, ToolRun, ToolStarted
from clients.chat.cli import _http_urls, build_parser, main
from clients.chat.llm import parse_text_calls, strip_reasoning
from clients.chat.person import CONSENT_SCHEMA, Terminal, always, is_consent
from clients.chat.settings import server_env
from clients.suite import VERTICALS, Suite
from servers.food.backend import app as food_backend
from servers.movies.backend import app as movies_backend
from servers.nav.backend.graph import RoadNetwork
from shared.account.credentials import issue_token
from shared.account.wallet import statement
from shared.kit.db import make_engine
from shared.kit.settings import Settings
from tests.clients.chat_llm import Call, ChatLLM, Move, Result, Say, Style
from tests.conftest import free_port, serve_in_thread
from tests.sandboxes import NOON, Lifestyle
from tests.servers.food.helpers import ok, orderable, pick_options
from tests.support import provider

ERRAND = (
    "Find a film tonight near home and buy two seats, have dinner delivered home, "
    "and tell me how to walk from home to the cinema."
)
Script = Generator[Move, list[Result], None]


# ----- the scripted model's errands --------------------------------------------------------------------------------
def errand(notes: dict[str, Any]) -> Any:
    """Film tonight → two seats → dinner delivered home → walking route to the cinema, as a model would work it
    out from the results: what it chose goes into ``notes`` for the test to check."""

    def script(prompt: str) -> Script:
        assert "film tonight" in prompt
        addresses, shows = yield [
            Call("food_list_addresses"),
            Call("movies_find_showtimes", {"date": "today", "address": "Home", "limit": 10}),
        ]
        home = next(a for a in addresses.data["addresses"] if a["label"] == "Home")
        while not (tonight := _tonight(shows.data["showtimes"])):  # soonest first: page on to the evening
            cursor = shows.data["page"]["next_cursor"]
            assert cursor, "no showtime tonight"
            [shows] = yield [
                Call("movies_find_showtimes", {"date": "today", "address": "Home", "limit": 10, "cursor": cursor})
            ]
        show = notes["show"] = tonight[0]
        [hold] = yield [Call("movies_hold_seats", {"showtime_id": show["id"], "quantity": 2})]
        [bought] = yield [Call("movies_purchase", {"hold_id": hold.data["id"]})]
        assert bought.data["status"] == "done", bought.text
        [found] = yield [
            Call("food_search_restaurants", {"address_id": home["id"], "open_now": True, "sort": "rating", "limit": 10})
        ]
        cart: dict[str, Any] = {}
        for summary in found.data["restaurants"]:
            [detail] = yield [Call("food_get_restaurant", {"restaurant_id": summary["id"], "address_id": home["id"]})]
            dishes = orderable(detail.data)
            if not dishes:
                continue
            dish = dishes[0]
            quantity = max(1, -(-summary["min_order"]["amount_minor"] // dish["price"]["amount_minor"]))
            line = {"item_id": dish["id"], "quantity": quantity, "option_ids": pick_options(detail.data, dish)}
            [updated] = yield [
                Call(
                    "food_update_cart",
                    {"restaurant_id": summary["id"], "items": [line], "replace_cart": True, "address_id": home["id"]},
                )
            ]
            if updated.data["can_order"]:
                cart = updated.data
                break
        assert cart, "nothing orderable"
        [ordered] = yield [Call("food_place_order", {"address_id": home["id"], "note": "Dinner, please ring."})]
        assert ordered.data["status"] == "done", ordered.text
        cinema = show["cinema_name"].split(" / ")[0]
        [route] = yield [Call("nav_route", {"origin": "home", "destination": cinema, "mode": "walking"})]
        notes.update(home=home, route=route.data, cinema=cinema)
        walk = route.data["routes"][0]
        yield Say(
            f"Booked {show['movie_title']} at {show['starts_at'][11:16]} ({bought.data['order']['id']}), dinner "
            f"from {ordered.data['order']['restaurant_name']} is on its way home, and the walk to {cinema} is "
            f"{walk['summary']}."
        )

    return script


def _tonight(showtimes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def fits(s: dict[str, Any]) -> bool:
        free = {t["tier"]: t["free"] for t in s["tiers"]}
        return (
            s["status"] == "on_sale" and datetime.fromisoformat(s["starts_at"]).hour >= 18 and free.get("STD", 0) >= 2
        )

    return [s for s in showtimes if fits(s)]


# ----- the person and the agent ------------------------------------------------------------------------------------
@dataclass
class Person:
    """Answers every confirmation ``approve``; remembers what was asked."""

    approve: bool
    asked: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    async def __call__(self, message: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        self.asked.append((message, schema))
        return {"confirm": self.approve}


@asynccontextmanager
async def chatting(env: Lifestyle, base_url: str, ask: Any, **options: Any) -> AsyncIterator[Agent]:
    """An agent on this sandbox's four servers in process, with the scripted model."""
    model = OpenAIChat(base_url=base_url, model="qwen-scripted", api_key="sk-test")
    try:
        async with Agent(Suite({v: env.server(v) for v in VERTICALS}), model, ask=ask, **options) as agent:
            yield agent
    finally:
        await model.aclose()


async def get(app: FastAPI, path: str) -> Any:
    async with provider(app) as http:
        response = await http.get(path)
        assert response.status_code == 200, response.text
        return response.json()


async def movie_orders(app: FastAPI) -> list[dict[str, Any]]:
    return list((await get(app, "/orders"))["orders"])


# ----- (1) the cross-server errand ---------------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["tool_calls", "hermes"])
@pytest.mark.parametrize("elicitation", [True, False], ids=["server-asks", "agent-asks"])
async def test_an_evening_across_the_four_servers_is_bought_with_the_persons_yes(
    lifestyle: Lifestyle, style: Style, elicitation: bool
) -> None:
    env = lifestyle
    start = env.sandbox.accounts.me("usr_demo").wallet.amount_minor
    notes: dict[str, Any] = {}
    llm = ChatLLM(errand(notes), style)
    person = Person(approve=True)
    progress: list[Any] = []
    with llm.serve() as base_url:
        async with chatting(env, base_url, person, elicitation=elicitation, on_event=progress.append) as agent:
            transcript = await agent.run(ERRAND)
    llm.assert_done()

    # the backends: two seats tonight, dinner to Home, one wallet paying both
    [film] = await movie_orders(env.apps["movies"])
    [meal_summary] = (await get(env.apps["food"], "/orders"))["orders"]
    meal = await get(env.apps["food"], f"/orders/{meal_summary['id']}")
    assert film["status"] == "paid" and film["showtime_id"] == notes["show"]["id"]
    assert len(film["tickets"]) == 2 and all(t["status"] == "valid" for t in film["tickets"])
    starts = datetime.fromisoformat(film["starts_at"])
    assert starts.date() == NOON.date() and starts.hour >= 18
    assert meal["address"]["id"] == notes["home"]["id"] and meal["address"]["label"] == "Home"
    assert meal["payment_method"] == "wallet" and meal["status"] != "cancelled"
    totals = {"movies": film["bill"]["total"]["amount_minor"], "food": meal["bill"]["total"]["amount_minor"]}
    assert env.sandbox.accounts.me("usr_demo").wallet.amount_minor == start - totals["movies"] - totals["food"]
    charges = {
        e.vertical: -e.amount.amount_minor for e in statement(env.engine, "usr_demo").entries if e.kind == "charge"
    }
    assert charges == totals
    # the walk starts at Home and ends at the cinema of the film
    walk = notes["route"]
    assert walk["routes"][0]["mode"] == "walking" and walk["origin"]["name"].startswith("Home")
    assert walk["destination"]["name"] == notes["cinema"] == film["cinema_name"].split(" / ")[0]

    # the person was asked twice, for exactly those amounts; by the servers, or by the agent which then sent the token
    assert [is_consent(schema) for _, schema in person.asked] == [True, True]
    displays = [film["bill"]["total"]["display"], meal["bill"]["total"]["display"]]
    assert all(d in m for d, (m, _) in zip(displays, person.asked, strict=True))
    assert [q.via for q in transcript.questions] == ["server" if elicitation else "agent"] * 2
    by_agent = [r.name for r in transcript.tool_runs if r.by == "agent"]
    assert by_agent == ([] if elicitation else ["movies_purchase", "food_place_order"])
    assert transcript.stopped == "answered" and "on its way home" in transcript.answer
    assert transcript.steps == len(llm.requests)
    # every request offered the suite's tools as function tools, schemas whole
    offered = {t["function"]["name"]: t["function"]["parameters"] for t in llm.requests[0]["tools"]}
    assert len(offered) == len(agent.suite.tools) and "nav_route" in offered
    assert offered["movies_hold_seats"]["properties"]["quantity"]["type"] == "integer"
    # progress came while tools ran: a start and an end for each call, a thinking note for each model turn
    runs = transcript.tool_runs
    assert [e.id for e in progress if isinstance(e, ToolStarted)] == [r.id for r in runs]
    assert [e.id for e in progress if isinstance(e, ToolRun)] == [r.id for r in runs]
    assert all(isinstance(progress[progress.index(r) - 1], ToolStarted | Question) for r in runs)
    assert sum(isinstance(e, Thinking) for e in progress) == transcript.steps


# ----- (2) errors mid-task go back to the model ----------------------------------------------------------------------
def stumbling(style: Style) -> Any:
    def script(prompt: str) -> Script:
        [bad_id] = yield [Call("movies_hold_seats", {"showtime_id": "sht_nope", "quantity": 2})]
        assert bad_id.is_error and "sht_nope" in bad_id.text, bad_id.text
        [unknown] = yield [Call("movies_teleport", {"to": "Kinopalatsi"})]
        assert unknown.is_error and "movies_find_showtimes" in unknown.text  # it names the tools there are
        if style != "xml":
            [broken] = yield [Call("movies_find_showtimes", '{"date": "today",')]
            assert broken.is_error and "JSON" in broken.text, broken.text
        [shows] = yield [Call("movies_find_showtimes", {"date": "tomorrow", "limit": 10})]
        show = next(s for s in shows.data["showtimes"] if s["status"] == "on_sale")
        [hold] = yield [Call("movies_hold_seats", {"showtime_id": show["id"], "quantity": 2})]
        [bought] = yield [Call("movies_purchase", {"hold_id": hold.data["id"]})]
        assert bought.data["status"] == "done"
        yield Say(f"Done after a few wrong turns: {bought.data['order']['id']}.")

    return script


@pytest.mark.parametrize(
    ("style", "text_results"), [("tool_calls", "tool"), ("hermes", "tool"), ("xml", "user")]
)  # xml calls answered in the model's own form: <tool_response> blocks in a user turn
async def test_a_tool_error_mid_task_goes_back_to_the_model_and_the_task_goes_on(
    lifestyle: Lifestyle, style: Style, text_results: str
) -> None:
    env = lifestyle
    llm = ChatLLM(stumbling(style), style)
    with llm.serve() as base_url:
        async with chatting(env, base_url, Person(approve=True), text_results=text_results) as agent:
            transcript = await agent.run("Two seats for any film tomorrow, please.")
    llm.assert_done()  # the script saw each error as an error, then went on
    [film] = await movie_orders(env.apps["movies"])
    assert film["status"] == "paid" and len(film["tickets"]) == 2
    errors = [r.name for r in transcript.tool_runs if r.is_error]
    assert errors == ["movies_hold_seats", "movies_teleport"] + ([] if style == "xml" else ["movies_find_showtimes"])
    assert transcript.stopped == "answered"
    # what went back to the model for the bad id: a tool message, or the model's own <tool_response> form
    sent = llm.requests[1]["messages"][-1]
    assert sent["role"] == ("user" if text_results == "user" else "tool")
    assert sent["content"].removeprefix("<tool_response>\n").startswith("Error: ")


# ----- (3) the person says no --------------------------------------------------------------------------------------
def insistent(notes: dict[str, Any]) -> Any:
    """Told no, tries the purchase anyway with a real token (one the test got from the server behind its back)."""

    def script(prompt: str) -> Script:
        [shows] = yield [Call("movies_find_showtimes", {"date": "tomorrow", "limit": 10})]
        show = next(s for s in shows.data["showtimes"] if s["status"] == "on_sale")
        [hold] = yield [Call("movies_hold_seats", {"showtime_id": show["id"], "quantity": 2})]
        notes["hold_id"] = hold.data["id"]
        [answer] = yield [Call("movies_purchase", {"hold_id": hold.data["id"]})]
        assert answer.data["status"] == "declined" and answer.data["quote"]["confirmation_token"] == ""
        token = notes["token"]
        [sneaky] = yield [Call("movies_purchase", {"hold_id": hold.data["id"], "confirmation_token": token})]
        notes["refusal"] = sneaky.text
        yield Say("Nothing bought.")

    return script


@pytest.mark.parametrize("elicitation", [True, False], ids=["server-asks", "agent-asks"])
async def test_after_the_persons_no_nothing_is_bought_even_with_a_token_the_model_got_hold_of(
    lifestyle: Lifestyle, elicitation: bool
) -> None:
    env = lifestyle
    start = env.sandbox.accounts.me("usr_demo").wallet.amount_minor
    notes: dict[str, Any] = {}
    asked: list[str] = []

    async def person(message: str, schema: dict[str, Any]) -> dict[str, Any]:
        # while the person is asked, a real token for the same hold is quoted behind the agent's back
        async with Client(env.server("movies")) as direct:
            quote = await ok(direct, "movies_purchase", {"hold_id": notes["hold_id"]})
        notes["token"] = quote["quote"]["confirmation_token"]
        asked.append(message)
        return {"confirm": False}

    llm = ChatLLM(insistent(notes), "tool_calls")
    with llm.serve() as base_url:
        async with chatting(env, base_url, person, elicitation=elicitation) as agent:
            transcript = await agent.run("Two seats for a film tomorrow.")
    llm.assert_done()

    # nothing was bought: no order, the wallet untouched, no charge in the ledger
    assert await movie_orders(env.apps["movies"]) == []
    assert env.sandbox.accounts.me("usr_demo").wallet.amount_minor == start
    assert [e.kind for e in statement(env.engine, "usr_demo").entries] == ["opening"]
    # the person was asked once and said no; the model's own try with the token was refused by the agent
    assert len(asked) == 1 and "Buy 2 ticket(s)" in asked[0]
    assert notes["refusal"].startswith("Error: the user has not confirmed")
    [refused] = [r for r in transcript.tool_runs if r.refused]
    assert refused.name == "movies_purchase" and refused.arguments["confirmation_token"] == notes["token"]
    # and only the agent stood in the way: the token itself was good
    async with Client(env.server("movies")) as direct:
        args = {"hold_id": notes["hold_id"], "confirmation_token": notes["token"]}
        assert (await ok(direct, "movies_purchase", args))["status"] == "done"
    assert len(await movie_orders(env.apps["movies"])) == 1


# ----- (4) the command line, over stdio servers ----------------------------------------------------------------------
async def test_chat_once_with_yes_does_the_errand_over_stdio_servers_and_prints_a_json_transcript(
    tmp_path: Path, network: RoadNetwork, routing_cache: Path
) -> None:
    network.modes["walking"].hierarchy()  # the nav subprocess loads the prepared network from the shared cache
    data = tmp_path / "sandbox"
    data.mkdir()
    (data / "cache").symlink_to(routing_cache, target_is_directory=True)
    notes: dict[str, Any] = {}
    llm = ChatLLM(errand(notes), "hermes")
    env = {
        "PATH": os.environ["PATH"],
        "LIFESTYLE_CLOCK_START": NOON.isoformat(),  # forwarded to the servers, which start the sandbox at noon
        "LIFESTYLE_TIME_SCALE": "0",
        "LIFESTYLE_LOG_LEVEL": "WARNING",
        "LIFESTYLE_LLM_MODEL": "qwen-scripted",  # a setting, overridden by nothing
    }
    with llm.serve() as base_url:
        argv = ["--once", ERRAND, "--yes", "--json", "--base-url", base_url, "--api-key", "sk-cli", "--data-dir",
                str(data), "--max-steps", "30"]  # fmt: skip
        done = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "clients.chat", *argv], capture_output=True, text=True,
            timeout=120, env=env, stdin=subprocess.DEVNULL, check=False,
        )  # fmt: skip
    llm.assert_done()
    assert done.returncode == 0, done.stderr

    # the machine transcript
    out = json.loads(done.stdout)
    assert set(out) == {"prompt", "model", "answer", "stopped", "steps", "error", "events"}
    assert out["prompt"] == ERRAND and out["model"] == "qwen-scripted" and out["stopped"] == "answered"
    assert out["steps"] == len(llm.requests) and "on its way home" in out["answer"]
    kinds = [e["type"] for e in out["events"]]
    assert kinds[0] == "user" and kinds[-1] == "assistant" and {"tool", "question"} <= set(kinds)
    tools = [e for e in out["events"] if e["type"] == "tool"]
    assert all(not t["is_error"] and t["by"] == "model" and isinstance(t["arguments"], dict) for t in tools)
    assert [t["name"] for t in tools if t["name"].endswith(("purchase", "place_order"))] == [
        "movies_purchase", "food_place_order"
    ]  # fmt: skip
    assert all(t["data"]["status"] == "done" for t in tools if t["name"] in {"movies_purchase", "food_place_order"})
    questions = [e for e in out["events"] if e["type"] == "question"]
    assert [(q["via"], q["consent"], q["approved"]) for q in questions] == [("server", True, True)] * 2
    assert {e["style"] for e in out["events"] if e["type"] == "assistant"} == {"text", "none"}
    # progress went to stderr while tools ran; the key reached the endpoint
    assert "→ movies_hold_seats(" in done.stderr and "← ok" in done.stderr
    assert llm.headers[0]["authorization"] == "Bearer sk-cli"

    # the backends of that sandbox: two seats tonight, dinner to Home, the wallet charged both
    settings = {v: Settings.for_vertical(v, data_dir=data, user="usr_demo") for v in ("food", "movies")}
    engine = make_engine(settings["food"].effective_database_url)
    try:
        movies_app = movies_backend.create_app(
            settings["movies"], sandbox=movies_backend.prepare(settings["movies"], engine=engine)
        )
        food_sandbox = food_backend.prepare(settings["food"], engine=engine)
        food_app = food_backend.create_app(settings["food"], sandbox=food_sandbox)
        [film] = await movie_orders(movies_app)
        [meal_summary] = (await get(food_app, "/orders"))["orders"]
        meal = await get(food_app, f"/orders/{meal_summary['id']}")
        book = statement(engine, "usr_demo")
        wallet = food_sandbox.accounts.me("usr_demo").wallet.amount_minor
    finally:
        engine.dispose()
    assert film["showtime_id"] == notes["show"]["id"] and len(film["tickets"]) == 2
    assert datetime.fromisoformat(film["starts_at"]).hour >= 18
    assert meal["address"]["label"] == "Home"
    charged = film["bill"]["total"]["amount_minor"] + meal["bill"]["total"]["amount_minor"]
    opening = next(e.amount.amount_minor for e in book.entries if e.kind == "opening")
    assert wallet == book.balance.amount_minor == opening - charged


def declined_purchase(prompt: str) -> Script:
    [shows] = yield [Call("movies_find_showtimes", {"date": "tomorrow", "limit": 10})]
    show = next(s for s in shows.data["showtimes"] if s["status"] == "on_sale")
    [hold] = yield [Call("movies_hold_seats", {"showtime_id": show["id"], "quantity": 2})]
    [answer] = yield [Call("movies_purchase", {"hold_id": hold.data["id"]})]
    assert answer.data["status"] == "declined", answer.text
    yield Say("You said no, so nothing was bought.")


def test_servers_that_do_not_answer_are_named_with_what_usually_serves_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    closed = free_port()  # nothing listens there
    argv = ["--once", ERRAND, "--token", "lsk_nobody", "--base-url", f"http://127.0.0.1:{closed}/v1", "--model", "m"]
    status = main([*argv, "--http", f"food=http://127.0.0.1:{closed}/mcp"])
    said = capsys.readouterr().err
    assert status == 1 and "ConnectError" in said, said
    assert f"no answer at http://127.0.0.1:{closed}/mcp" in said and "lifestyle-mcp serve" in said


@pytest.mark.parametrize("yes", [True, False], ids=["--yes", "no-terminal-says-no"])
def test_chat_once_over_http_servers_with_a_token(
    lifestyle: Lifestyle, capsys: pytest.CaptureFixture[str], yes: bool
) -> None:
    """``--http NAME=URL --token`` reaches the servers over streamable HTTP; here the servers quote and the agent
    asks (``--no-elicitation``): ``--yes`` approves, and with no terminal the answer is no."""
    env = lifestyle
    start = env.sandbox.accounts.me("usr_demo").wallet.amount_minor
    token = issue_token(env.engine, "usr_demo")
    llm = ChatLLM(errand({}) if yes else declined_purchase, "tool_calls")
    with ExitStack() as stack:
        urls = [
            f"{v}={stack.enter_context(serve_in_thread(env.server(v, user='usr_nobody').streamable_http_app()))}/mcp"
            for v in VERTICALS
        ]
        base_url = stack.enter_context(llm.serve())
        argv = ["--once", ERRAND, "--json", "--base-url", base_url, "--no-elicitation", "--token", token]
        argv += [arg for url in urls for arg in ("--http", url)] + (["--yes"] if yes else [])
        status = main(argv)
    llm.assert_done()
    out = json.loads(capsys.readouterr().out)
    assert status == 0 and out["stopped"] == "answered"
    films = asyncio.run(movie_orders(env.apps["movies"]))
    wallet = env.sandbox.accounts.me("usr_demo").wallet.amount_minor
    questions = [(q["via"], q["approved"]) for q in out["events"] if q["type"] == "question"]
    by_agent = [t["name"] for t in out["events"] if t["type"] == "tool" and t["by"] == "agent"]
    if yes:  # bought for the token's user (the servers' own default user is never used)
        assert len(films) == 1 and len(films[0]["tickets"]) == 2 and wallet < start
        assert questions == [("agent", True)] * 2 and by_agent == ["movies_purchase", "food_place_order"]
    else:
        assert films == [] and wallet == start
        assert questions == [("agent", False)] and by_agent == []


# ----- smaller pieces ----------------------------------------------------------------------------------------------
async def test_the_endpoint_down_or_a_model_that_never_answers_stops_the_task_cleanly(lifestyle: Lifestyle) -> None:
    def forever(prompt: str) -> Script:
        while True:
            yield [Call("food_list_addresses")]

    llm = ChatLLM(forever, "tool_calls")
    with llm.serve() as base_url:
        async with chatting(lifestyle, base_url, Person(approve=False), max_steps=3) as agent:
            looping = await agent.run("Where do I live?")
    async with chatting(lifestyle, "http://127.0.0.1:9/v1", Person(approve=False)) as agent:
        down = await agent.run("Where do I live?")
    assert looping.stopped == "max_steps" and looping.steps == 3 and len(looping.tool_runs) == 3
    assert down.stopped == "error" and "127.0.0.1:9" in down.error and down.tool_runs == []
    assert "could not be reached" in down.error and "--base-url" in down.error, down.error  # what to do about it


def test_tool_calls_written_as_text_are_read_in_every_qwen_form() -> None:
    tools = [
        {"type": "function", "function": {"name": "movies_hold_seats", "parameters": {"type": "object", "properties": {
            "showtime_id": {"type": "string"}, "quantity": {"type": "integer"}, "seat_ids": {"type": "array"},
            "tier": {"anyOf": [{"type": "string"}, {"type": "null"}]}, "note": {"type": ["string", "integer"]}}}}},
    ]  # fmt: skip
    hermes = (
        '<think>plan</think>Holding.\n<tool_call>\n{"name": "movies_hold_seats", "arguments": {"quantity": 2}}\n'
        "</tool_call>"
    )
    xml = (
        "<tool_call>\n<function=movies_hold_seats>\n<parameter=showtime_id>\n0042\n</parameter>\n"
        "<parameter=tier>\n007\n</parameter>\n<parameter=note>\n[1]\n</parameter>\n"
        '<parameter=quantity>\n2\n</parameter>\n<parameter=seat_ids>\n["A-1"]\n</parameter>\n</function>\n</tool_call>'
    )
    bare = '```json\n{"name": "movies_hold_seats", "arguments": {"quantity": 1}}\n```'
    unclosed = '<tool_call>{"name": "movies_hold_seats", "arguments": "{\\"quantity\\": 3}"}'
    broken = "<tool_call>{name: movies_hold_seats}</tool_call>"
    text, [h] = parse_text_calls(strip_reasoning(hermes), tools)
    assert text == "Holding." and h.name == "movies_hold_seats" and h.parsed() == {"quantity": 2}
    [x] = parse_text_calls(xml, tools)[1]
    typed = {"showtime_id": "0042", "tier": "007", "note": "[1]", "quantity": 2, "seat_ids": ["A-1"]}
    assert x.parsed() == typed  # typed by the schema: text where a string is allowed and the value is no other
    assert parse_text_calls(bare, tools)[1][0].parsed() == {"quantity": 1}
    assert parse_text_calls(unclosed, tools)[1][0].parsed() == {"quantity": 3}
    [b] = parse_text_calls(broken, tools)[1]
    assert b.problem.startswith("the call is not JSON") and b.name == ""
    assert parse_text_calls('{"name": "someone", "arguments": {}}', tools) == (
        '{"name": "someone", "arguments": {}}',
        [],
    )


async def test_who_answers_confirmations_yes_approves_no_terminal_says_no() -> None:
    assert await always(True)("Buy?", CONSENT_SCHEMA) == {"confirm": True}
    assert await always(False)("Buy?", CONSENT_SCHEMA) == {"confirm": False}
    assert await always(True)("Your name?", {"type": "object", "properties": {"name": {"type": "string"}}}) is None
    lines = iter(["y", "n", "Mei", "2"])
    person = Terminal(read=lambda _prompt: next(lines))
    form = {"type": "object", "properties": {"name": {"type": "string"}, "seats": {"type": "integer"}}}
    assert await person("Buy?", CONSENT_SCHEMA) == {"confirm": True}
    assert await person("Buy?", CONSENT_SCHEMA) == {"confirm": False}
    assert await person("Who?", form) == {"name": "Mei", "seats": 2}
    assert await Terminal(yes=True, read=lambda _p: "n")("Buy?", CONSENT_SCHEMA) == {"confirm": True}


def test_stdio_servers_get_this_shells_server_settings_but_not_the_models(tmp_path: Path) -> None:
    environ = {"LIFESTYLE_CLOCK_START": "x", "FOOD_BACKEND_URL": "y", "LIFESTYLE_LLM_API_KEY": "secret",
               "LIFESTYLE_MCP_TOKEN": "lsk", "HOME": "/home/me", "LIFESTYLE_USER": "usr_bob"}  # fmt: skip
    env = server_env(data_dir=tmp_path, user="usr_alice", environ=environ)
    assert env == {"LIFESTYLE_CLOCK_START": "x", "FOOD_BACKEND_URL": "y", "LIFESTYLE_USER": "usr_alice",
                   "LIFESTYLE_DATA_DIR": str(tmp_path.resolve())}  # fmt: skip
    assert main(["--http", "food=http://127.0.0.1:1/mcp", "--user", "usr_bob", "--token", "t"]) == 2
    assert main(["--http", "pizza=http://127.0.0.1:1/mcp", "--token", "t"]) == 2
    assert main(["--http", "no-port", "--token", "t"]) == 2
    parser = build_parser()
    serve = _http_urls(parser, parser.parse_args(["--http"]).http)  # `lifestyle-mcp serve`'s layout
    assert serve == {v: f"http://127.0.0.1:{8001 + n}/mcp" for n, v in enumerate(VERTICALS)}
    assert _http_urls(parser, ["localhost:9001", "nav=http://h/mcp"])["nav"] == "http://h/mcp"
