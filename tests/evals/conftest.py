"""One runner (one seeded template sandbox, one cache of the oracle's end states) per test process.

Session-scoped so that under ``pytest -n auto`` each worker seeds its template and builds its servers once, however
many of the per-task sanity items (``test_sanity.py``) land on it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from evals.loader import load_tasks
from evals.model import Task
from evals.runner import Options, Runner


@pytest.fixture(scope="session")
def runner() -> Iterator[Runner]:
    with Runner(Options(parallel=4)) as shared:
        yield shared


@pytest.fixture(scope="session")
def tasks() -> list[Task]:
    return load_tasks()
