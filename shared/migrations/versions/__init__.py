"""The revisions, oldest first: ``NNNN_slug.py``. Alembic reads them as files, never as this package."""
