"""A tiny flash sale through the tools on PostgreSQL: the crowd sells the event out, the late ones are told "sold
out", and the invariants checker of ``benchmarks/flash_sale.py`` finds nothing broken — then finds each kind
of damage once it is put into the database. Also: a provider served by several worker processes on one port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
from mcp import Client
from sqlalchemy import text

from servers.tickets.backend.app import create_app
from servers.tickets.server import build_server
from tests.conftest import free_port, scratch_pg

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from onsale import Arena, check_sale, seats_sold, stage  # noqa: E402

ARENA = Arena(sections=1, rows=2, seats_per_row=10)  # 20 VIP seats


async def buy(server: Any, session_id: str, quantity: int) -> str:
    """One user: best seats, the quote, the confirmation. Returns 'bought' or the refusal's text."""
    async with Client(server) as c:
        hold = await c.call_tool("tickets_hold_seats", {"session_id": session_id, "tier": "VIP", "quantity": quantity})
        if hold.is_error:
            return str(hold.content[0].text)  # type: ignore[union-attr]
        assert hold.structured_content is not None
        hold_id = hold.structured_content["id"]
        quote = await c.call_tool("tickets_purchase", {"hold_id": hold_id})
        assert quote.structured_content is not None and quote.structured_content["status"] == "confirmation_required"
        token = quote.structured_content["quote"]["confirmation_token"]
        done = await c.call_tool("tickets_purchase", {"hold_id": hold_id, "confirmation_token": token})
        assert done.structured_content is not None and done.structured_content["status"] == "done", done.content
        return "bought"


async def test_a_crowd_sells_out_a_small_event_with_every_invariant_at_zero_and_the_checker_sees_damage(
    tmp_path: Path,
) -> None:
    with scratch_pg("lifestyle_flash_test") as url:
        sale = stage(url, tmp_path, users=14, opens_in=-timedelta(hours=1), arena=ARENA)
        app = create_app(sale.settings)
        engine = app.state.sandbox.engine
        try:
            outcomes: list[str] = []

            async def user(account: str) -> None:
                server = build_server(sale.settings.model_copy(update={"user": account}), app=app)
                outcomes.append(await buy(server, sale.session_id, 2))

            async with anyio.create_task_group() as tg:
                for account in sale.users:
                    tg.start_soon(user, account)
            assert seats_sold(engine, sale.session_id) == {"VIP": 20}, outcomes  # 28 asked for
            assert outcomes.count("bought") == 10
            refusals = [o for o in outcomes if o != "bought"]
            assert refusals and all("sold out" in o or "left in tier VIP" in o for o in refusals), refusals
            assert set(check_sale(engine, sale.session_id, ARENA).values()) == {0}

            with engine.begin() as conn:  # a ticket for a seat already sold, a charge for an order that never was
                conn.execute(
                    text(
                        "INSERT INTO tickets_ticket (id, order_id, session_id, event_id, position, seat_id, "
                        "seat_label, tier, price_minor, fee_minor, attendee_id, attendee, code, refund_id) SELECT "
                        "'tkt_dup', order_id, session_id, event_id, 99, seat_id, seat_label, tier, price_minor, "
                        "fee_minor, '', '', 'X', '' FROM tickets_ticket LIMIT 1"
                    )
                )
                conn.execute(
                    text(
                        "INSERT INTO account_ledger (user_id, vertical, kind, ref, amount_minor, memo, quote_token, "
                        "at) VALUES (:u, 'tickets', 'charge', 'tko_never', -100, '', '', now())"
                    ),
                    {"u": sale.users[0]},
                )
            broken = check_sale(engine, sale.session_id, ARENA)
            assert broken["seats sold twice"] == 1
            assert broken["oversold tiers"] == 1
            assert broken["charges without tickets"] == 1
            assert broken["wallets that are not the sum of their ledger"] == 1
        finally:
            engine.dispose()


def test_a_provider_served_by_two_worker_processes_answers_on_one_port_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "LIFESTYLE_DATA_DIR": str(tmp_path), "LIFESTYLE_LOG_LEVEL": "WARNING"}
    env.pop("LIFESTYLE_DATABASE_URL", None)
    command = [sys.executable, "-m", "servers.tickets", "backend", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, "nothing listens"
            time.sleep(0.1)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
            assert http.get("/openapi.json").status_code == 200
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(children) == 2
    finally:
        proc.terminate()
        assert proc.wait(30) == 0
