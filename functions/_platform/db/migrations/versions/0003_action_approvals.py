"""action approvals: the audit record of responders approving suggested actions

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('action_approvals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('incident_id', sa.String(length=40), nullable=False),
    sa.Column('action_id', sa.String(length=200), nullable=False),
    sa.Column('action_title', sa.Text(), nullable=False),
    sa.Column('command', sa.Text(), nullable=True),
    sa.Column('approver', sa.String(length=60), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('client_address', sa.String(length=200), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('incident_id', 'action_id')
    )
    with op.batch_alter_table('action_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_approvals_incident_id'), ['incident_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('action_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_approvals_incident_id'))

    op.drop_table('action_approvals')
