"""reports: indexes for the set-based weekly figures, training figures, report snapshots

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_application_events_state_app",
        "application_events",
        ["to_state", "application_id", "created_at"],
    )
    op.create_index("ix_applications_state_submitted", "applications", ["state", "submitted_at"])
    with op.batch_alter_table("programs") as batch:
        batch.add_column(sa.Column("training_hours", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("training_method", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("training_place", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("training_end", sa.Date(), nullable=True))
    with op.batch_alter_table("enrollments") as batch:
        batch.add_column(sa.Column("training_hours", sa.Integer(), nullable=True))
    op.create_table(
        "report_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("confirmed_by", sa.BigInteger(), nullable=False),
        sa.Column("confirmed_name", sa.String(length=100), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_report_snapshots_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_snapshots")),
    )
    op.create_index(
        "ix_report_snapshots_scope", "report_snapshots", ["agency_id", "kind", "confirmed_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_report_snapshots_scope", table_name="report_snapshots")
    op.drop_table("report_snapshots")
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_column("training_hours")
    with op.batch_alter_table("programs") as batch:
        batch.drop_column("training_end")
        batch.drop_column("training_place")
        batch.drop_column("training_method")
        batch.drop_column("training_hours")
    op.drop_index("ix_applications_state_submitted", table_name="applications")
    op.drop_index("ix_application_events_state_app", table_name="application_events")
