"""Settings from the environment through one object.

Shared defaults come from ``LIFESTYLE_*`` variables; each vertical may override any of them
with its own prefix (``FOOD_BACKEND_URL`` beats ``LIFESTYLE_BACKEND_URL``). Tools never read
the environment: the command line loads a ``Settings`` once and passes it down.

Every server of one sandbox shares one database (the account, the wallet, the clock and each
vertical's prefixed tables), so ``database_url`` is normally set once, for all of them.
"""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from shared.kit.faults import FaultPlan

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
REPO_FIXTURES = PACKAGE_ROOT.parent / "fixtures"
SANDBOX_FILE = "lifestyle.db"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
IN_PROCESS_HOST = "backend.invalid"
"""The Host of in-process provider requests (httpx's ASGI transport): a name that can never resolve."""

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
AuthMode = Literal["token", "none"]


def default_fixtures() -> Path:
    """The city fixtures: package data of ``shared`` in an installed wheel, beside the package in a checkout.

    Read as files (the nav network is memory-mapped and cached beside them), so an installed package must
    be unpacked on disk, as pip, uv and pipx install it.
    """
    packaged = Path(str(files("shared").joinpath("fixtures")))
    return packaged if packaged.is_dir() else REPO_FIXTURES


def default_data_dir() -> Path:
    """The per-user data directory of this platform (e.g. ~/.local/share/lifestyle-mcp)."""
    return Path(user_data_dir("lifestyle-mcp", appauthor=False))


MAX_SCALE = 200
"""The largest scale pack: 200× the real city (≈100k restaurants); beyond it seeding takes longer than it is worth."""


def split_list(value: str) -> list[str]:
    """'a, b,c' → ['a', 'b', 'c'] (list settings are comma-separated in the environment)."""
    return [part.strip() for part in value.split(",") if part.strip()]


