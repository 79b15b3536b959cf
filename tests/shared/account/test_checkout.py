"""The checkout core on real databases: a token is bound to its user, action, subject and amount, acts once,
lapses, and moves money through the ledger so that the balance is always the ledger's sum.

The core is shared code with no HTTP of its own, so it is exercised directly; every paying vertical drives
it through its tools in its own tests and in tests/servers/test_one_account.py.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlmodel import Session

from shared.account import Checkout, Offer, Sandbox, fingerprint
from shared.account.wallet import ledger_total, wallet
from shared.errors import ConflictError, InvalidInputError, NotFoundError, PaymentDeclinedError
from shared.kit.db import session_scope

SHOP = Checkout("shop", decline_hint="Buy less.")


def offer(sandbox: Sandbox, amount: int, what: str = "basket-1", minutes: int = 10) -> Offer:
    return Offer(amount, fingerprint(what), sandbox.clock.now() + timedelta(minutes=minutes))


def quote(sandbox: Sandbox, user: str, amount: int, subject: str = "sub_1", **kw: object) -> str:
    with session_scope(sandbox.engine) as s:
        return SHOP.quote(
            s, user, action="purchase", subject_id=subject, direction="charge", offer=offer(sandbox, amount, **kw),
            now=sandbox.clock.now(),
        ).token  # fmt: skip


def buy(sandbox: Sandbox, user: str, token: str, subject: str = "sub_1", ref: str = "ord_1") -> str:
    """Confirm as a vertical would; returns what the token became (an earlier result on a retry)."""
    with session_scope(sandbox.engine) as s:
        claim = SHOP.redeem(s, user, token=token, action="purchase", subject_id=subject, subject="basket")
        if claim.result_id:
            return claim.result_id
        SHOP.require_live(claim, sandbox.clock.now())
        SHOP.settle(s, claim, ref=ref, now=sandbox.clock.now(), memo="test")
        return ref


def balance(sandbox: Sandbox, user: str) -> tuple[int, int]:
    with Session(sandbox.engine) as s:
        return wallet(s, user).balance_minor, ledger_total(s, user)


def test_a_token_charges_once_and_a_retry_returns_the_first_result(sandbox: Sandbox) -> None:
    token = quote(sandbox, "usr_demo", 1234)
    assert buy(sandbox, "usr_demo", token, ref="ord_a") == "ord_a"
    assert buy(sandbox, "usr_demo", token, ref="ord_b") == "ord_a"  # a retry: no second charge
    assert balance(sandbox, "usr_demo") == (25000 - 1234, 25000 - 1234)


def test_asking_again_for_the_same_offer_returns_the_same_live_token(sandbox: Sandbox) -> None:
    first = quote(sandbox, "usr_demo", 500)
    assert quote(sandbox, "usr_demo", 500) == first
    assert quote(sandbox, "usr_demo", 600) != first  # another amount is another offer
    assert quote(sandbox, "usr_alice", 500) != first  # and another user's is their own


def test_a_token_is_unknown_to_another_user_and_named_for_what_it_was_quoted_to_its_own(sandbox: Sandbox) -> None:
    token = quote(sandbox, "usr_demo", 500)
    with pytest.raises(NotFoundError):
        buy(sandbox, "usr_alice", token)
    with session_scope(sandbox.engine) as s, pytest.raises(InvalidInputError, match="not for the refund of sub_1"):
        SHOP.redeem(s, "usr_demo", token=token, action="refund", subject_id="sub_1", subject="basket")
    with session_scope(sandbox.engine) as s, pytest.raises(InvalidInputError, match="sub_1 on the shop server"):
        Checkout("other").redeem(s, "usr_demo", token=token, action="purchase", subject_id="sub_1", subject="basket")
    with pytest.raises(InvalidInputError, match="issued for basket sub_1, not sub_2; nothing was bought"):
        buy(sandbox, "usr_demo", token, subject="sub_2")
    with pytest.raises(InvalidInputError):
        buy(sandbox, "usr_demo", "not-a-token")
    assert balance(sandbox, "usr_demo") == (25000, 25000)


def test_an_expired_token_moves_nothing(sandbox: Sandbox) -> None:
    token = quote(sandbox, "usr_demo", 500, minutes=5)
    sandbox.clock.advance(timedelta(minutes=5))
    with pytest.raises(ConflictError, match="expired"):
        buy(sandbox, "usr_demo", token)
    assert balance(sandbox, "usr_demo") == (25000, 25000)


def test_a_changed_subject_or_amount_is_refused_with_what_changed(sandbox: Sandbox) -> None:
    token = quote(sandbox, "usr_demo", 500)
    with session_scope(sandbox.engine) as s:
        claim = SHOP.redeem(s, "usr_demo", token=token, action="purchase", subject_id="sub_1", subject="basket")
        with pytest.raises(ConflictError, match="The basket changed"):
            SHOP.require_unchanged(claim, offer(sandbox, 500, what="basket-2"), what="basket")
        with pytest.raises(ConflictError, match=re.escape("from €5.00 to €6.00")):
            SHOP.require_unchanged(claim, offer(sandbox, 600), what="basket")
        SHOP.require_unchanged(claim, offer(sandbox, 500), what="basket")


def test_a_charge_the_wallet_cannot_cover_is_declined_at_quote_and_at_settle(sandbox: Sandbox) -> None:
    with pytest.raises(PaymentDeclinedError, match="does not cover"):
        quote(sandbox, "usr_broke", 301)
    token = quote(sandbox, "usr_broke", 300)
    other = quote(sandbox, "usr_broke", 200, subject="sub_2")
    buy(sandbox, "usr_broke", other, subject="sub_2", ref="ord_other")  # spends the money meanwhile
    with pytest.raises(PaymentDeclinedError, match=re.escape("balance €1.00 does not cover €3.00")) as refused:
        buy(sandbox, "usr_broke", token)
    assert refused.value.hint == "Buy less."
    assert balance(sandbox, "usr_broke") == (100, 100)


def test_a_refund_credits_the_wallet_and_a_cash_offer_moves_nothing(sandbox: Sandbox) -> None:
    now = sandbox.clock.now()
    with session_scope(sandbox.engine) as s:
        back = SHOP.quote(s, "usr_demo", action="refund", subject_id="ord_9", direction="refund",
                          offer=offer(sandbox, 700), now=now)  # fmt: skip
        on_delivery = Offer(9999999, fingerprint("x"), now + timedelta(minutes=5), method="cash")
        cash = SHOP.quote(s, "usr_demo", action="purchase", subject_id="sub_3", direction="charge",
                          offer=on_delivery, now=now)  # fmt: skip
    assert back.balance_after == 25700 and cash.balance_after == 25000  # cash is not limited by the wallet
    with session_scope(sandbox.engine) as s:
        claim = SHOP.redeem(s, "usr_demo", token=back.token, action="refund", subject_id="ord_9", subject="order")
        SHOP.settle(s, claim, ref="rfd_9", now=now)
    buy(sandbox, "usr_demo", cash.token, subject="sub_3", ref="ord_cash")
    assert balance(sandbox, "usr_demo") == (25700, 25700)


def test_racing_confirmations_of_one_user_never_overdraw_the_wallet(sandbox: Sandbox) -> None:
    """Eight tokens of €1 for a wallet of €3, confirmed at once from eight threads: exactly three are paid."""
    tokens = [quote(sandbox, "usr_broke", 100, subject=f"sub_{n}") for n in range(8)]
    results: list[str] = []

    def confirm(n: int) -> None:
        try:
            results.append(buy(sandbox, "usr_broke", tokens[n], subject=f"sub_{n}", ref=f"ord_{n}"))
        except PaymentDeclinedError:
            results.append("declined")

    threads = [threading.Thread(target=confirm, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(r == "declined" for r in results) == [False] * 3 + [True] * 5
    assert balance(sandbox, "usr_broke") == (0, 0)
