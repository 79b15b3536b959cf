"""The event catalog as the service reads it: typed, indexed and held in memory.

Venues, events and sessions change only when the fixtures are reloaded, and every search reads
all of them, so the service keeps parsed copies built from the ``tickets_venue``,
``tickets_event`` and ``tickets_session`` rows. Seats, holds, orders and money always go to the
database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from shared.schemas.common import GeoPoint
from shared.schemas.tickets import CATEGORY_ZH, Category, RefundPolicy
from shared.text import has_cjk

CATEGORY_WORDS: dict[Category, str] = {
    "concert": "konsertti keikka gig 音乐会",
    "classical": "concert konsertti klassinen 音乐会",
    "theatre": "teatteri näytelmä play drama 戏剧",
    "musical": "musikaali",
    "dance": "tanssi 舞剧",
    "comedy": "stand-up standup stand up komiikka 喜剧",
    "sports": "urheilu 比赛",
    "exhibition": "näyttely art taide 艺术",
    "family": "perhe lapset lasten kids kid children child 儿童 孩子 小孩 小朋友 家庭 带娃 带孩子",
}
"""What people call each kind of event besides its name and its Chinese name, in English, Finnish and Chinese:
'konsertti', 'näyttely' or 'kids' should find concerts, exhibitions and family shows as 'concert' does, and a
'classical concert' or a '音乐会' is the orchestra's as much as the band's."""
GENRE_WORDS: dict[str, str] = {
    "metal": "heavy metal metalli 重金属 金属乐",
    "indie rock": "rokki 摇滚乐 独立音乐",
    "synth-pop": "synthpop pop electronic 流行 电子",
    "mandopop": "pop c-pop chinese 流行乐 华语",
    "folk": "kansanmusiikki 民谣 民乐",
    "jazz": "jatsi 爵士乐",
    "rock": "rokki 摇滚乐",
    "electronic": "electronica edm techno elektroninen 电音 电子音乐",
}
"""What people call each concert genre besides its name (``build_tickets.GENRES``), folded: 'pop' finds Mandopop
and synth-pop, '摇滚' indie rock as well as rock, 'jatsi' jazz."""
VENUE_KIND_WORDS: dict[str, str] = {
    "nightclub": "livehouse 夜店",
    "concert_hall": "音乐厅",
    "museum": "博物馆 美术馆",
    "arts_centre": "gallery galleria 画廊",
}
"""What people call a kind of venue where its name does not say it (``build_tickets.VENUE_KINDS``), in words no
event's own text has: 'livehouse' (as Damai files a club's gigs), '夜店' and 'gallery' found nothing, though eight clubs
have concerts; '音乐厅' (concert hall) listed thirty events, a play first, and '博物馆' one of three museums' shows.
('concert hall' or 'teatteri' would also match the category words and reorder every concert search.)"""
LANGUAGE_WORDS: dict[str, str] = {
    "English": "english englanti englanniksi 英语 英文",
    "Finnish": "finnish suomi suomeksi 芬兰语",
    "Swedish": "swedish ruotsi ruotsiksi svenska 瑞典语",
    "Chinese": "chinese kiina kiinaksi 中文 汉语",
}
"""The languages an event's description names (spoken, sung or in surtitles), as people ask for them: 'stand-up
comedy in English' found nothing, though every comedy here is in English and says so."""


SPOKEN_IN = re.compile(rf"(?:(?:sung|commentary) )?in (?P<language>{'|'.join(LANGUAGE_WORDS)})\b[^;.,]*")
"""The clause of a description that says what language an event is in ('in Finnish with English and Chinese
surtitles', 'sung in English')."""


def language_asked(query: str) -> str:
    """The language a query asks an event to be in ('英文的话剧', 'comedy in English'): '' when it names none, or
    asks for surtitles ('英文字幕'), which an event in another language has."""
    q = query.lower()
    if _SURTITLES_SAID.search(q):
        return ""
    return next((name for name, said in _LANGUAGE_SAID.items() if said.search(q)), "")


