"""Users and their one address book, as every vertical's backend reads them.

Food delivers to these addresses, movies measures cinema distances from them, nav routes from
and to them (by id, by label, or by the words "home" and "work"), so they are read and written
here only. Every lookup takes the acting user's id: another user's address is "not found".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process
from sqlalchemy import bindparam
from sqlalchemy import select as select_columns
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from shared.clock import SimClock
from shared.errors import ConflictError, InvalidInputError, NotFoundError, shown
from shared.geo import require_in_city
from shared.kit.db import Read, Rows, session_scope
from shared.landmarks import Landmarks, finnish_street
from shared.schemas.account import Address, AddressInput, AddressList, User
from shared.schemas.common import GeoPoint, Money, check_id, new_id
from shared.text import fold, house_key, house_number, staircase_house

from .clock import SandboxClock
from .models import AddressRow, LedgerRow, StateRow, UserRow, WalletRow

MAX_ADDRESSES = 50
"""Saved addresses per user: an address book, not a data store (each save rereads the whole book)."""
_LABEL_SAID = {  # words people use for a saved label, in the languages of the suite
    "home": "home", "my home": "home", "house": "home", "家": "home", "我家": "home", "家里": "home", "回家": "home",
    "my house": "home", "my place": "home", "my flat": "home", "my apartment": "home", "back home": "home",
    "koti": "home", "hem": "home",
    "work": "work", "office": "work", "my office": "work", "公司": "work", "单位": "work", "办公室": "work",
    "上班": "work", "my work": "work", "the office": "work", "workplace": "work", "my workplace": "work",
    "my job": "work",
    "työ": "work", "työpaikka": "work", "jobbet": "work",
}  # fmt: skip


def fold_label(label: str) -> str:
    """What makes two labels the same: case, accents and spacing do not count."""
    return " ".join(fold(label).split())


LABEL_WORDS = {fold_label(word): label for word, label in _LABEL_SAID.items()}
"""What a word for a label means, keyed as labels are compared: written with its accents ('työ') the key was never
looked up, so 'työ' and 'työpaikka' found no saved Work address in any server."""


def address_model(row: AddressRow) -> Address:
    return Address(
        id=row.id,
        label=row.label,
        street=row.street,
        housenumber=row.housenumber,
        postcode=row.postcode,
        city=row.city,
        location=GeoPoint(lat=row.lat, lng=row.lng),
        notes=row.notes,
    )


BOOKS_KEPT = 10_000
"""Users whose address-book answers (default address, labels) a process keeps in memory before it starts again."""

T = TypeVar("T")

_users = UserRow.__table__  # type: ignore[attr-defined]
_TAKE_TURN = select_columns(_users.c.id).where(_users.c.id == bindparam("user_id")).with_for_update()


def _no_user(user_id: str) -> NotFoundError:
    return NotFoundError(
        f"No user {shown(user_id)} in this sandbox.",
        "List the sandbox's users with `lifestyle-mcp users`; stdio servers act for LIFESTYLE_USER.",
    )


def _street_key(street: str, number: str) -> tuple[str, str]:
    """A street address as looked up: case and the spaces in a house number do not count ('5 A' is '5a')."""
    return " ".join(street.lower().split()), house_key(number)


class BookMemo(Generic[T]):
    """One answer per user read from their address book, kept while the sandbox's address-book version stays the
    same: the clock row, read at the start of every request, carries that version (``book_version``), and every
    address written anywhere in the sandbox moves it. Without a sandbox clock nothing is kept."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self._held: dict[str, tuple[int, T]] = {}

    def get(self, user_id: str, read: Callable[[], T]) -> T:
        version = self.clock.book_version if isinstance(self.clock, SandboxClock) else None
        held = self._held.get(user_id)
        if version is not None and held is not None and held[0] == version:
            return held[1]
        value = read()
        if version is not None:
            if len(self._held) >= BOOKS_KEPT:
                self._held.clear()
            self._held[user_id] = (version, value)
        return value


_ADDRESSES = AddressRow.__table__.c  # type: ignore[attr-defined]
LABELS_OF = select_columns(_ADDRESSES.label_key).where(_ADDRESSES.user_id == bindparam("user_id"))
"""A user's saved labels. Built once: composing the statement costs more than running it."""


