"""Load the committed fixtures into the food tables (first run, and after ``lifestyle-mcp reset``).

Users and their addresses are the shared account's (``shared.account.sandbox`` seeds them)."""

from __future__ import annotations

import gc
import hashlib
import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

from sqlalchemy import String, cast, func, literal
from sqlalchemy import select as core_select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from shared.account import Sandbox, require_schema

from .catalog import Catalog, RestaurantRec, Vocabulary
from .models import CouponRow, MetaRow, RestaurantRow

GROWN = "rst_g"
"""Grown restaurants' ids start so (``shared.growth.restaurants``); no real one's does."""
FIXTURE_VERSION = "2"
"""2: users, addresses, quotes and the wallet moved to the shared account."""


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def is_seeded(session: Session) -> bool:
    row = session.get(MetaRow, "fixture_version")
    require_schema(row.value if row else None, FIXTURE_VERSION, "food", session.connection())
    return row is not None


def seed(session: Session, sandbox: Sandbox) -> None:
    """The real city's restaurants and coupons; a grown sandbox (``sandbox.scale`` > 1) adds its districts'
    restaurants and the crowd's past orders in bulk (``growth``)."""
    fixtures_dir = sandbox.fixtures_dir
    real = _read(fixtures_dir / "food" / "restaurants.json")["restaurants"]
    for rest in real:
        session.add(RestaurantRow(id=rest["id"], data=rest))
    for coupon in _read(fixtures_dir / "food" / "coupons.json")["coupons"]:
        session.add(CouponRow(code=coupon["code"].upper(), data=coupon))
    session.add(MetaRow(key="fixture_version", value=FIXTURE_VERSION))
    if sandbox.scale > 1:
        from . import growth  # the growth code needs the service's cart naming; the plain seed does not

        templates = Catalog([RestaurantRec.model_validate(r) for r in real], []).templates
        growth.grow(session, fixtures_dir, sandbox.scale, {t.id: t for t in templates}, sandbox.clock.now())


def restaurants(session: Session) -> list[dict[str, Any]]:
    return [row.data for row in session.exec(select(RestaurantRow).order_by(RestaurantRow.id)).all()]


REAL_CITIES_KEPT = 2
_REAL_CITIES: OrderedDict[tuple[str, int], Catalog] = OrderedDict()
"""Catalogs of the real city by the bytes of its restaurants and the vocabulary they are searched by: every copy
of a seeded sandbox holds the same restaurants, and reading them (and indexing them, ``search.Index``, kept with
the catalog) was most of what building a food app costs. Nothing changes a real city's catalog once built, so
the apps of one process over identical sandboxes (the test suite's, an eval's trials) share one; a grown city's
reads its menus lazily per sandbox and is never shared."""


def load_catalog(engine: Engine, vocabulary: Vocabulary) -> Catalog:
    """The catalog over the sandbox's restaurants: the real ones in memory, every one as light columns (the grown
    ones' documents read without their menus, which the database strips, and dropped once their columns are
    taken), grown menus read by id when needed. ``vocabulary``: what it is searched by (``Vocabulary.load``)."""
    cuisines, read_as, names_zh = vocabulary.cuisines, vocabulary.read_as, vocabulary.chain_names_zh
    table = RestaurantRow.__table__  # type: ignore[attr-defined]
    grown = table.c.id.startswith(GROWN)
    with engine.connect() as conn:
        texts = conn.execute(core_select(cast(table.c.data, String)).where(~grown).order_by(table.c.id)).scalars()
        docs = [str(text) for text in texts]
        if conn.execute(core_select(table.c.id).where(grown).limit(1)).first() is None:  # the real city: resident
            key = (hashlib.blake2b("\n".join(docs).encode(), digest_size=16).hexdigest(), id(vocabulary))
            if (known := _REAL_CITIES.get(key)) is not None:
                _REAL_CITIES.move_to_end(key)
                return known
            real = [RestaurantRec.model_validate_json(doc) for doc in docs]
            catalog = _REAL_CITIES[key] = Catalog(real, cuisines, read_as=read_as, names_zh=names_zh)
            while len(_REAL_CITIES) > REAL_CITIES_KEPT:
                _REAL_CITIES.popitem(last=False)
            return catalog
        real = [RestaurantRec.model_validate_json(doc) for doc in docs]
        light = conn.execution_options(yield_per=5000).execute(
            core_select(_without_menu(table.c.data, engine)).where(grown)
        )
        grown_docs = (json.loads(doc) if isinstance(doc, str) else doc for doc in light.scalars())
        gc.disable()  # 50,000 short-lived documents would set off a full collection every few thousand
        try:
            load = lambda rid: _document(engine, rid)  # noqa: E731
            return Catalog(real, cuisines, grown=grown_docs, load=load, read_as=read_as, names_zh=names_zh)
        finally:
            gc.enable()


def _without_menu(data: Any, engine: Engine) -> Any:
    """The document minus its menu, computed by the database (the menus are 4/5 of the scale pack's catalog)."""
    if engine.dialect.name == "postgresql":
        return cast(data, JSONB).op("-")(literal("menu", String))
    return func.json_remove(data, "$.menu")


def _document(engine: Engine, restaurant_id: str) -> dict[str, Any] | None:
    """One restaurant's document, read by id when the catalog first needs its menu, which may be in the middle
    of a write (an 'order again' refilling a cart). On SQLite every SQLAlchemy transaction opens with ``BEGIN
    IMMEDIATE`` (``shared.kit.db``), which would wait for that very write to end: so read on a bare connection in
    autocommit, which WAL lets read beside the writer. PostgreSQL readers never wait for writers."""
    table = RestaurantRow.__table__  # type: ignore[attr-defined]
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute(f"SELECT data FROM {table.name} WHERE id = ?", (restaurant_id,))
            row = cur.fetchone()
            cur.close()
        finally:
            raw.close()
        return json.loads(row[0]) if row is not None else None
    with engine.connect() as conn:
        doc = conn.execute(core_select(table.c.data).where(table.c.id == restaurant_id)).scalar_one_or_none()
    return dict(doc) if doc is not None else None
