"""report_incidents, report_alerts, report_waiting_correlations: report's own record of each incident and
its alerts, and correlations that arrive before it opens

Revision ID: 0010_report_incidents
Revises: 0009_fan_ins
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_report_incidents'
down_revision = '0009_fan_ins'
branch_labels = None
depends_on = None

BATCH = 500
COPIED = ('id', 'title', 'description', 'service', 'namespace', 'severity', 'status', 'source', 'started_at',
          'window_start', 'window_end', 'created_at', 'correlated_at', 'reported_at', 'resolved_at')
JSONS = ('domains', 'classification', 'runbooks')


def upgrade() -> None:
    op.create_table('report_incidents',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('service', sa.String(length=200), nullable=True),
    sa.Column('namespace', sa.String(length=200), nullable=True),
    sa.Column('severity', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('domains', sa.JSON(), nullable=False),
    sa.Column('classification', sa.JSON(), nullable=False),
    sa.Column('alertnames', sa.JSON(), nullable=False),
    sa.Column('runbooks', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('window_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('correlated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report_incidents', schema=None) as batch_op:
        batch_op.create_index('ix_report_incidents_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_report_incidents_service', ['service'], unique=False)
        batch_op.create_index('ix_report_incidents_started_at', ['started_at'], unique=False)
        batch_op.create_index('ix_report_incidents_status', ['status'], unique=False)
    op.create_table('report_alerts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('incident_id', sa.String(length=40), nullable=False),
    sa.Column('fingerprint', sa.String(length=200), nullable=False),
    sa.Column('alertname', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('annotations', sa.JSON(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('incident_id', 'fingerprint')
    )
    with op.batch_alter_table('report_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_report_alerts_incident_id', ['incident_id'], unique=False)
    op.create_table('report_waiting_correlations',
    sa.Column('incident_id', sa.String(length=40), nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('correlated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('incident_id')
    )
    _back_fill()


def _back_fill() -> None:
    """Incidents stored before the upgrade stay listable and reportable: report's copy starts as triage's rows."""
    bind = op.get_bind()
    incidents = sa.table('incidents', *(sa.column(c) for c in COPIED), *(sa.column(c, sa.JSON) for c in JSONS))
    copies = sa.table('report_incidents', *(sa.column(c) for c in COPIED),
                      *(sa.column(c, sa.JSON) for c in (*JSONS, 'alertnames')))
    rows = [dict(row._mapping) for row in bind.execute(sa.select(incidents).order_by(incidents.c.created_at))]
    for row in rows:
        row['alertnames'] = _alertnames(row.get('classification') or {})
        row['domains'], row['runbooks'] = row.get('domains') or [], row.get('runbooks') or []
        row['classification'] = row.get('classification') or {}
        row['description'] = row.get('description') or ''
    for start in range(0, len(rows), BATCH):
        bind.execute(copies.insert(), rows[start:start + BATCH])
    op.execute("INSERT INTO report_alerts (incident_id, fingerprint, alertname, status, count, labels, annotations, "
               "starts_at) SELECT incident_id, fingerprint, alertname, status, count, labels, annotations, starts_at "
               "FROM alerts ORDER BY id")


def _alertnames(classification: dict) -> list:
    """As triage names them in `incident.reported`: the `alertname X` reasons of its classification."""
    return sorted({reason.split(' ', 1)[1] for reasons in classification.values() for reason in reasons
                   if isinstance(reason, str) and reason.startswith('alertname ')})


def downgrade() -> None:
    op.drop_table('report_waiting_correlations')
    with op.batch_alter_table('report_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_report_alerts_incident_id')
    op.drop_table('report_alerts')
    with op.batch_alter_table('report_incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_report_incidents_status')
        batch_op.drop_index('ix_report_incidents_started_at')
        batch_op.drop_index('ix_report_incidents_service')
        batch_op.drop_index('ix_report_incidents_created_at')
    op.drop_table('report_incidents')
