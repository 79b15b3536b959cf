"""${message}

Revision ${up_revision}, after ${down_revision | comma,n}. Written by ``lifestyle-mcp migrate revision``: read it,
and put a data migration before any constraint the rows of an existing sandbox might violate.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
