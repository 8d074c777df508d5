"""Endpoint-scoped reviews and app-wide flaws: for every route of the sample apps (dev and held-out, planted
versions), the review scoped to that endpoint, beside the same scope without the setup code of the app serving
it (the scope as it was before app-wide findings).

Per app: the endpoints reviewed; the planted flaws the endpoint reviews report, over all endpoints (each flaw
counted once per app); of those, the app-wide ones (marked with the app); and, among the endpoints with findings
of their own, how many have their code cause headed by an app-wide flaw when the review's findings go through
correlate, with the app-wide mark honoured and with it stripped (what the ranking did before it knew the mark).

    python bench/code_review_scoped.py
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.code_review import SETS, files, planted, score
from functions._platform.domains.code.findings import APP_WIDE_KEY, to_finding
from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import review_project
from functions._platform.domains.code.rules.contract import last_attr, route_decorator
from functions._platform.domains.code.scope import Scope, endpoint_scope
from functions.correlate.causes import diagnose
from sreo_events.models import EvidenceCollected

PARAM = re.compile(r"<[^>]+>|\{[^}]+\}")


def endpoints(project: Project) -> list[str]:
    """Each route's path as a client would call it (parameters filled in), from decorators and Django urls."""
    found = []
    for module in project.python():
        for node in ast.walk(module.tree):  # type: ignore[arg-type]
            route = route_decorator(node) if isinstance(node, ast.expr) else None
            if route:
                found.append(route[0])
            elif (isinstance(node, ast.Call) and last_attr(node) in ("path", "re_path") and node.args
                  and isinstance(node.args[0], ast.Constant) and module.path.rsplit("/", 1)[-1].startswith("urls")):
                found.append("/" + str(node.args[0].value))
    return sorted({PARAM.sub("1", path) for path in found})


def headed_by_app_wide(findings, honour: bool) -> bool:
    if not honour:
        findings = [f.model_copy(update={"evidence": {k: v for k, v in f.evidence.items() if k != APP_WIDE_KEY}})
                    for f in findings]
    causes = diagnose([EvidenceCollected(incident_id="bench", domain="code", status="success", findings=findings)],
                      affected="svc").causes
    return bool(causes) and bool(causes[0].evidence[0].evidence.get("app"))


def main() -> None:
    print("| app | endpoints | planted flaws found (app-wide scope / handler-only scope) | not planted | app-wide among them | "
          "endpoints with own findings whose cause an app-wide flaw heads (mark honoured / stripped) |")
    print("|---|---|---|---|---|---|")
    totals = [0] * 9
    for root in SETS.values():
        for app in sorted(p for p in root.iterdir() if (p / "flaws.yaml").exists()):
            project = Project.from_files(files(app / "planted"))
            flaws = planted(app)
            seen: dict[str, set] = {"wide": set(), "plain": set()}
            wide_flaws, honoured, stripped, reviewed, owning = set(), 0, 0, 0, 0
            for endpoint in endpoints(project):
                scope = endpoint_scope(project, endpoint)
                if not scope.handlers:
                    continue
                reviewed += 1
                review = review_project(project, scope, use_bandit=False, check_patches=False)
                plain = review_project(project, Scope(scope.files, scope.handlers), use_bandit=False,
                                       check_patches=False)
                seen["wide"] |= {(i.rule, i.file, i.line) for i in review.issues}
                seen["plain"] |= {(i.rule, i.file, i.line) for i in plain.issues}
                wide_flaws |= {(i.rule, i.file, i.line) for i in review.issues if i.app}
                findings = [to_finding(i, "svc", "bench", endpoint) for i in review.issues]
                if all(i.app for i in review.issues):
                    continue
                owning += 1
                honoured += headed_by_app_wide(findings, True)
                stripped += headed_by_app_wide(findings, False)
            (found_wide, extra, _), (found_plain, _, _) = (score(sorted(seen[k]), flaws) for k in ("wide", "plain"))
            wide_tp = score(sorted(wide_flaws), flaws)[0]
            row = [reviewed, found_wide, found_plain, len(flaws), extra, wide_tp, owning, honoured, stripped]
            totals = [a + b for a, b in zip(totals, row, strict=True)]
            print(f"| {root.name}/{app.name} | {reviewed} | {found_wide} / {found_plain} of {len(flaws)} | {extra} | "
                  f"{wide_tp} | "
                  f"{honoured} / {stripped} of {owning} |")
    reviewed, found_wide, found_plain, flaws, extra, wide_tp, owning, honoured, stripped = totals
    print(f"| total | {reviewed} | {found_wide} / {found_plain} of {flaws} | {extra} | {wide_tp} | {honoured} / {stripped} of "
          f"{owning} |")


if __name__ == "__main__":
    main()