def spoken_in(description: str) -> str:
    """The language an event is performed in, as its description says ('in Finnish with English surtitles': Finnish),
    or ''."""
    said = SPOKEN_IN.search(description)
    return said["language"] if said else ""


SURTITLE_WORDS = "surtitles surtitled subtitles subtitled tekstitys tekstitetty 字幕"
"""What people call surtitles ('话剧 英文字幕', 'plays with English subtitles'): '字幕' matched no event, though the
plays here say 'in Finnish with English and Chinese surtitles'."""


def _said(words: str) -> re.Pattern[str]:
    """Any of ``words`` in a lowercased query: a Chinese one anywhere, another as a whole word."""
    return re.compile("|".join(re.escape(w) if has_cjk(w) else rf"\b{re.escape(w)}\b" for w in words.split()))


_SURTITLES_SAID = _said(SURTITLE_WORDS)
_LANGUAGE_SAID = {name: _said(words) for name, words in LANGUAGE_WORDS.items()}
"""What ``language_asked`` looks for, compiled once: it reads every search's words."""


def language_words(description: str) -> str:
    """The search words of the languages ``description`` names, and of its surtitles if it has them."""
    words = [words for name, words in LANGUAGE_WORDS.items() if re.search(rf"\b{name}\b", description)]
    return " ".join([*words, SURTITLE_WORDS] if re.search(r"\bsurtitle", description) else words)


class _Fixture(BaseModel):
    model_config = ConfigDict(extra="ignore")


class RowRec(_Fixture):
    label: str
    seats: int
    rank: int
    accessible: list[int] = []


class SectionRec(_Fixture):
    code: str
    name: str
    name_zh: str = ""
    standing: bool = False
    rows: list[RowRec]


class VenueRec(_Fixture):
    id: str
    place_id: str = ""
    name: str
    name_en: str = ""
    name_zh: str = ""
    kind: str
    lat: float
    lng: float
    street: str = ""
    housenumber: str = ""
    postcode: str = ""
    area: str = ""
    area_zh: str = ""
    capacity: int
    sections: list[SectionRec]
    layout_of: str = ""
    """A grown venue's real model (``growth.py``): its sections are that venue's, shared in memory."""

    @property
    def location(self) -> GeoPoint:
        return GeoPoint(lat=self.lat, lng=self.lng)

    @property
    def display_name(self) -> str:
        names = [self.name] + [n for n in (self.name_en, self.name_zh) if n and n != self.name]
        return " / ".join(names)

    @property
    def address(self) -> str:
        street = f"{self.street} {self.housenumber}".strip() if self.street.strip() else ""
        if self.layout_of:  # grown districts reuse the real street names: the district tells them apart
            return ", ".join(p for p in (street, self.area, "Helsinki") if p)
        return ", ".join(p for p in (street, f"{self.postcode} Helsinki".strip()) if p)

    @property
    def area_label(self) -> str:
        return f"{self.area} / {self.area_zh}" if self.area_zh else self.area


class TierRec(_Fixture):
    code: str
    name: str
    name_zh: str = ""
    price_minor: int
    ranks: list[int] = []
    sections: list[str] = []

    @property
    def label(self) -> str:
        return self.name if not self.name_zh or self.name_zh == self.name else f"{self.name} / {self.name_zh}"


class SessionSpec(_Fixture):
    id: str
    day: int
    time: str
    prices: dict[str, int]
    presold_percent: int = 0


