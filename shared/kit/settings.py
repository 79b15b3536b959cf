"""Settings from the environment through one object.

Shared defaults come from ``LIFESTYLE_*`` variables; each vertical may override any of them
with its own prefix (``FOOD_DATABASE_URL`` beats ``LIFESTYLE_DATABASE_URL``). Tools never read
the environment: the command line loads a ``Settings`` once and passes it down.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Everything a server and its mocked backend need to start."""

    model_config = SettingsConfigDict(env_prefix="LIFESTYLE_", extra="ignore")

    vertical: str = Field(default="", description="Which server these settings are for (food, tickets, …).")
    data_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("lifestyle-mcp", appauthor=False)),
        description="Where the embedded SQLite databases and caches live.",
    )
    database_url: str = Field(default="", description="SQLAlchemy URL; empty means SQLite in data_dir.")
    backend_url: str = Field(default="", description="Base URL of the provider API; empty means in process.")
    user: str = Field(default="usr_demo", description="The account the server acts for.")
    time_scale: float = Field(default=1.0, ge=0, description="Simulated seconds per real second; 0 freezes time.")
    clock_start: datetime | None = Field(default=None, description="Simulated start time; default is now.")
    fixtures_dir: Path = Field(default=REPO_FIXTURES, description="The committed city fixtures.")
    log_level: LogLevel = Field(default="WARNING", description="Log level for stderr logging.")
    http_timeout: float = Field(default=10.0, gt=0, description="Seconds before a backend call is abandoned.")

    @classmethod
    def for_vertical(cls, vertical: str, **overrides: object) -> Settings:
        """Shared ``LIFESTYLE_`` values, then ``<VERTICAL>_`` values, then explicit overrides."""
        shared = cls()
        own = cls(_env_prefix=f"{vertical.upper()}_")
        merged = {name: getattr(own, name) for name in own.model_fields_set}
        return shared.model_copy(update={**merged, **overrides, "vertical": vertical})

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        name = self.vertical or "lifestyle"
        return f"sqlite:///{self.data_dir / (name + '.db')}"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"
