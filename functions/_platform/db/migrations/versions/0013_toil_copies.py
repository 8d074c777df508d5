"""toil_incidents, toil_alerts, toil_domains: toil's own facts about each incident, kept from events, so the
weekly report reads no other function's table

Revision ID: 0013_toil_copies
Revises: 0012_scan_copies
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_toil_copies'
down_revision = '0012_scan_copies'
branch_labels = None
depends_on = None

BATCH = 500
INCIDENT = ('id', 'service', 'severity', 'source', 'started_at', 'created_at', 'reported_at', 'resolved_at')


def upgrade() -> None:
    op.create_table('toil_incidents',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('service', sa.String(length=200), nullable=True),
    sa.Column('severity', sa.String(length=20), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('top_component', sa.String(length=300), nullable=True),
    sa.Column('top_kind', sa.String(length=200), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('toil_incidents', schema=None) as batch_op:
        batch_op.create_index('ix_toil_incidents_created_at', ['created_at'], unique=False)
    op.create_table('toil_alerts',
    sa.Column('incident_id', sa.String(length=40), nullable=False),
    sa.Column('fingerprint', sa.String(length=200), nullable=False),
    sa.Column('alertname', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('incident_id', 'fingerprint')
    )
    op.create_table('toil_domains',
    sa.Column('incident_id', sa.String(length=40), nullable=False),
    sa.Column('domain', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('incident_id', 'domain')
    )
    _back_fill()


def _insert(table: sa.TableClause, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        op.get_bind().execute(table.insert(), rows[start:start + BATCH])


def _top_cause(causes: object) -> tuple[str | None, str | None]:
    first = next((c for c in causes if isinstance(c, dict) and c.get('component')), None) \
        if isinstance(causes, list) else None
    return (str(first['component']), str(first.get('kind', ''))) if first else (None, None)


def _back_fill() -> None:
    """A deployed system keeps its history: toil's facts start as what the other functions' rows say."""
    bind = op.get_bind()
    incidents = sa.table('incidents', *(sa.column(c) for c in INCIDENT))
    reports = sa.table('reports', sa.column('incident_id'), sa.column('body', sa.JSON), sa.column('updated_at'))
    query = (sa.select(incidents, reports.c.body['causes'].label('causes'), reports.c.updated_at)
             .select_from(incidents.outerjoin(reports, reports.c.incident_id == incidents.c.id)))
    rows = []
    for row in bind.execute(query):
        values = {c: getattr(row, c) for c in INCIDENT}
        values['top_component'], values['top_kind'] = _top_cause(row.causes)
        values['published_at'] = row.updated_at if row.reported_at is not None else None
        rows.append(values)
    _insert(sa.table('toil_incidents', *(sa.column(c) for c in (*INCIDENT, 'top_component', 'top_kind',
                                                               'published_at'))), rows)
    op.execute("INSERT INTO toil_alerts (incident_id, fingerprint, alertname, status, count, position) "
               "SELECT incident_id, fingerprint, alertname, status, count, "
               "ROW_NUMBER() OVER (PARTITION BY incident_id ORDER BY id) - 1 FROM alerts")
    evidence = sa.table('evidence', sa.column('incident_id'), sa.column('domain'), sa.column('status'),
                        sa.column('payload', sa.JSON))
    errors = {(r.incident_id, r.domain): str(r.error or 'error')[:300] for r in bind.execute(
        sa.select(evidence.c.incident_id, evidence.c.domain, evidence.c.payload['error'].label('error'))
        .where(evidence.c.status == 'error'))}
    investigations = sa.table('investigations', sa.column('incident_id'), sa.column('domain'), sa.column('status'))
    domains = [{'incident_id': r.incident_id, 'domain': r.domain, 'status': r.status,
                'error': errors.get((r.incident_id, r.domain))} for r in bind.execute(sa.select(investigations))]
    _insert(sa.table('toil_domains', *(sa.column(c) for c in ('incident_id', 'domain', 'status', 'error'))), domains)


def downgrade() -> None:
    op.drop_table('toil_domains')
    op.drop_table('toil_alerts')
    with op.batch_alter_table('toil_incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_toil_incidents_created_at')
    op.drop_table('toil_incidents')
