"""The districts of central Helsinki that people name as a place ('cinemas near Kamppi', '坎皮附近', 'Kampissa'), with
approximate centres. Tickets files each venue under the nearest one (its ``area``); movies measures from one when an
address is a district's name; nav geocodes the ones its map reaches. OpenStreetMap's extract marks only a few of them
(fixtures/nav/districts.json has no Kamppi), so the table is ours, and one name means one place across the servers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.schemas.common import GeoPoint
from shared.text import any_of_words, fold, has_cjk


@dataclass(frozen=True)
class District:
    name: str
    name_zh: str
    lat: float
    lng: float
    other_names: tuple[str, ...] = ()
    """Swedish first, then the Finnish place forms ('Kampissa': in Kamppi), as a speaker says them."""
    on_map: bool = True
    """Whether nav's road map (central Helsinki) reaches its centre: Töölö's is 300 m beyond its last road."""

    @property
    def point(self) -> GeoPoint:
        return GeoPoint(lat=self.lat, lng=self.lng)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.name_zh, *self.other_names)


DISTRICTS = (
    District("Kluuvi", "克卢维（市中心）", 60.1712, 24.9455, ("Gloet", "Kluuvissa", "克卢维")),
    District("Kamppi", "坎皮", 60.1688, 24.9330, ("Kampen", "Kampissa", "Kampista", "Kamppiin")),
    District("Punavuori", "红山区", 60.1628, 24.9400, ("Rödbergen", "Punavuoressa", "Punavuoresta", "红山")),
    District("Kaartinkaupunki", "卡尔廷考蓬基", 60.1660, 24.9475, ("Gardesstaden", "Kaartinkaupungissa")),
    District("Kruununhaka", "克鲁努哈卡", 60.1725, 24.9555, ("Kronohagen", "Kruununhaassa", "Kruununhaasta")),
    District("Töölö", "托洛", 60.1760, 24.9300, ("Tölö", "Töölössä", "Töölöstä"), on_map=False),
    District("Hakaniemi", "哈卡涅米", 60.1790, 24.9500, ("Hagnäs", "Hakaniemessä", "Hakaniemestä")),
)


_BY_NAME = {fold(n): d for d in DISTRICTS for n in d.names}
_NAMES = re.compile(any_of_words(_BY_NAME, word=r"\w"))
"""Every district's names, folded, the longest first: geocode, movies' and tickets' searches ask each query whether
it names one, and one pattern asks faster than a search per name."""


def district_in(text: str) -> District | None:
    """The district ``text`` names, as a whole word ('near Kamppi', 'Töölö, Helsinki') or, in Chinese, anywhere in
    it ('坎皮附近'); None when it names none. The longest name wins."""
    found = [m.group() for m in _NAMES.finditer(fold(text))]
    return _BY_NAME[max(found, key=len)] if found else None


def district_named(text: str) -> District | None:
    """The district ``text`` is one of the names of, as a whole ('Kamppi', 'Kampissa', '坎皮'); None otherwise."""
    return _BY_NAME.get(fold(" ".join(text.split())))


_LATIN_NAMES = any_of_words((n for n in _BY_NAME if not has_cjk(n)), word=r"\w")
_CHINESE_NAMES = any_of_words(n for n in _BY_NAME if has_cjk(n))
_INESSIVES = any_of_words((n for n in _BY_NAME if n.endswith("ssa")), word=r"\w")  # Finnish 'in': Kampissa
_SAID_IN = re.compile(
    rf"(?<!\w)(?:in|at)\s+(?:the\s+)?(?P<en>{_LATIN_NAMES})(?:\s+(?:area|district))?(?!\w)"
    rf"|在?(?P<zh>{_CHINESE_NAMES})(?:一带)?的|(?P<fi>{_INESSIVES})",
    re.IGNORECASE,
)
"""A district said as where something is ('sushi in Kamppi', 'in the Kamppi area', '坎皮的寿司', '在红山一带的',
'pizza Kampissa'):
'near' is not the only way to say it."""


def district_said_in(text: str) -> tuple[str, District | None]:
    """``text`` without a district said as where something is (``_SAID_IN``), and that district; ``text`` and None
    when it says none."""
    folded = fold(text)
    m = _SAID_IN.search(folded) if len(folded) == len(text) else None  # a span of the folded text is the text's
    if m is None:
        return text, None
    rest = f"{text[: m.start()]} {text[m.end() :]}"
    return " ".join(rest.split()), _BY_NAME[m["en"] or m["zh"] or m["fi"]]
