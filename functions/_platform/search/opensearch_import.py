"""Import opensearch-py despite the name clash on the top-level module `events`.

opensearch-py runs `from events import Events`, meaning the third-party `Events` distribution. This
repository's own contract package is also called `events`, and whichever comes first on `sys.path`
wins. While opensearch-py is imported, `sys.modules["events"]` briefly points at the third-party
module, then goes back to whatever it was.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from importlib import metadata
from types import ModuleType


def _third_party_events() -> tuple[ModuleType, importlib.machinery.ModuleSpec]:
    init = metadata.distribution("Events").locate_file("events/__init__.py")
    spec = importlib.util.spec_from_file_location("events", str(init), submodule_search_locations=[])
    if spec is None or spec.loader is None:
        raise ImportError("cannot load the Events distribution that opensearch-py needs")
    module = importlib.util.module_from_spec(spec)
    assert spec.submodule_search_locations is not None
    spec.submodule_search_locations.append(str(init.parent))
    return module, spec


def import_opensearchpy() -> ModuleType:
    if "opensearchpy" in sys.modules:
        return sys.modules["opensearchpy"]
    current = sys.modules.get("events")
    if current is not None and hasattr(current, "Events"):
        return importlib.import_module("opensearchpy")
    saved = {name: mod for name, mod in sys.modules.items() if name == "events" or name.startswith("events.")}
    module, spec = _third_party_events()
    for name in saved:
        del sys.modules[name]
    sys.modules["events"] = module
    try:
        assert spec.loader is not None
        spec.loader.exec_module(module)
        return importlib.import_module("opensearchpy")
    finally:
        for name in [n for n in sys.modules if n == "events" or n.startswith("events.")]:
            del sys.modules[name]
        sys.modules.update(saved)
