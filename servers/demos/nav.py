"""Nav: geocode → places nearby → routes by car, bike and tram → matrix → weather → map, over stdio."""

from __future__ import annotations

import base64
from datetime import datetime, time, timedelta

from mcp import Client
from mcp.types import ImageContent

from servers.demos import Stage, call, say
from shared.geo import CITY_TZ


async def demo(stage: Stage) -> None:
    say("\n=== nav-mcp (Amap-like) over stdio ===")
    now = stage.sandbox.clock.now()
    rush = datetime.combine(now.date() + timedelta(days=1), time(8, 0), tzinfo=CITY_TZ)
    stage.sandbox.clock.set(rush)  # tomorrow's morning rush hour: traffic, trams every few minutes
    say(f"    (the sandbox clock moves on to {rush:%a %H:%M})")
    async with Client(stage.params("nav-mcp")) as c:
        home = await call(c, "nav_route", {"origin": "home", "destination": "Kinopalatsi", "mode": "walking"})
        say(f"    from {home['origin']['name']}: {home['routes'][0]['summary']}")
        cinema = (await call(c, "nav_geocode", {"query": "Kinopalatsi"}))["candidates"][0]
        say(f"    {cinema['name']} · {cinema['address']} · confidence {cinema['confidence']}")
        cathedral = (await call(c, "nav_geocode", {"query": "赫尔辛基大教堂"}))["candidates"][0]
        say(f"    赫尔辛基大教堂 → {cathedral['name']} ({cathedral['location']['lat']:.5f}, "
            f"{cathedral['location']['lng']:.5f})")  # fmt: skip
        cafes = await call(
            c,
            "nav_search_places",
            {
                "query": "咖啡",
                "lat": cinema["location"]["lat"],
                "lng": cinema["location"]["lng"],
                "radius_m": 400,
                "limit": 3,
            },
        )
        for p in cafes["places"]:
            say(f"    {p['name']} · {p['distance_m']} m · {p['open_status']}")
        for mode in ("driving", "cycling", "transit"):
            got = await call(c, "nav_route", {"origin": "Eteläranta", "destination": cinema["id"], "mode": mode})
            route = got["routes"][0]
            say(f"    {mode}: {route['summary']}")
            for step in route["steps"][:4]:
                say(f"      · {step['instruction']} ({step['distance_m']} m)")
        matrix = await call(
            c,
            "nav_distance_matrix",
            {"origins": [cinema["id"], cathedral["id"]], "destinations": ["Kiasma", "Ateneum"], "mode": "walking"},
        )
        for cell in matrix["cells"]:
            say(f"    walk {matrix['origins'][cell['origin']]['name']} → "
                f"{matrix['destinations'][cell['destination']]['name']}: {cell['duration_s'] // 60} min")  # fmt: skip
        day = (await call(c, "nav_weather", {"date": "tomorrow"}))["days"][0]
        say(f"    tomorrow {day['date']}: {day['condition_label']}, {day['temp_min_c']}…{day['temp_max_c']} °C. "
            f"{day['advice']}")  # fmt: skip
        result = await c.call_tool(
            "nav_render_map",
            {"origin": cinema["id"], "destination": cathedral["id"], "mode": "walking", "size": "small"},
        )
        image = next(b for b in result.content if isinstance(b, ImageContent))
        out = stage.data_dir / "nav-demo-map.png"
        out.write_bytes(base64.b64decode(image.data))
        say(f"    map: {len(image.data) * 3 // 4:,} bytes of PNG ({out.name})")
