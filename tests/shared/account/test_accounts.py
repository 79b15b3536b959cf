"""The one address book: the first saved address is the default, labels are matched as written before the words
people use for them ('home', '家', 'koti'), and another user's addresses are nobody's."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from shared.account import Sandbox
from shared.account.accounts import Accounts
from shared.errors import InvalidInputError
from shared.geo import CITY_CENTRE, service_radius_m
from shared.schemas.account import AddressInput
from shared.schemas.common import GeoPoint


def test_the_first_saved_address_is_the_default_and_an_exact_label_beats_a_word(sandbox: Sandbox) -> None:
    """With the clock frozen every address is saved at the same instant; the order of saving still decides."""
    accounts = sandbox.accounts
    accounts.add_user("usr_new", "New")
    for label in ("Koti", "Work", "Office", "Home"):
        accounts.save_address("usr_new", AddressInput(label=label, street="Fabianinkatu", housenumber="39",
                                                      location=GeoPoint(lat=60.1726, lng=24.9493)))  # fmt: skip
    with Session(sandbox.engine) as session:
        default = accounts.default_address(session, "usr_new")
        said = ("koti", "office", "home", "家", "WORK", "työ", "Työpaikka", "家里", "办公室", "house")
        found = {text: accounts.find(session, "usr_new", text) for text in said}
    assert default is not None and default.label == "Koti"
    assert {text: a.label if a else None for text, a in found.items()} == {
        "koti": "Koti", "office": "Office", "home": "Home", "家": "Home", "WORK": "Work", "työ": "Work",
        "Työpaikka": "Work", "家里": "Home", "办公室": "Work", "house": "Home",
    }  # fmt: skip


def test_another_users_address_is_not_found_by_id_or_label(sandbox: Sandbox) -> None:
    mine = sandbox.accounts.list_addresses("usr_demo").addresses[0]
    with Session(sandbox.engine) as session:
        assert sandbox.accounts.find(session, "usr_alice", mine.id) is None
        assert sandbox.accounts.find(session, "usr_alice", "Gym") is None  # demo's label, not Alice's
        assert sandbox.accounts.find(session, "usr_demo", "gym") is not None


def test_a_grown_sandbox_saves_addresses_in_its_outer_districts(sandbox: Sandbox) -> None:
    """The service area grows with the city (``service_radius_m(scale)``): a point just past the real city's area
    is refused in the real city's address book and saved in one grown 200×, as every vertical's search takes it."""
    out = (service_radius_m(1) + 300) / 111_320  # degrees of latitude north of the centre
    point = GeoPoint(lat=CITY_CENTRE.lat + out, lng=CITY_CENTRE.lng)
    assert service_radius_m(200) > service_radius_m(1) + 300
    address = AddressInput(label="Cabin", street="Outer Road", housenumber="1", location=point)
    with pytest.raises(InvalidInputError, match="outside the service area"):
        sandbox.accounts.save_address("usr_demo", address)
    grown = Accounts(sandbox.engine, sandbox.clock, sandbox.fixtures_dir, scale=200)
    saved = grown.save_address("usr_demo", address)
    assert saved.label == "Cabin" and saved.location == point


def test_a_label_saved_in_one_language_is_found_by_the_word_for_it_in_another(sandbox: Sandbox) -> None:
    """A user who saved their office only as '公司' and their home as 'koti' was told 'no saved work address' for
    'work' and '办公室': a label is found by any word for what it means, after the labels said as written."""
    accounts = sandbox.accounts
    accounts.add_user("usr_zh", "Zh")
    for label, number in (("公司", "39"), ("koti", "33")):
        accounts.save_address("usr_zh", AddressInput(label=label, street="Fabianinkatu", housenumber=number,
                                                     location=GeoPoint(lat=60.1726, lng=24.9493)))  # fmt: skip
    with Session(sandbox.engine) as session:
        found = {text: accounts.find(session, "usr_zh", text) for text in ("work", "办公室", "home", "家", "gym")}
    assert {text: a.label if a else None for text, a in found.items()} == {
        "work": "公司", "办公室": "公司", "home": "koti", "家": "koti", "gym": None
    }
