"""SRE Orchestrator functions.

The contract package `events` shares its name with the `Events` distribution that opensearch-py needs, which
site-packages would otherwise put first; importing `functions` puts the project root ahead of it.
"""

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path[:1]:
    sys.path.insert(0, _ROOT)
    if getattr(sys.modules.get("events"), "Events", None) is not None:
        del sys.modules["events"]
