"""Finding and validating tasks: every ``*.yaml``, ``*.yml`` and ``*.json`` under ``evals/tasks`` (or given paths).

A file holds one task (a mapping with an ``id``) or several (``tasks: [...]``). Ids must be unique across files;
``--tasks PATTERN`` selects by shell pattern on the id (``food-*``), a vertical or group (``cross``), a language
(``zh``) or a tag (``refuse``); several patterns separated by commas add up.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from evals.model import Task

SUFFIXES = (".yaml", ".yml", ".json")


class TaskFileError(ValueError):
    """A task file that does not parse or validate; the message names the file and the task."""


def tasks_dir() -> Path:
    """The tasks shipped with the package."""
    return Path(str(files("evals").joinpath("tasks")))


def _documents(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise TaskFileError(f"{path}: {exc}") from exc
    if isinstance(data, dict) and "tasks" in data and "id" not in data:
        data = data["tasks"]
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(item, dict) for item in items):
        raise TaskFileError(f"{path}: a task file holds a task mapping or 'tasks: [...]'")
    return items


def load_file(path: Path) -> list[Task]:
    found = []
    for n, item in enumerate(_documents(path), 1):
        try:
            found.append(Task.model_validate({**item, "source": path.name}))
        except ValidationError as exc:
            raise TaskFileError(f"{path.name}, task {item.get('id', f'#{n}')}: {exc}") from exc
    return found


def load_tasks(paths: Iterable[Path] = ()) -> list[Task]:
    """Every task in these files or directories (default: the shipped ones), sorted by id."""
    files_: list[Path] = []
    for path in list(paths) or [tasks_dir()]:
        files_ += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES) if path.is_dir() else [path]
    tasks: dict[str, Task] = {}
    for path in files_:
        for task in load_file(path):
            if task.id in tasks:
                raise TaskFileError(f"{path.name}: task id {task.id} is also in {tasks[task.id].source}")
            tasks[task.id] = task
    return sorted(tasks.values(), key=lambda t: t.id)


def select(tasks: Iterable[Task], pattern: str = "") -> list[Task]:
    """The tasks matching any of the comma-separated patterns (all when empty)."""
    wanted = [p.strip() for p in pattern.split(",") if p.strip()]
    if not wanted:
        return list(tasks)

    def fits(task: Task) -> bool:
        labels = {task.group, task.language, *task.verticals, *task.tags}
        return any(fnmatch.fnmatchcase(task.id, p) or p in labels for p in wanted)

    return [t for t in tasks if fits(t)]
