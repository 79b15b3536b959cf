"""Alembic's entry point: the settings live in ``shared.migrations`` (no ``alembic.ini``), passed in by its
callers on the ``Config`` (a connection, or a URL for ``--sql``)."""

from alembic import context

from shared.migrations import run_env

run_env(context)
