"""The one address book: the first saved address is the default, labels are matched as written before the words
people use for them ('home', '家', 'koti'), and another user's addresses are nobody's."""

from __future__ import annotations

from sqlmodel import Session

from shared.account import Sandbox
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
        found = {text: accounts.find(session, "usr_new", text) for text in ("koti", "office", "home", "家", "WORK")}
    assert default is not None and default.label == "Koti"
    assert {text: a.label if a else None for text, a in found.items()} == {
        "koti": "Koti", "office": "Office", "home": "Home", "家": "Home", "WORK": "Work",
    }  # fmt: skip


def test_another_users_address_is_not_found_by_id_or_label(sandbox: Sandbox) -> None:
    mine = sandbox.accounts.list_addresses("usr_demo").addresses[0]
    with Session(sandbox.engine) as session:
        assert sandbox.accounts.find(session, "usr_alice", mine.id) is None
        assert sandbox.accounts.find(session, "usr_alice", "Gym") is None  # demo's label, not Alice's
        assert sandbox.accounts.find(session, "usr_demo", "gym") is not None
