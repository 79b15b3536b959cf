"""One lifestyle account per user across every server: identity, address book, wallet, checkout, clock.

The real apps share one account (one wallet, one address book) between their services, and so do
these servers: every vertical's backend opens the same sandbox database (``open_sandbox``), reads
users and addresses through ``Accounts``, moves money only through ``Checkout`` and tells time by
the ``SandboxClock`` kept in the database.
"""

from .accounts import Accounts
from .checkout import Checkout, Claim, Offer, Quote, fingerprint, release_to_afford
from .clock import SandboxClock
from .sandbox import Sandbox, open_sandbox, prepare_vertical, require_schema, reset_sandbox, sandbox_scale

__all__ = [
    "Accounts",
    "Checkout",
    "Claim",
    "Offer",
    "Quote",
    "Sandbox",
    "SandboxClock",
    "fingerprint",
    "open_sandbox",
    "prepare_vertical",
    "release_to_afford",
    "require_schema",
    "reset_sandbox",
    "sandbox_scale",
]
