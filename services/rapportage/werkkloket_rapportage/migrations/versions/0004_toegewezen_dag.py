"""rapportage: the day of assignment as a stored generated column (computed once per row, not per query)

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from werkkloket_runtime.migrations import effective_schema

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA = "rapportage"
# The assignment happens seconds after the registration; when the gemeente registered with an earlier
# aanmelddatum, the assignment counts that many days earlier too. Days are Dutch days (Europe/Amsterdam).
TOEGEWEZEN_DAG = (
    "CASE WHEN aangemeld_op IS NOT NULL AND aangemeld_dag IS NOT NULL "
    "THEN aangemeld_dag + (CAST(timezone('Europe/Amsterdam', toegewezen_op) AS date) "
    "- CAST(timezone('Europe/Amsterdam', aangemeld_op) AS date)) "
    "ELSE CAST(timezone('Europe/Amsterdam', toegewezen_op) AS date) END"
)


def upgrade() -> None:
    op.add_column(
        "funnel_kandidaten",
        sa.Column("toegewezen_dag", sa.Date, sa.Computed(TOEGEWEZEN_DAG, persisted=True)),
        schema=effective_schema(SCHEMA),
    )


def downgrade() -> None:
    op.drop_column("funnel_kandidaten", "toegewezen_dag", schema=effective_schema(SCHEMA))
