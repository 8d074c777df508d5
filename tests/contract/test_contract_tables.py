"""Each table is written by the function that owns it (`_platform/db/ownership.py`), read only by it (besides the
shared tables and the reads `READERS` lists, now none), and an incident's status moves only through the one status
writer."""

from __future__ import annotations

import ast
from pathlib import Path

from support.paths import REPO_ROOT

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
from functions._platform.db.ownership import READERS, SHARED, WRITERS

ROOT = REPO_ROOT
FUNCTIONS = sorted(p.name for p in (ROOT / "functions").iterdir()
                   if p.is_dir() and not p.name.startswith(("_", ".")) and (p / "__init__.py").exists())
WRITES_ARG0 = {"update", "insert", "delete"}  # update(Model)
WRITES_ARG1 = {"upsert", "insert_unless_conflict", "insert_many", "reach"}  # upsert(session, Model, ...)


def _tables() -> dict[str, str]:
    return {mapper.class_.__name__: mapper.class_.__tablename__ for mapper in Base.registry.mappers}


def _written(path: Path, tables: dict[str, str]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        candidates = []
        if name in WRITES_ARG0 and node.args:
            candidates.append(node.args[0])
        if name in WRITES_ARG1 and len(node.args) > 1:
            candidates.append(node.args[1])
        if name == "add" and node.args and isinstance(node.args[0], ast.Call):  # session.add(Model(...))
            candidates.append(node.args[0].func)
        found |= {tables[c.id] for c in candidates if isinstance(c, ast.Name) and c.id in tables}
    return found


def _violations(folder: Path, function: str, tables: dict[str, str]) -> list[str]:
    return [f"{function}: {path.relative_to(folder)} writes {table}"
            for path in sorted(folder.rglob("*.py")) for table in sorted(_written(path, tables))
            if table not in SHARED and function not in WRITERS.get(table, ())]


def _used(path: Path, tables: dict[str, str]) -> set[str]:
    """Every table whose model the module names (to read it, join it, write it or pass it on)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if name in tables:
            found.add(tables[name])
    return found


def _foreign_reads(folder: Path, function: str, tables: dict[str, str]) -> list[str]:
    return [f"{function}: {path.relative_to(folder)} reads {table}"
            for path in sorted(folder.rglob("*.py")) for table in sorted(_used(path, tables))
            if table not in SHARED and function not in WRITERS.get(table, ()) + READERS.get(table, ())]


def test_every_table_has_its_writers_declared() -> None:
    assert sorted(set(_tables().values()) - set(WRITERS) - SHARED) == []


def test_functions_write_only_the_tables_they_own() -> None:
    tables = _tables()
    problems = [v for name in FUNCTIONS for v in _violations(ROOT / "functions" / name, name, tables)]
    assert problems == []


def test_functions_read_only_their_own_tables_and_the_shared_ones() -> None:
    tables = _tables()
    problems = [v for name in FUNCTIONS for v in _foreign_reads(ROOT / "functions" / name, name, tables)]
    assert problems == []
    assert set(READERS) <= set(WRITERS)
    assert all(reader not in WRITERS[table] for table, readers in READERS.items() for reader in readers)


def test_report_reads_nothing_of_triage() -> None:
    """Report answers from its own copy (report_incidents, report_alerts), filled from triage's events."""
    assert [table for table in ("incidents", "alerts") if "report" in READERS.get(table, ())] == []


def test_scan_reads_nothing_of_another_function() -> None:
    """The supervisor answers from scan's own copies (scan_incidents, scan_fixes, scan_approvals), filled from
    incident.reported, report.published and approval.recorded."""
    assert sorted(table for table, readers in READERS.items() if "scan" in readers) == []


def test_no_function_reads_another_functions_table() -> None:
    """Functions meet only through events: toil, the last reader, now keeps its own facts (toil_incidents,
    toil_alerts, toil_domains) from incident.reported, incident.updated, incident.resolved, evidence.collected and
    report.published, so no cross-function read is left to allow."""
    assert READERS == {}


def _sets_status(path: Path) -> bool:
    """`incident.status = ...` (alone or in a tuple), or `update(Incident)....values(status=...)`."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets = [t for target in (node.targets if isinstance(node, ast.Assign) else [])
                   for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
        if any(isinstance(t, ast.Attribute) and t.attr == "status" and getattr(t.value, "id", "") == "incident"
               for t in targets):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "values" \
                and "update(Incident)" in ast.unparse(node.func.value) \
                and any(k.arg == "status" for k in node.keywords):
            return True
    return False


def test_incident_status_moves_only_through_the_status_writer() -> None:
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "functions").rglob("*.py"))
                 if path != ROOT / "functions" / "_platform" / "db" / "status.py" and _sets_status(path)]
    assert offenders == []


def test_the_ownership_check_can_fail(tmp_path: Path) -> None:
    rogue = tmp_path / "rogue.py"
    rogue.write_text("def f(session):\n    session.add(Report(incident_id='x'))\n    upsert(session, FanIn, {}, [])\n")
    assert _violations(tmp_path, "triage", _tables()) == ["triage: rogue.py writes fan_ins",
                                                          "triage: rogue.py writes reports"]
    rogue.write_text("def f(session, incident):\n    incident.status = 'reported'\n")
    assert _sets_status(rogue)
    rogue.write_text("def f(session, incident, at):\n    incident.status, incident.resolved_at = 'resolved', at\n")
    assert _sets_status(rogue)


def test_the_read_check_can_fail(tmp_path: Path) -> None:
    rogue = tmp_path / "rogue.py"
    rogue.write_text("def f(session, incident_id):\n    incident = session.get(Incident, incident_id)\n"
                     "    return session.scalars(select(AlertRecord.status)), session.get(TimelineEntry, 1)\n")
    assert _foreign_reads(tmp_path, "report", _tables()) == ["report: rogue.py reads alerts",
                                                             "report: rogue.py reads incidents"]
    assert _foreign_reads(tmp_path, "triage", _tables()) == []  # its own tables, and the shared timeline
    rogue.write_text("from functions._platform.db import models\n"
                     "def f(session):\n    return session.get(models.FanIn, 'x')\n")
    assert _foreign_reads(tmp_path, "report", _tables()) == ["report: rogue.py reads fan_ins"]
