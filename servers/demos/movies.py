"""Movies: film → showtimes near an address → seat map → hold → confirmed purchase → refund, over stdio."""

from __future__ import annotations

from mcp import Client

from servers.demos import Stage, call, paid, say


async def demo(stage: Stage) -> None:
    say("\n=== movies-mcp (Taopiaopiao-like) over stdio ===")
    async with Client(stage.params("movies-mcp")) as c:
        hits = await call(c, "movies_search_movies", {"query": "科幻", "limit": 3})
        for f in hits["films"]:
            say(
                f"    {f['title']} ({f['year']}) · {', '.join(f['genres'][:2])} · {f['runtime_min']} min · "
                f"Tomatometer {f['tomatometer']}% · {'/'.join(f['formats'])}"
            )
        cinemas = await call(c, "movies_search_cinemas", {"address": "home", "limit": 3})
        for x in cinemas["cinemas"]:
            say(f"    {x['name']} · {x['distance_m']} m · {'/'.join(x['formats'])} · {x['showtimes_today']} today")
        chosen = None
        for film in hits["films"]:
            shows = await call(c, "movies_find_showtimes", {"movie_id": film["id"], "address": "home", "limit": 10})
            chosen = next(
                (s for s in shows["showtimes"] if s["status"] == "on_sale" and s["tiers"][0]["free"] >= 2), None
            )
            if chosen:
                break
        assert chosen is not None, "no showtime on sale"
        say(
            f"    {chosen['movie_title']} · {chosen['starts_at'][:16].replace('T', ' ')} · {chosen['cinema_name']} · "
            f"{chosen['auditorium']} · {chosen['format']} · {chosen['pricing']}"
        )
        say("    " + " · ".join(f"{t['tier']} {t['price']['display']} ({t['free']} free)" for t in chosen["tiers"]))
        seat_map = await call(c, "movies_get_seat_map", {"showtime_id": chosen["id"]})
        say(f"    {seat_map['screen']}")
        for row in seat_map["seat_map"]["sections"][0]["rows"]:
            say(f"      {row['row']:>2} {row['tier']:<8} {row['seats']}")
        hold = await call(c, "movies_hold_seats", {"showtime_id": chosen["id"], "quantity": 2})
        say(f"    held {', '.join(s['label'] for s in hold['seats'])} until {hold['expires_at'][11:16]}")
        for line in hold["bill"]["lines"]:
            say(f"    {line['label']:<14} {line['amount']['display']:>9}   {line['rule']}")
        first = await call(c, "movies_purchase", {"hold_id": hold["id"]})
        say(f"    {first['status']}: {first['quote']['summary']}")
        say("    (the user says yes)")
        paid_now = await call(
            c, "movies_purchase", {"hold_id": hold["id"], "confirmation_token": first["quote"]["confirmation_token"]}
        )
        say(f"    {paid_now['message']}")
        say(paid(paid_now))
        offer = await call(c, "movies_refund", {"order_id": paid_now["order"]["id"]})
        say(f"    {offer['quote']['summary']}")
        done = await call(
            c,
            "movies_refund",
            {"order_id": paid_now["order"]["id"], "confirmation_token": offer["quote"]["confirmation_token"]},
        )
        say(f"    {done['message']} Order is now {done['order']['status']}.")
        say(paid(done))
