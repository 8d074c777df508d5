"""review tasks: the supervisor's threat -> review -> fix -> verified records

Revision ID: 0008_review_tasks
Revises: 0007_durable_outbox
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_review_tasks'
down_revision = '0007_durable_outbox'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('review_tasks',
    sa.Column('id', sa.String(length=300), nullable=False),
    sa.Column('service', sa.String(length=200), nullable=False),
    sa.Column('threat_kind', sa.String(length=80), nullable=False),
    sa.Column('endpoint', sa.String(length=300), nullable=True),
    sa.Column('revisions', sa.String(length=300), nullable=True),
    sa.Column('incident_id', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('threat', sa.JSON(), nullable=False),
    sa.Column('applied_action', sa.String(length=200), nullable=True),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verdict', sa.Text(), nullable=True),
    sa.Column('verdict_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_review_tasks_incident_id', ['incident_id'], unique=False)
        batch_op.create_index('ix_review_tasks_service', ['service'], unique=False)
        batch_op.create_index('ix_review_tasks_status', ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_review_tasks_status')
        batch_op.drop_index('ix_review_tasks_service')
        batch_op.drop_index('ix_review_tasks_incident_id')

    op.drop_table('review_tasks')
