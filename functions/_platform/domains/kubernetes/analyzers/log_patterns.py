"""Where a container log line's timestamp ends (`kubectl logs --timestamps`, or the program's own ISO stamp).
What a line says is judged by the shared error vocabulary (functions/_platform/domains/logs/analyzers/vocabulary.py)."""

from __future__ import annotations

import re

TIMESTAMP = re.compile(r"^\s*\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\]?")
