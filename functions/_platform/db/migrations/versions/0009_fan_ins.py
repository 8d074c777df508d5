"""fan_ins: correlate's own record of what each incident waits for

Revision ID: 0009_fan_ins
Revises: 0008_review_tasks
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_fan_ins'
down_revision = '0008_review_tasks'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fan_ins',
    sa.Column('incident_id', sa.String(length=40), nullable=False),
    sa.Column('service', sa.String(length=200), nullable=True),
    sa.Column('domains', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('correlated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('incident_id')
    )
    with op.batch_alter_table('fan_ins', schema=None) as batch_op:
        batch_op.create_index('ix_fan_ins_deadline_at', ['deadline_at'], unique=False)
        batch_op.create_index('ix_fan_ins_correlated_at', ['correlated_at'], unique=False)
    # incidents already announced keep their fan-in across the upgrade
    op.execute("INSERT INTO fan_ins (incident_id, service, domains, started_at, deadline_at, expected_at, correlated_at) "
               "SELECT id, service, domains, started_at, deadline_at, fanned_out_at, correlated_at FROM incidents "
               "WHERE fanned_out_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('fan_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_fan_ins_correlated_at')
        batch_op.drop_index('ix_fan_ins_deadline_at')
    op.drop_table('fan_ins')
