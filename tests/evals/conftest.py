"""One runner (one seeded template sandbox, one cache of the oracle's end states) for a test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from evals.loader import load_tasks
from evals.model import Task
from evals.runner import Options, Runner


@pytest.fixture(scope="module")
def runner() -> Iterator[Runner]:
    with Runner(Options(parallel=4)) as shared:
        yield shared


@pytest.fixture(scope="session")
def tasks() -> list[Task]:
    return load_tasks()