_HOUSE = r"\d+(?:-\d+)?(?:\s?[A-Za-z](?![A-Za-z]))?"
"""A house number as written: '52', '22-24', '39 B', '5a'."""
_FLAT = r"(?:(?:as|asunto|apt|flat)\.?\s*)?(?P<flat>\d{1,3})"
"""A flat after the house number: '12', 'as. 5' (asunto), 'flat 3'."""
STREET_AND_NUMBER = re.compile(
    rf"(?P<street>\D+?)\s+(?P<number>{_HOUSE})(?:\s?号)?"
    rf"(?:\s*,?\s+{_FLAT}(?!\d))?"
    r"(?:\s*,?\s*(?P<postcode>\d{5}))?(?:\s*,?\s*(?:helsinki|helsingfors|赫尔辛基(?:市)?))?(?:\s*,?\s*(?:finland|芬兰))?",
    re.IGNORECASE,
)
"""An address as people write it here: the street, then the house number (and a staircase letter, or 号 as Chinese
writes a number), perhaps the flat ('Fredrikinkatu 20 A 5', 'Kaivokatu 4 as. 5'), the postcode and the city
('Fredrikinkatu 39 B, 00120 Helsinki': with them the number was 'missing')."""


HOUSE_AND_FLAT = re.compile(rf"(?P<number>{_HOUSE})\s+{_FLAT}", re.IGNORECASE)
"""A house number given with its flat ('39 B 12', '4 as 5'): the house is where the map looks, the flat a note."""


def said_address(text: str) -> re.Match[str] | None:
    """``text`` read as 'street number' (``STREET_AND_NUMBER``), a main street named in Chinese as the map spells
    it ('曼纳海姆大街5号' is Mannerheimintie 5); None when it is no such address."""
    return STREET_AND_NUMBER.fullmatch(finnish_street(" ".join(text.split())))


SPELT_ALIKE = 85
"""How alike (rapidfuzz's ratio, 0-100) a street said must be to the map's to be read as it: 'Manerheimintie' is
97 to Mannerheimintie, 'Alexanterinkatu' 90 to Aleksanterinkatu, while Kaivokatu and Kalevankatu are 70."""


