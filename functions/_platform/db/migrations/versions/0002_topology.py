"""topology: the digital twin's nodes, edges and per-source builds

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('topology_builds',
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('nodes', sa.Integer(), nullable=False),
    sa.Column('edges', sa.Integer(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('source')
    )
    op.create_table('topology_nodes',
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('node_id', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('source', 'node_id')
    )
    op.create_table('topology_edges',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('caller', sa.String(length=300), nullable=False),
    sa.Column('callee', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'caller', 'callee', 'kind')
    )
    with op.batch_alter_table('topology_edges', schema=None) as batch_op:
        batch_op.create_index('ix_topology_edges_callee', ['callee'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('topology_edges', schema=None) as batch_op:
        batch_op.drop_index('ix_topology_edges_callee')

    op.drop_table('topology_edges')
    op.drop_table('topology_nodes')
    op.drop_table('topology_builds')
