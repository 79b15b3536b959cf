"""Load the committed fixtures into the movies tables (first run, and ``movies-mcp reset``).

The programme gives films a release day and a run relative to the season's anchor: the Monday
00:00 (Helsinki) of the simulated date at seed time. Seeding generates the season's showtimes from
it, so a frozen clock in the same week always sees the same calendar and a fresh reset re-anchors a
long-running demo.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from shared.geo import CITY_TZ

from . import catalog as cat
from .catalog import CinemaRec, FilmRec, ShowtimeRec, generate_showtimes
from .models import CinemaRow, FilmRow, MetaRow, ShowtimeRow, UserRow, utc

FIXTURE_VERSION = "1"


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def season_anchor(at: datetime) -> datetime:
    """Monday 00:00 Helsinki time of the week containing ``at``."""
    local = at.astimezone(CITY_TZ)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0, 0), tzinfo=CITY_TZ)


def is_seeded(session: Session) -> bool:
    return session.get(MetaRow, "fixture_version") is not None


def read_fixtures(fixtures_dir: Path) -> tuple[list[FilmRec], list[CinemaRec]]:
    films_doc = _read(fixtures_dir / "movies" / "films.json")
    cat.LANGUAGE_ZH.update(films_doc["vocab"]["languages"])
    films = [FilmRec.model_validate(f) for f in films_doc["films"]]
    cinemas = [CinemaRec.model_validate(c) for c in _read(fixtures_dir / "movies" / "cinemas.json")["cinemas"]]
    return films, cinemas


def seed(session: Session, fixtures_dir: Path, at: datetime) -> None:
    for user in _read(fixtures_dir / "users.json")["users"]:
        session.add(
            UserRow(
                id=user["id"],
                name=user["name"],
                currency=user.get("currency", "EUR"),
                wallet_minor=user["wallet_balance_minor"],
            )
        )
    anchor = season_anchor(at)
    films, cinemas = read_fixtures(fixtures_dir)
    session.add_all([FilmRow(id=f.id, data=f.model_dump(mode="json")) for f in films])
    session.add_all([CinemaRow(id=c.id, data=c.model_dump(mode="json")) for c in cinemas])
    session.add_all(
        [
            ShowtimeRow(
                id=s.id,
                film_id=s.film_id,
                cinema_id=s.cinema_id,
                auditorium_id=s.auditorium_id,
                starts_at=s.starts_at,
                format=s.format,
            )
            for s in generate_showtimes(films, cinemas, anchor)
        ]
    )
    session.add(MetaRow(key="season_anchor", value=anchor.isoformat()))
    session.add(MetaRow(key="fixture_version", value=FIXTURE_VERSION))


def load(session: Session, fixtures_dir: Path) -> cat.Catalog:
    films_doc = _read(fixtures_dir / "movies" / "films.json")
    cat.LANGUAGE_ZH.update(films_doc["vocab"]["languages"])
    films = [FilmRec.model_validate(r.data) for r in session.exec(select(FilmRow).order_by(FilmRow.id)).all()]
    cinemas = [CinemaRec.model_validate(r.data) for r in session.exec(select(CinemaRow).order_by(CinemaRow.id)).all()]
    showtimes = [
        ShowtimeRec(r.id, r.film_id, r.cinema_id, r.auditorium_id, utc(r.starts_at), r.format)
        for r in session.exec(select(ShowtimeRow)).all()
    ]
    meta = session.get(MetaRow, "season_anchor")
    anchor = datetime.fromisoformat(meta.value) if meta else season_anchor(datetime.now(CITY_TZ))
    return cat.Catalog.build(films, cinemas, showtimes, anchor)
