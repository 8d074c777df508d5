"""The indexes the orchestrator keeps, one schema each, shared by every backend."""

from __future__ import annotations

from .models import FieldSpec, FieldType, IndexSchema

LOGS_INDEX = "sreo-logs"
RUNBOOKS_INDEX = "sreo-runbooks"

LOGS_SCHEMA = IndexSchema(
    name=LOGS_INDEX,
    time_field="timestamp",
    fields=(
        FieldSpec(name="timestamp", type=FieldType.DATE),
        FieldSpec(name="service", type=FieldType.KEYWORD),
        FieldSpec(name="level", type=FieldType.KEYWORD),
        FieldSpec(name="message", type=FieldType.TEXT, boost=2.0),
        FieldSpec(name="raw", type=FieldType.TEXT),
        FieldSpec(name="host", type=FieldType.KEYWORD),
        FieldSpec(name="source_ip", type=FieldType.KEYWORD),
        FieldSpec(name="status", type=FieldType.INTEGER),
        FieldSpec(name="method", type=FieldType.KEYWORD),
        FieldSpec(name="path", type=FieldType.KEYWORD),
        FieldSpec(name="user", type=FieldType.KEYWORD),
        FieldSpec(name="program", type=FieldType.KEYWORD),
        FieldSpec(name="template", type=FieldType.KEYWORD),
        FieldSpec(name="file", type=FieldType.KEYWORD),
        FieldSpec(name="bytes", type=FieldType.INTEGER),
        FieldSpec(name="latency_ms", type=FieldType.INTEGER),
        # where the message starts in `raw` when it ends the line (the message is then not stored twice)
        FieldSpec(name="message_at", type=FieldType.INTEGER),
        FieldSpec(name="pid", type=FieldType.INTEGER),
    ),
)

# One document per runbook section. `title` (runbook title and alert name, split into words) names what
# the alert means, so it weighs more than section bodies, which are mostly commands and remedies.
RUNBOOKS_SCHEMA = IndexSchema(
    name=RUNBOOKS_INDEX,
    fields=(
        FieldSpec(name="id", type=FieldType.KEYWORD),
        FieldSpec(name="alert", type=FieldType.KEYWORD),
        FieldSpec(name="alert_key", type=FieldType.KEYWORD),
        FieldSpec(name="component", type=FieldType.KEYWORD),
        FieldSpec(name="section", type=FieldType.KEYWORD),
        FieldSpec(name="path", type=FieldType.KEYWORD),
        FieldSpec(name="ordinal", type=FieldType.INTEGER),
        FieldSpec(name="title", type=FieldType.TEXT, boost=2.0),
        FieldSpec(name="heading", type=FieldType.TEXT),
        FieldSpec(name="body", type=FieldType.TEXT),
        FieldSpec(name="embedding", type=FieldType.VECTOR),
    ),
)

SCHEMAS: dict[str, IndexSchema] = {LOGS_INDEX: LOGS_SCHEMA, RUNBOOKS_INDEX: RUNBOOKS_SCHEMA}


def schema_for(index: str) -> IndexSchema:
    """The schema of `index`; `sreo-logs-test` and the like share their family's schema."""
    if index in SCHEMAS:
        return SCHEMAS[index]
    for family, schema in SCHEMAS.items():
        if index.startswith(family + "-"):
            return schema.model_copy(update={"name": index})
    raise KeyError(f"unknown index {index!r}; known: {', '.join(SCHEMAS)}")
