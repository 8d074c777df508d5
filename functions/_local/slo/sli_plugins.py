"""SLI plugins: Python files that turn `sli.plugin{id, options}` into a raw error-ratio query.

A plugin file defines `SLI_PLUGIN_ID = "..."` and
`def sli_plugin(meta: dict[str, str], labels: dict[str, str], options: dict[str, str]) -> str`.
`meta` carries `service`, `slo` and `objective`. The returned query may use `{{.window}}`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

SLIPluginFunc = Callable[[dict[str, str], dict[str, str], dict[str, str]], str]


class SLIPluginError(ValueError):
    pass


class SLIPluginRegistry:
    def __init__(self) -> None:
        self._plugins: dict[str, SLIPluginFunc] = {}

    def register(self, plugin_id: str, func: SLIPluginFunc) -> None:
        if plugin_id in self._plugins:
            raise SLIPluginError(f"SLI plugin {plugin_id!r} is registered twice")
        self._plugins[plugin_id] = func

    def load_directory(self, directory: Path) -> None:
        """Register every `*.py` under `directory` that defines an SLI plugin."""
        if not Path(directory).is_dir():
            raise SLIPluginError(f"SLI plugin path {directory} is not a directory")
        for path in sorted(Path(directory).rglob("*.py")):
            spec = importlib.util.spec_from_file_location(f"sreo_sli_plugin_{path.stem}", path)
            if spec is None or spec.loader is None:
                continue
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            plugin_id = getattr(module, "SLI_PLUGIN_ID", None)
            func = getattr(module, "sli_plugin", None)
            if plugin_id and callable(func):
                self.register(plugin_id, func)

    def run(self, plugin_id: str, meta: dict[str, str], labels: dict[str, str], options: dict[str, str]) -> str:
        func = self._plugins.get(plugin_id)
        if func is None:
            known = ", ".join(sorted(self._plugins)) or "none loaded; pass --sli-plugins-path"
            raise SLIPluginError(f"unknown SLI plugin {plugin_id!r} (known: {known})")
        try:
            return func(dict(meta), dict(labels), dict(options))
        except Exception as exc:  # a plugin is user code; report any failure as a spec error
            raise SLIPluginError(f"SLI plugin {plugin_id!r} failed: {exc}") from exc
