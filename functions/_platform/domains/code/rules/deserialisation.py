"""unsafe_deserialisation (CWE-502): pickle/marshal/shelve/jsonpickle loads, `yaml.load` without a safe
loader, `yaml.unsafe_load`, by whatever name the module imported them under. Fix: `yaml.safe_load` (an edit
where the call names `yaml` itself); pickle and friends get a written suggestion."""

from __future__ import annotations

import ast

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.rules.contract import (
    call_name,
    imported_names,
    issue,
    keyword,
    node_edit,
    qualified_name,
    source,
)

UNSAFE = {"pickle.loads", "pickle.load", "cPickle.loads", "cPickle.load", "marshal.loads", "marshal.load",
          "jsonpickle.decode", "dill.loads", "dill.load", "shelve.open", "pandas.read_pickle"}
SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader"}


class UnsafeDeserialisation:
    name = "unsafe_deserialisation"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        found, imported = [], imported_names(module.tree)
        for call in ast.walk(module.tree) if module.tree else ():
            if not isinstance(call, ast.Call):
                continue
            name = qualified_name(call, imported)
            if name in UNSAFE:
                hit = issue(self, module, call, "high", f"{name}() runs code chosen by whoever wrote the data",
                            "CWE-502")
                hit.fix = Fix("Exchange data as JSON (or sign it with hmac and verify before loading); never "
                              f"{name}() bytes that crossed a trust boundary.", "medium")
                found.append(hit)
            elif name in ("yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.full_load"):
                loader = keyword(call, "Loader") or (call.args[1] if len(call.args) > 1 else None)
                if loader is not None and ast.unparse(loader).split(".")[-1] in SAFE_LOADERS:
                    continue
                hit = issue(self, module, call, "high", f"{name}() without SafeLoader can build arbitrary "
                            "Python objects", "CWE-502")
                safe = "yaml.safe_load_all" if name.endswith("_all") else "yaml.safe_load"
                hit.fix = Fix(f"Use {safe}().", "medium")
                if call.args and call_name(call) == name:
                    hit.fix.edits = [node_edit(module, call, f"{safe}({source(module, call.args[0])})")]
                found.append(hit)
        return found
