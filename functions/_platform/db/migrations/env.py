from alembic import context

import functions._platform.db.approvals
import functions._platform.db.fan_ins
import functions._platform.db.idempotency
import functions._platform.db.report_incidents
import functions._platform.db.review_tasks
import functions._platform.db.scan_copies
import functions._platform.db.toil
import functions._platform.db.toil_copies
import functions._platform.outbox.store
import functions._platform.topology.models  # noqa: F401
from functions._platform.db.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    context.run_migrations()
