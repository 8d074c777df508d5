"""fan_ins.reported_at: correlate learns from report.published that a report is out

Revision ID: 0011_fan_in_reported
Revises: 0010_report_incidents
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_fan_in_reported'
down_revision = '0010_report_incidents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('fan_ins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True))
    # reports published before the upgrade are not correlated again
    op.execute("UPDATE fan_ins SET reported_at = (SELECT reported_at FROM incidents WHERE incidents.id = "
               "fan_ins.incident_id)")


def downgrade() -> None:
    with op.batch_alter_table('fan_ins', schema=None) as batch_op:
        batch_op.drop_column('reported_at')
