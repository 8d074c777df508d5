"""Full-text search over logs and runbooks behind one interface: SQLite FTS5 embedded, or OpenSearch."""

from .contract import Operator, SearchBackend, query_terms
from .models import Bucket, FieldType, Filters, Hit, IndexSchema, IntRange, TermCount, TimeRange
from .registry import get_search_backend, sqlite_search_path
from .schemas import LOGS_INDEX, LOGS_SCHEMA, RUNBOOKS_INDEX, RUNBOOKS_SCHEMA, schema_for

__all__ = [
    "LOGS_INDEX",
    "LOGS_SCHEMA",
    "RUNBOOKS_INDEX",
    "RUNBOOKS_SCHEMA",
    "Bucket",
    "FieldType",
    "Filters",
    "Hit",
    "IndexSchema",
    "IntRange",
    "Operator",
    "SearchBackend",
    "TermCount",
    "TimeRange",
    "get_search_backend",
    "query_terms",
    "schema_for",
    "sqlite_search_path",
]
