"""scan_incidents, scan_fixes, scan_approvals: scan's own copies of the incidents, suggested fixes and approvals
it hears of, so the supervisor reads no other function's table

Revision ID: 0012_scan_copies
Revises: 0011_fan_in_reported
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_scan_copies'
down_revision = '0011_fan_in_reported'
branch_labels = None
depends_on = None

BATCH = 500
FIX_ACTION = 'apply-fix-'


def upgrade() -> None:
    op.create_table('scan_incidents',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('group_key', sa.String(length=500), nullable=True),
    sa.Column('service', sa.String(length=200), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('scan_incidents', schema=None) as batch_op:
        batch_op.create_index('ix_scan_incidents_group_key', ['group_key'], unique=False)
    op.create_table('scan_fixes',
    sa.Column('incident_id', sa.String(length=40), nullable=False),
    sa.Column('action_id', sa.String(length=200), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('command', sa.Text(), nullable=True),
    sa.Column('risk', sa.String(length=10), nullable=False),
    sa.Column('requires_approval', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('incident_id', 'action_id')
    )
    op.create_table('scan_approvals',
    sa.Column('incident_id', sa.String(length=40), nullable=False),
    sa.Column('action_id', sa.String(length=200), nullable=False),
    sa.Column('approver', sa.String(length=60), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('incident_id', 'action_id')
    )
    _back_fill()


def _back_fill() -> None:
    """Reviews in flight at the upgrade go on: scan's copies start as the rows the events would have carried."""
    op.execute("INSERT INTO scan_incidents (id, group_key, service, accepted_at) "
               "SELECT id, group_key, service, created_at FROM incidents")
    op.execute("INSERT INTO scan_approvals (incident_id, action_id, approver, approved_at) "
               "SELECT incident_id, action_id, approver, approved_at FROM action_approvals")
    bind = op.get_bind()
    reports = sa.table('reports', sa.column('incident_id'), sa.column('body', sa.JSON), sa.column('updated_at'))
    fixes = sa.table('scan_fixes', *(sa.column(c) for c in ('incident_id', 'action_id', 'title', 'command', 'risk',
                                                             'requires_approval', 'published_at')))
    query = sa.select(reports).where(sa.cast(reports.c.body, sa.Text).like(f'%{FIX_ACTION}%'))
    rows = [{'incident_id': row.incident_id, 'action_id': action['id'], 'title': action['title'],
             'command': action.get('command'), 'risk': action['risk'],
             'requires_approval': bool(action.get('requires_approval')), 'published_at': row.updated_at}
            for row in bind.execute(query) for cause in (row.body or {}).get('causes', [])
            for action in cause.get('actions', []) if action['id'].startswith(FIX_ACTION)]
    unique = list({(r['incident_id'], r['action_id']): r for r in rows}.values())
    for start in range(0, len(unique), BATCH):
        bind.execute(fixes.insert(), unique[start:start + BATCH])


def downgrade() -> None:
    op.drop_table('scan_approvals')
    op.drop_table('scan_fixes')
    with op.batch_alter_table('scan_incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_scan_incidents_group_key')
    op.drop_table('scan_incidents')
