"""The mocked Ele.me-like provider: an HTTP API (``app``) over SQLModel tables (``models``),
with business rules in ``service`` and fixture loading in ``seed``."""
