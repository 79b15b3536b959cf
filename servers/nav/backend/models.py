"""Nav tables: the city's places and street addresses, loaded from fixtures and read into memory
indexes at startup. Names carry a ``nav_`` prefix and their own metadata so every vertical can
share one PostgreSQL database. The road network itself is not a table: it lives in compact
arrays (see ``graph``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, MetaData
from sqlmodel import Field, SQLModel


class NavTable(SQLModel):
    metadata = MetaData()


class PlaceRow(NavTable, table=True):
    """One named place (OSM POI) as a JSON document, with its parsed weekly hours."""

    __tablename__ = "nav_place"
    id: str = Field(primary_key=True)
    category: str = Field(index=True)
    lat: float
    lng: float
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    hours: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class AddressRow(NavTable, table=True):
    __tablename__ = "nav_address"
    id: str = Field(primary_key=True)
    street: str = Field(index=True)
    housenumber: str
    postcode: str = ""
    city: str = "Helsinki"
    lat: float
    lng: float


class MetaRow(NavTable, table=True):
    __tablename__ = "nav_meta"
    key: str = Field(primary_key=True)
    value: str
