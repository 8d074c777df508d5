"""durable outbox: the outbox table, one open incident per alert group, forward-only status repaired

Revision ID: 0007_durable_outbox
Revises: 0006_api_edge_idempotency
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_durable_outbox'
down_revision = '0006_api_edge_idempotency'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('event_id', sa.String(200), nullable=False),
        sa.Column('event_source', sa.String(300), nullable=False),
        sa.Column('event_type', sa.String(200), nullable=False),
        sa.Column('attributes', sa.JSON(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('last_error', sa.Text(), nullable=True),
    )
    op.create_index('ix_outbox_due_at', 'outbox', ['due_at'])
    op.create_index('ix_outbox_event_id', 'outbox', ['event_id'])
    # a report stored over a lost update: the status moves forward to what reported_at already says
    op.execute("UPDATE incidents SET status = 'reported' WHERE reported_at IS NOT NULL AND status <> 'reported'")
    # concurrent intake once opened several incidents for one group: keep the newest open, resolve the others
    op.execute("""
        UPDATE incidents SET resolved_at = created_at
        WHERE resolved_at IS NULL AND group_key IS NOT NULL AND EXISTS (
            SELECT 1 FROM incidents newer WHERE newer.group_key = incidents.group_key
            AND newer.resolved_at IS NULL AND newer.created_at > incidents.created_at)""")
    op.create_index('ux_incidents_open_group', 'incidents', ['group_key'], unique=True,
                    sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))


def downgrade() -> None:
    op.drop_index('ux_incidents_open_group', table_name='incidents')
    op.drop_index('ix_outbox_event_id', table_name='outbox')
    op.drop_index('ix_outbox_due_at', table_name='outbox')
    op.drop_table('outbox')
