"""Generate `sreo_events/schemas/*.json` from the payload models: `python -m sreo_events.schemas`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sreo_events.envelope import MODELS

SCHEMA_DIR = Path(__file__).parent / "schemas"


def render() -> dict[str, str]:
    return {
        f"{event_type}.json": json.dumps(
            {"$id": event_type, **model.model_json_schema()}, indent=2, sort_keys=True
        ) + "\n"
        for event_type, model in MODELS.items()
    }


def main() -> int:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, text in render().items():
        (SCHEMA_DIR / name).write_text(text)
    print(f"wrote {len(MODELS)} schemas to {SCHEMA_DIR}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
