"""The sandbox both fuzzers work on (one per run of the package: building one takes seconds), with what a real
session of two users found in it.

``LIFESTYLE_FUZZ_DATABASE=postgres`` puts it on PostgreSQL (default: SQLite).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from servers.nav.backend.graph import RoadNetwork
from shared.account.wallet import top_up
from tests.fuzz.session import Fuzzed, real_session
from tests.fuzz.strategies import pools_of, private_ids
from tests.sandboxes import make_lifestyle

DATABASE = os.environ.get("LIFESTYLE_FUZZ_DATABASE", "sqlite")
USERS = ("usr_demo", "usr_alice")


@pytest.fixture(scope="package")
def fuzzed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, network: RoadNetwork
) -> Iterator[Fuzzed]:
    url = request.getfixturevalue("pg_url") if DATABASE == "postgres" else ""
    env = make_lifestyle(tmp_path_factory.mktemp("fuzz"), network, url)
    for user in USERS:  # enough for every purchase the session and the fuzzer make
        top_up(env.engine, user, 200_000, env.sandbox.clock.now())
    mine: dict[str, set[str]] = {}
    theirs: dict[str, set[str]] = {}
    confirmations: dict[str, list[dict[str, Any]]] = {}  # Alice's too: the fuzzing user must not use them
    anyio.run(real_session, env, "usr_alice", theirs, confirmations)
    anyio.run(real_session, env, "usr_demo", mine, confirmations)
    everything = {prefix: mine.get(prefix, set()) | theirs.get(prefix, set()) for prefix in {*mine, *theirs}}
    alices = private_ids((i for ids in theirs.values() for i in ids), (i for ids in mine.values() for i in ids))
    yield Fuzzed(env=env, pools=pools_of(everything), alices=alices, confirmations=confirmations)
    env.engine.dispose()
