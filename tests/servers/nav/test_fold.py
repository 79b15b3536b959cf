"""``fold_text`` reads plain ASCII without the per-character accent pass (a fresh server folds every name of the city
when it builds its geocoder); the answer is the full fold's for every text."""

from __future__ import annotations

import json
import random
import string

from servers.nav.backend.geocoder import T2S, fold_text
from shared.kit.settings import default_fixtures
from shared.text import fold


def full_fold(text: str) -> str:
    return fold(text.translate(T2S)).replace("'", "").replace("’", "")


def test_every_name_of_the_city_and_any_ascii_text_folds_as_the_full_fold_does() -> None:
    fixtures = default_fixtures()
    places = json.loads((fixtures / "osm" / "places.json").read_text(encoding="utf-8"))["places"]
    addresses = json.loads((fixtures / "osm" / "addresses.json").read_text(encoding="utf-8"))["addresses"]
    texts = [value for p in places for value in p.values() if isinstance(value, str)]
    texts += [a["street"] for a in addresses]
    rng = random.Random(12)
    texts += ["".join(rng.choice(string.printable) for _ in range(24)) for _ in range(2000)]
    texts += ["McDonald's", "Kesäkino", "Töölö", "赫爾辛基圖書館", "O’Malley's", "ÅBO", "", "   "]
    assert [t for t in texts if fold_text(t) != full_fold(t)] == []
    assert fold_text("McDonald's") == "mcdonalds" and fold_text("Kesäkino") == "kesakino"