class Accounts:
    """The account's users and address book over the sandbox database."""

    def __init__(self, engine: Engine, clock: SimClock, fixtures_dir: Path, *, scale: int = 1) -> None:
        self.engine = engine
        self.clock = clock
        self.fixtures_dir = fixtures_dir
        self.scale = scale  # a scale pack's grown districts are in the city too: an address there may be saved
        self._defaults: BookMemo[Address | None] = BookMemo(clock)
        self._labels: BookMemo[frozenset[str]] = BookMemo(clock)

    # ----- users ----------------------------------------------------------------------------------
    def user(self, session: Session, user_id: str) -> UserRow:
        """The user row (refused with a hint when there is no such user)."""
        row = session.get(UserRow, user_id)
        if row is None:
            raise _no_user(user_id)
        return row

    def take_turn(self, session: Session, user_id: str) -> None:
        """Serialize this user's concurrent writes (one turn per user), refusing an unknown user.

        Every write of rows a user owns (addresses, the cart, attendees, holds, orders) takes this lock first,
        so a read-then-write inside it never races another request of the same user: on PostgreSQL the row is
        locked ``FOR UPDATE`` until the transaction ends; SQLite renders no ``FOR UPDATE`` and needs none, as its
        writers already take turns (``BEGIN IMMEDIATE``). One prebuilt Core statement, not an ORM load: it is
        on every hold and order, and the row itself is not needed.
        """
        statement, params = self.turn_read(user_id)
        self.turn_taken([dict(row._mapping) for row in session.connection().execute(statement, params)], user_id)

    @staticmethod
    def turn_read(user_id: str) -> Read:
        """``take_turn``'s statement, for a caller that sends it first among its reads (``pipelined``): the lock
        is taken before the others run. Check its rows with ``turn_taken``."""
        return _TAKE_TURN, {"user_id": user_id}

    @staticmethod
    def turn_taken(rows: Rows, user_id: str) -> None:
        """Refuse an unknown user, from the rows of ``turn_read``."""
        if not rows:
            raise _no_user(user_id)

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        wallet_minor: int = 0,
        currency: str = "EUR",
        addresses: Sequence[Address] = (),
    ) -> User:
        """A new account with an opening balance and a copy of the given addresses (for sandboxes of many users)."""
        check_id(user_id, "usr", field="user_id", source="a name of your choosing, e.g. usr_alex")
        now = self.clock.now()
        with session_scope(self.engine) as session:
            if session.get(UserRow, user_id) is not None:
                raise ConflictError(f"User {user_id} already exists.", "Pick another id.")
            session.add(UserRow(id=user_id, name=name, currency=currency, created_at=now))
            session.add(WalletRow(user_id=user_id, balance_minor=wallet_minor, currency=currency))
            session.add(LedgerRow(user_id=user_id, vertical="account", kind="opening", ref=f"open_{user_id}",
                                  amount_minor=wallet_minor, memo="Opening balance", at=now))  # fmt: skip
            for n, a in enumerate(addresses):
                session.add(AddressRow(id=new_id("adr"), user_id=user_id, label=a.label, label_key=fold_label(a.label),
                                       street=a.street, housenumber=a.housenumber, postcode=a.postcode, city=a.city,
                                       lat=a.location.lat, lng=a.location.lng, notes=a.notes, seq=n,
                                       created_at=now))  # fmt: skip
            if addresses:  # a call made for this id before it existed may have been answered "no address"
                self._bump_book_version(session)
        if addresses and isinstance(self.clock, SandboxClock):
            self.clock.refresh()
        return self.me(user_id)

    def me(self, user_id: str) -> User:
        with Session(self.engine) as session:
            row = self.user(session, user_id)
            wallet = session.get(WalletRow, user_id)
            balance = wallet.balance_minor if wallet else 0
            return User(id=row.id, name=row.name, wallet=Money.of(balance, row.currency))

    # ----- the address book -------------------------------------------------------------------------
    def rows(self, session: Session, user_id: str) -> list[AddressRow]:
        stmt = select(AddressRow).where(AddressRow.user_id == user_id).order_by(col(AddressRow.seq), col(AddressRow.id))
        return list(session.exec(stmt).all())

    def list_addresses(self, user_id: str) -> AddressList:
        with Session(self.engine) as session:
            self.user(session, user_id)
            return AddressList(addresses=[address_model(r) for r in self.rows(session, user_id)])

    def address(self, session: Session, user_id: str, address_id: str, *, source: str = "") -> Address:
        """The user's saved address ``address_id``, or the one its label names ('Work', 'home', '公司': ``find``);
        another user's is not found. 'Work' passed as address_id was refused as no id, though it names one."""
        where = source or "the address list"
        if not address_id.strip().startswith("adr_") and (labelled := self.find(session, user_id, address_id)):
            return labelled
        check_id(address_id, "adr", field="address_id", source=where)
        row = session.get(AddressRow, address_id)
        if row is None or row.user_id != user_id:
            raise NotFoundError(f"No saved address {shown(address_id)} for this account.", f"List them with {where}.")
        return address_model(row)

    def default_address(self, session: Session, user_id: str) -> Address | None:
        """The first saved address: where deliveries go and distances start when nothing else is said.

        Kept per user while the address books stay as they are (``BookMemo``): read on every search and menu
        without an address, this query was most of a menu's own work."""

        def read() -> Address | None:
            row = session.exec(
                select(AddressRow)
                .where(AddressRow.user_id == user_id)
                .order_by(col(AddressRow.seq), col(AddressRow.id))
                .limit(1)
            ).first()
            return address_model(row) if row else None

        return self._defaults.get(user_id, read)

    def label_keys(self, user_id: str) -> frozenset[str]:
        """The user's saved labels, folded (``fold_label``), kept while the address books stay as they are
        (``BookMemo``): nav asks it of every name it geocodes, nearly none of which is a label."""

        def read() -> frozenset[str]:
            with self.engine.connect() as conn:
                return frozenset(conn.execute(LABELS_OF, {"user_id": user_id}).scalars())

        return self._labels.get(user_id, read)

    @staticmethod
    def _bump_book_version(session: Session) -> None:
        """Every process's answers that depend on addresses are stale once this transaction commits."""
        state = session.exec(select(StateRow).where(StateRow.id == 1).with_for_update()).one()
        state.book_version += 1
        session.add(state)
        session.flush()

    def find(self, session: Session, user_id: str, text: str) -> Address | None:
        """A saved address the user named: its id, its label, or 'home'/'work' in any of our languages."""
        raw = text.strip()
        if not raw:
            return None
        if raw.startswith("adr_"):
            row = session.get(AddressRow, raw)
            return address_model(row) if row is not None and row.user_id == user_id else None
        key = fold_label(raw)
        rows = self.rows(session, user_id)
        meaning = LABEL_WORDS.get(key)
        row = (  # the label as written, then the one the word means ('家' is Home), then one saved under another
            next((r for r in rows if r.label_key == key), None)  # word for it ('work' is a book's '公司')
            or next((r for r in rows if meaning is not None and r.label_key == meaning), None)
            or next((r for r in rows if meaning is not None and LABEL_WORDS.get(r.label_key) == meaning), None)
        )
        return address_model(row) if row is not None else None

    @cached_property
    def _map(self) -> tuple[dict[tuple[str, str], GeoPoint], dict[str, str]]:
        """The map's addresses: (street, housenumber) → coordinates, and each street as looked up → as spelt."""
        path = self.fixtures_dir / "osm" / "addresses.json"
        rows = json.loads(path.read_text(encoding="utf-8"))["addresses"] if path.exists() else []
        where = {_street_key(a["street"], a["housenumber"]): GeoPoint(lat=a["lat"], lng=a["lng"]) for a in rows}
        names: dict[str, str] = {}
        for a in rows:
            names.setdefault(_street_key(a["street"], "")[0], a["street"])
        return where, names

    @property
    def streets(self) -> dict[tuple[str, str], GeoPoint]:
        """(street, housenumber) → coordinates, for saving an address without coordinates."""
        return self._map[0]

    @property
    def street_names(self) -> dict[str, str]:
        """Each street of the map as looked up (lower-cased) → as the map spells it, to save and to suggest."""
        return self._map[1]

    def _entrance(self, street: str, number: str) -> GeoPoint | None:
        """Where 'street number' is: the number as written in any case or spacing ('5 a' is 5a), else, for a
        staircase letter the map lacks ('39 B'), the house itself, as nav reads it."""
        found = self.streets.get(_street_key(street, number))
        house = staircase_house(house_key(number))
        if found is None and house:
            found = self.streets.get(_street_key(street, house))
        return found

    def locate(self, text: str) -> tuple[GeoPoint, str] | None:
        """Where a street address said as text is ('Mannerheimintie 5', 'fredrikinkatu 39 b'), and the address as
        the map spells it; None if it is no 'street number' of the map."""
        said = said_address(text)
        if said is None:
            return None
        found = self._entrance(said["street"], said["number"])
        if found is None:
            return None
        return found, f"{self.street_names.get(_street_key(said['street'], '')[0], said['street'])} {said['number']}"

    def locate_spelt_alike(self, text: str) -> tuple[GeoPoint, str] | None:
        """``locate`` for a street the map spells otherwise ('Manerheimintie 5', 'Alexanterinkatu 20'), as a search
        box corrects a typo: the one street of the map spelt most like it (``SPELT_ALIKE``), where it has that
        number. None for a street the map has (its number is missing: ``unplaced`` says so) or none alike."""
        said = said_address(text)
        if said is None or (key := _street_key(said["street"], "")[0]) in self.numbers:
            return None
        alike = process.extractOne(key, list(self.numbers), scorer=fuzz.ratio, score_cutoff=SPELT_ALIKE)
        return None if alike is None else self.locate(f"{self.street_names.get(alike[0], alike[0])} {said['number']}")

    def unplaced(self, text: str) -> str:
        """Why a 'street number' is not placed, saying what the map has: the street's numbers ('Fredrikinkatu 34':
        it has 32 and 39) or streets spelt alike; '' where ``text`` is no 'street number'."""
        said = said_address(text)
        if said is None:
            return ""
        known = _street_key(said["street"], "")[0] in self.numbers
        reason = self._not_on_map(said["street"], said["number"])[0]
        return reason if known or "spelt alike" in reason else ""

    @cached_property
    def numbers(self) -> dict[str, list[str]]:
        """Each street of the map (lower-cased) → its house numbers in order, to say what there is instead."""
        out: dict[str, list[str]] = {}
        for street, number in self.streets:
            out.setdefault(street, []).append(number)
        for numbers in out.values():
            numbers.sort(key=lambda n: (house_number(n), n))
        return out

    def _not_on_map(self, street: str, number: str) -> tuple[str, str]:
        """The refusal for an address the map lacks, saying what it has: the street's numbers and the nearest ones,
        or streets spelt alike. 'Fredrikinkatu 34' said only 'Could not find', though the map has 32 and 39."""
        asked = f"{street} {number}"
        instead = "or pass lat and lng of the entrance (the map holds central Helsinki's addresses only)"
        numbers = self.numbers.get(_street_key(street, "")[0])
        if numbers:
            want = house_number(house_key(number))
            near = sorted(numbers, key=lambda n: (abs(house_number(n) - want), house_number(n)))[:2]
            return (
                f"{shown(asked)} is not on the map: {street.strip()} has numbers {', '.join(numbers[:12])}"
                f"{' …' if len(numbers) > 12 else ''} here, but not {number.strip()}.",
                f"Ask the user whether they meant {' or '.join(near)} (save that number), {instead}.",
            )
        alike = process.extract(_street_key(street, "")[0], list(self.numbers), scorer=fuzz.ratio,
                                score_cutoff=75, limit=3)  # fmt: skip
        spelt = [self.street_names.get(name, name) for name, _, _ in alike]
        if spelt:
            return (
                f"No street called {shown(street.strip())} is on the map; streets spelt alike: {', '.join(spelt)}.",
                f"Check the spelling with the user, {instead}.",
            )
        return f"{shown(asked)} is not on the map.", f"Check the spelling, {instead}."

    def _place_named(self, text: str) -> tuple[tuple[str, str, str], GeoPoint, str] | None:
        """A landmark ``text`` names ('中央火车站', 'Oodi') with a street address: (street, number, postcode), its
        point and its name; None otherwise. A place saved by its name was 'housenumber is missing'."""
        place = Landmarks.load(self.fixtures_dir).find(text)
        at = STREET_AND_NUMBER.fullmatch(" ".join(place.address.split())) if place is not None else None
        if place is None or at is None:
            return None
        return (at["street"].strip(), at["number"], at["postcode"] or ""), place.point, place.name

    def save_address(self, user_id: str, data: AddressInput) -> Address:
        """Save a new address, or update the one with the same label (one label, one address)."""
        label, street, number = data.label.strip(), data.street.strip(), data.housenumber.strip()
        postcode, location, notes = data.postcode.strip(), data.location, data.notes.strip()
        # 'Aleksanterinkatu 52' whole in street, as the other servers take an address: 'housenumber required' sent
        # the model back to split it
        flat = ""  # 'Fredrikinkatu 20 A 5': house 20, staircase A, flat 5, for the courier's notes
        if not number and (written := said_address(street)):
            street, number, flat = written["street"].strip(), written["number"], written["flat"] or ""
            postcode = postcode or written["postcode"] or ""
        elif (with_flat := HOUSE_AND_FLAT.fullmatch(" ".join(number.split()))) is not None:  # housenumber '39 B 12'
            number, flat = with_flat["number"], with_flat["flat"]
        elif not number and street and location is None and (place := self._place_named(street)) is not None:
            # '中央火车站' as the street: the place's own address and entrance, its name kept in the notes
            (street, number, postcode), location = place[0], place[1]
            notes = notes or place[2]
        if flat:
            notes = "; ".join(n for n in (f"flat {flat}", notes) if n)
        if not (label and street and number):
            missing = [name for name, value in (("label", label), ("street", street), ("housenumber", number))
                       if not value]  # fmt: skip
            raise InvalidInputError(
                f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing: an address is saved with "
                "a label, a street and a house number.",
                "Ask the user for what is missing (the house number: 'Aleksanterinkatu 52' is street "
                "'Aleksanterinkatu', housenumber '52'), then save again.",
                field=missing[0],
            )
        if location is None:
            location = self._entrance(street, number)
            if location is None:
                raise NotFoundError(*self._not_on_map(street, number), field="housenumber")
            street = self.street_names.get(_street_key(street, "")[0], street)  # 'fredrikinkatu' as the map has it
        require_in_city(
            location, scale=self.scale, instead="lat and lng 0 to look up the street and housenumber in Helsinki"
        )
        key = fold_label(label)
        with session_scope(self.engine) as session:
            self.take_turn(session, user_id)  # one writer per user: a label is saved once
            rows = self.rows(session, user_id)
            row = next((r for r in rows if r.label_key == key), None)
            if row is None:
                if len(rows) >= MAX_ADDRESSES:
                    raise ConflictError(
                        f"An account keeps at most {MAX_ADDRESSES} saved addresses and this one has "
                        f"{len(rows)}, so {shown(label)} was not saved.",
                        "Save it under the label of an address the user no longer needs: that replaces it.",
                        limit=MAX_ADDRESSES,
                    )
                row = AddressRow(
                    id=new_id("adr"),
                    user_id=user_id,
                    label=label,
                    label_key=key,
                    street=street,
                    housenumber=number,
                    lat=0,
                    lng=0,
                    seq=max((r.seq for r in rows), default=-1) + 1,
                    created_at=self.clock.now(),
                )
            row.label, row.street, row.housenumber, row.postcode = label, street, number, postcode
            row.lat, row.lng, row.notes = location.lat, location.lng, notes
            session.add(row)
            self._bump_book_version(session)
            saved = address_model(row)
        if isinstance(self.clock, SandboxClock):
            self.clock.refresh()  # this process sees the new version at once
        return saved