class Settings(BaseSettings):
    """Everything a server and its mocked backend need to start."""

    model_config = SettingsConfigDict(env_prefix="LIFESTYLE_", extra="ignore")

    vertical: str = Field(default="", description="Which server these settings are for (food, tickets, …).")
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where the embedded SQLite sandbox and caches live.",
    )
    database_url: str = Field(default="", description="SQLAlchemy URL of the sandbox; empty means SQLite in data_dir.")
    backend_url: str = Field(default="", description="Base URL of the provider API; empty means in process.")
    user: str = Field(default="usr_demo", description="The account stdio (and LIFESTYLE_AUTH=none) requests act for.")
    time_scale: float = Field(
        default=1.0,
        ge=0,
        le=1_000_000,
        allow_inf_nan=False,
        description="Speed of a new sandbox's clock (simulated seconds per real second; 0 freezes).",
    )
    clock_start: datetime | None = Field(default=None, description="Start of a new sandbox's clock; default is now.")
    scale: int = Field(
        default=1,
        ge=1,
        le=MAX_SCALE,
        description="Size of a new sandbox's city: 1 is the real Helsinki fixtures; N grows every catalog and the "
        "user base about N× around it, deterministically (`lifestyle-mcp sandbox create --scale 100` is the "
        "scale pack). An existing sandbox keeps the size it was created with.",
    )
    fixtures_dir: Path = Field(default_factory=default_fixtures, description="The city fixtures.")
    log_level: LogLevel = Field(default="WARNING", description="Log level for stderr logging.")
    backend_timeout: float = Field(
        default=5.0,
        gt=0,
        le=600,
        description="Seconds one attempt at a provider call may take before it is abandoned (and retried when safe).",
    )
    backend_retries: int = Field(
        default=2,
        ge=0,
        le=10,
        description="Retries of a provider call that got no answer or a 502/503/504 (reads, and writes that carry "
        "an Idempotency-Key: every write does), with jittered backoff.",
    )
    warm_start: bool = Field(
        default=False,
        description="Build the in-process provider as the server starts rather than on its first call (the console "
        "scripts' servers do unless this is set; in-process servers, as tests and embedders make them, do not).",
    )
    faults: str = Field(
        default="",
        description="Faults the mocked provider injects, e.g. 'latency=50ms,jitter=20ms,error=0.05,timeout=0.02,"
        "drop=0.02,db_down=0.01,seed=7' (see shared.kit.faults); empty injects none.",
    )
    auth: AuthMode = Field(
        default="token",
        description="token: every streamable HTTP request needs 'Authorization: Bearer …' and acts for that token's "
        "user; none: HTTP requests act for `user` (loopback only).",
    )
    token_verifier: str = Field(
        default="",
        description="'module:factory' returning a TokenVerifier for HTTP requests (e.g. an OAuth issuer's JWKS); "
        "empty uses the sandbox's own tokens (`lifestyle-mcp token`).",
    )
    issuer_url: str = Field(default="", description="Authorization server advertised to HTTP clients; default: self.")
    public_url: str = Field(default="", description="This MCP server's URL as clients reach it (set by the CLI).")
    allowed_hosts: str = Field(
        default="", description="Comma-separated Host values accepted besides loopback, e.g. 'mcp.example.com:*'."
    )
    allowed_origins: str = Field(
        default="", description="Comma-separated Origin values accepted besides loopback pages."
    )
    service_key: SecretStr = Field(
        default=SecretStr(""),
        description="Key the MCP servers sign provider-API credentials with; empty reads the sandbox's own.",
    )

    @field_validator("data_dir", "fixtures_dir", mode="before")
    @classmethod
    def _home_and_default(cls, value: object, info: ValidationInfo) -> object:
        """An empty value is the default, as for every other setting here (it used to mean the current directory,
        so ``LIFESTYLE_DATA_DIR=`` put a sandbox wherever the command ran), and ``~`` is the home directory, as a
        shell would read it but a config file's ``env`` block does not."""
        if isinstance(value, str):
            if not value.strip():
                return default_data_dir() if info.field_name == "data_dir" else default_fixtures()
            return Path(value.strip()).expanduser()
        return value.expanduser() if isinstance(value, Path) else value

    @field_validator("backend_url")
    @classmethod
    def _reachable_url(cls, value: str) -> str:
        """A provider URL that cannot be one is refused at start; it used to surface only as "connection lost"
        on every tool call, naming nothing."""
        from urllib.parse import urlsplit

        text = value.strip()
        if text:
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(
                    f"{text!r} is not an http(s) URL: pass e.g. http://127.0.0.1:9001, or '' for in process"
                )
        return text

    @field_validator("faults")
    @classmethod
    def _readable_faults(cls, value: str) -> str:
        if not any(part.strip() for part in value.split(",")):  # no fault (what FaultPlan.parse skips): nothing to
            return value  # read, and no import of the fault machinery (and SQLAlchemy) before a server's first answer
        from shared.kit.faults import FaultPlan

        FaultPlan.parse(value)  # a FaultSpecError (a ValueError) says which part is wrong and how to write it
        return value

    @property
    def fault_plan(self) -> FaultPlan:
        from shared.kit.faults import FaultPlan

        return FaultPlan.parse(self.faults)

    @classmethod
    def for_vertical(cls, vertical: str, **overrides: object) -> Settings:
        """Shared ``LIFESTYLE_`` values, then ``<VERTICAL>_`` values, then explicit overrides.

        The overrides are validated like the environment's values (``model_copy`` alone would keep a ``str``
        data_dir as a ``str``, which fails only when the provider first opens its sandbox); a name that is no
        setting is refused."""
        unknown = sorted(set(overrides) - set(cls.model_fields))
        if unknown:
            raise TypeError(f"not a setting: {', '.join(unknown)}")
        checked = cls.model_validate(overrides)  # no environment: only the given values, checked and coerced
        shared = cls()
        own = cls(_env_prefix=f"{vertical.upper()}_")
        merged = {name: getattr(own, name) for name in own.model_fields_set}
        given = {name: getattr(checked, name) for name in overrides}
        return shared.model_copy(update={**merged, **given, "vertical": vertical})

    def warm_by_default(self) -> Settings:
        """These settings with ``warm_start`` on, unless the environment chose: a server a client launched is
        usually asked nothing for seconds (the model is still reading the tool list), so the provider's build
        (imports, sandbox, catalog: 1-2 s) is done by the first call instead of making it wait."""
        return self if "warm_start" in self.model_fields_set else self.model_copy(update={"warm_start": True})

    @property
    def effective_database_url(self) -> str:
        """The sandbox database: the same for every vertical."""
        return self.database_url or f"sqlite:///{self.data_dir / SANDBOX_FILE}"

    @property
    def database_shown(self) -> str:
        """The sandbox database's URL as it may be printed or logged: without its password (and not at all when it
        does not parse, as it may hold one where the parser could not find it)."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            return make_url(self.effective_database_url).render_as_string(hide_password=True)
        except ArgumentError:
            return "(a URL that does not parse)"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def extra_hosts(self) -> list[str]:
        return split_list(self.allowed_hosts)

    @property
    def extra_origins(self) -> list[str]:
        return split_list(self.allowed_origins)
