"""toil reports: the weekly report of where on-call time goes

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('toil_reports',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('trigger', sa.String(length=300), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('toil_reports', schema=None) as batch_op:
        batch_op.create_index('ix_toil_reports_generated_at', ['generated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('toil_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_toil_reports_generated_at')

    op.drop_table('toil_reports')