class EventRec(_Fixture):
    id: str
    venue_id: str
    category: Category
    title: str
    title_zh: str = ""
    performer: str
    performer_zh: str = ""
    genre: str = ""
    """A concert's music genre ('jazz'); empty for every other event."""
    genre_zh: str = ""
    description: str = ""
    duration_min: int
    tiers: list[TierRec]
    service_fee_minor: int
    per_user_limit: int
    real_name: bool
    refund_policy: RefundPolicy
    on_sale_day: int
    on_sale_time: str = "10:00"
    sessions: list[SessionSpec]
    copy_of: str = ""
    """A grown event's real show (``growth.py``): its tiers are that show's, shared in memory."""

    @property
    def display_title(self) -> str:
        return f"{self.title} / {self.title_zh}" if self.title_zh else self.title

    @property
    def language(self) -> str | None:
        """What language the event is in, as its description says ('in Finnish with English surtitles'), or None."""
        said = SPOKEN_IN.search(self.description)
        return said[0].strip() if said else None

    @property
    def display_performer(self) -> str:
        return f"{self.performer} / {self.performer_zh}" if self.performer_zh else self.performer

    @property
    def category_label(self) -> str:
        return f"{self.category} / {CATEGORY_ZH[self.category]}"

    @property
    def genre_label(self) -> str | None:
        if not self.genre:
            return None
        return f"{self.genre} / {self.genre_zh}" if self.genre_zh else self.genre

    def tier(self, code: str) -> TierRec | None:
        return next((t for t in self.tiers if t.code == code), None)

    def tier_for(self, section: SectionRec, row: RowRec) -> TierRec | None:
        """Which tier a seat belongs to: the tier naming its section, else the one listing its row's rank."""
        return next((t for t in self.tiers if section.code in t.sections), None) or next(
            (t for t in self.tiers if not t.sections and row.rank in t.ranks), None
        )


@dataclass
class SessionRec:
    """A session with absolute times (UTC)."""

    id: str
    event_id: str
    venue_id: str
    starts_at: datetime
    sales_open_at: datetime
    prices: dict[str, int]


@dataclass
class Catalog:
    venues: dict[str, VenueRec]
    events: dict[str, EventRec]
    sessions: dict[str, SessionRec]
    by_event: dict[str, list[SessionRec]] = field(default_factory=dict)
    search_text: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, venues: list[VenueRec], events: list[EventRec], sessions: list[SessionRec]) -> Catalog:
        cat = cls(
            venues={v.id: v for v in venues},
            events={e.id: e for e in events},
            sessions={s.id: s for s in sessions},
        )
        for s in sorted(sessions, key=lambda s: (s.starts_at, s.id)):
            cat.by_event.setdefault(s.event_id, []).append(s)
        for e in events:
            venue = cat.venues[e.venue_id]
            cat.search_text[e.id] = " ".join(
                [
                    e.title,
                    e.title_zh,
                    e.performer,
                    e.performer_zh,
                    e.category,
                    CATEGORY_ZH[e.category],
                    CATEGORY_WORDS[e.category],
                    e.genre,
                    e.genre_zh,
                    GENRE_WORDS.get(e.genre.lower(), ""),
                    language_words(e.description),
                    venue.name,
                    venue.name_en,
                    venue.name_zh,
                    venue.area,
                    venue.area_zh,
                    VENUE_KIND_WORDS.get(venue.kind, ""),
                ]
            ).lower()
        return cat

    def ends_at(self, rec: SessionRec) -> datetime:
        """When a session is over: its start plus its event's length. Until then its tickets are valid and its
        orders upcoming; a hold refused from the start says it is running, not over."""
        return rec.starts_at + timedelta(minutes=self.events[rec.event_id].duration_min)

    def layout_model(self, event_id: str) -> str:
        """The event whose seat layout this one's is: a grown event copying a real show in a copy of that show's
        own venue (``growth.py``) has exactly its seats, so they share one compiled layout; others their own."""
        event = self.events[event_id]
        source = self.events.get(event.copy_of)
        if source is not None and source.venue_id == self.venues[event.venue_id].layout_of:
            return source.id
        return event_id

    def section(self, venue_id: str, code: str) -> SectionRec | None:
        return next((s for s in self.venues[venue_id].sections if s.code == code), None)
