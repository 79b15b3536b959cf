"""Load the committed fixtures into the movies tables (first run, and after ``lifestyle-mcp reset``).

Users, their addresses and the wallet are the shared account's (``shared.account.sandbox`` seeds them).

The programme gives films a release day and a run relative to the season's anchor: the Monday
00:00 (Helsinki) of the simulated date at seed time, stored with the data. Showtimes are not
stored: the catalog generates them per day from the anchor and the programme, which repeats every
four weeks, so a database seeded long ago still has showtimes ahead and a frozen clock always sees
the same calendar.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, select

from shared.account import Sandbox, require_schema
from shared.clock import utc
from shared.geo import CITY_TZ

from . import catalog as cat
from . import growth
from .catalog import CinemaRec, FilmRec
from .models import SEAT_HOLDS, CinemaRow, FilmRow, MetaRow, OrderRow

FIXTURE_VERSION = "2"
"""2: users, quotes and the wallet moved to the shared account."""


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def season_anchor(at: datetime) -> datetime:
    """Monday 00:00 Helsinki time of the week containing ``at``."""
    local = at.astimezone(CITY_TZ)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0, 0), tzinfo=CITY_TZ)


def is_seeded(session: Session) -> bool:
    row = session.get(MetaRow, "fixture_version")
    require_schema(row.value if row else None, FIXTURE_VERSION, "movies", session.connection())
    return row is not None


def vocabulary(fixtures_dir: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """From films.json's vocabulary, read once: English language name -> Chinese name, and person or alias ->
    Chinese names (``build_movies.NAMES_ZH``); fresh dicts per call."""
    vocab = _read(fixtures_dir / "movies" / "films.json")["vocab"]
    return dict(vocab["languages"]), dict(vocab.get("names_zh", {}))


def read_fixtures(fixtures_dir: Path) -> tuple[list[FilmRec], list[CinemaRec]]:
    films_doc = _read(fixtures_dir / "movies" / "films.json")
    zh = films_doc["vocab"]["languages"]
    films = [FilmRec.model_validate({**f, "language_zh": zh.get(f["language"], "")}) for f in films_doc["films"]]
    cinemas = [CinemaRec.model_validate(c) for c in _read(fixtures_dir / "movies" / "cinemas.json")["cinemas"]]
    return films, cinemas


def seed(session: Session, sandbox: Sandbox) -> None:
    """Films, cinemas and the season anchored on the sandbox clock (never the wall clock); a grown sandbox
    (``sandbox.scale`` > 1) adds a cinema per grown district (``growth``), inserted in bulk."""
    films, cinemas = read_fixtures(sandbox.fixtures_dir)
    session.add_all([FilmRow(id=f.id, data=f.model_dump(mode="json")) for f in films])
    session.add_all([CinemaRow(id=c.id, data=c.model_dump(mode="json")) for c in cinemas])
    if sandbox.scale > 1:
        docs = growth.grown_cinema_docs(sandbox.fixtures_dir, sandbox.scale, cinemas)
        session.flush()
        session.execute(insert(CinemaRow), [{"id": d["id"], "data": d} for d in docs])
    at = sandbox.clock.now()
    session.add(MetaRow(key="season_anchor", value=season_anchor(at).isoformat()))
    session.add(MetaRow(key="fixture_version", value=FIXTURE_VERSION))


def load(session: Session, fixtures_dir: Path, now: datetime) -> cat.Catalog:
    """The catalog with every day generated that the stored holds and orders refer to, and the
    ``HORIZON_DAYS`` after ``now``."""
    zh, names_zh = vocabulary(fixtures_dir)
    films = [
        FilmRec.model_validate({**r.data, "language_zh": zh.get(r.data["language"], "")})
        for r in session.exec(select(FilmRow).order_by(FilmRow.id)).all()
    ]
    cinemas = [CinemaRec.model_validate(r.data) for r in session.exec(select(CinemaRow).order_by(CinemaRow.id)).all()]
    meta = session.get(MetaRow, "season_anchor")
    anchor = datetime.fromisoformat(meta.value) if meta else season_anchor(now)
    catalog = cat.Catalog.build(films, cinemas, anchor, zh, names_zh)
    assert SEAT_HOLDS is not None
    stored = (
        session.exec(select(func.max(OrderRow.placed_at))).one(),
        session.connection().execute(select(func.max(SEAT_HOLDS.c.created_at))).scalar_one(),
    )  # a clock started earlier than last run's must still find the showtimes those refer to
    return catalog.cover(max([now, *(utc(when) for when in stored if when is not None)]))
