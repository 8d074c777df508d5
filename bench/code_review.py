"""Code review: precision and recall against planted flaws, beside bandit alone in the same run; time per
10k lines of code.

Apps: the development apps the rules were written against (tests/_platform/domains/code/apps) and held-out apps written
afterwards and never used to develop the rules (bench/code_review_apps). A finding counts when its kind, file
and line (within one line) match a planted flaw; bandit's checks are mapped onto the same kinds (an unmapped
bandit check is a false positive unless it lands on a planted line). The fixed versions of the dev apps must
give no finding at all.

The headline row is the review as the product runs it: the code MCP server's `review_code` tool over an
in-process MCP session, on the app written to a directory named in SREO_CODE_REPOS (bench/code_review_served.py,
shared with code_review_heldout.py); its time includes starting the server for each app. The other rows call the
review function directly, to show what the rules, the patch checks and bandit each cost.

    python bench/code_review.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.code_review_served import reviewed_by_the_product
from functions._platform.domains.code.bandit_scan import bandit_issues
from functions._platform.domains.code.model import CodeIssue, Project
from functions._platform.domains.code.review import review_project

SETS = {"dev": ROOT / "tests" / "_platform" / "domains" / "code" / "apps", "held-out": ROOT / "bench" / "code_review_apps"}


Found = list[tuple[str, str, int]]


def files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def planted(app: Path) -> list[tuple[str, str, int]]:
    sources = files(app / "planted")
    flaws = []
    for flaw in yaml.safe_load((app / "flaws.yaml").read_text()):
        lines = sources[flaw["file"]].splitlines()
        flaws.append((flaw["kind"], flaw["file"], next(i for i, t in enumerate(lines, 1) if flaw["at"] in t)))
    return flaws


def score(found: list[tuple[str, str, int]], flaws: list[tuple[str, str, int]]) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives); each flaw matched at most once."""
    remaining, tp, fp = list(flaws), 0, 0
    for kind, path, line in found:
        match = next((f for f in remaining if f[0] == kind and f[1] == path and abs(f[2] - line) <= 1), None)
        if match:
            remaining.remove(match)
            tp += 1
        elif any(f[1] == path and f[2] == line for f in flaws):
            continue  # a second report of an already counted flaw (another engine or kind): neither
        else:
            fp += 1
    return tp, fp, len(remaining)


def _direct(review: Callable[[Project], list[CodeIssue]]) -> Callable[[dict[str, str]], Found]:
    return lambda sources: [(i.rule, i.file, i.line) for i in review(Project.from_files(sources))]


ENGINES: dict[str, Callable[[dict[str, str]], Found]] = {
    "sreo review_code (MCP: rules + bandit MEDIUM+)": reviewed_by_the_product,
    "sreo review (rules + bandit MEDIUM+)": _direct(lambda p: review_project(p).issues),
    "sreo rules only": _direct(lambda p: review_project(p, use_bandit=False).issues),
    "sreo rules only, no patches": _direct(lambda p: review_project(p, use_bandit=False, check_patches=False).issues),
    "bandit alone (all)": _direct(lambda p: bandit_issues(p)),
    "bandit alone (MEDIUM+)": _direct(lambda p: bandit_issues(p, None, "MEDIUM", "MEDIUM")),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing repeats (median)")
    args = parser.parse_args()
    print("| apps | engine | TP | FP | FN | precision | recall | FP on fixed | s per 10k LOC |")
    print("|---|---|---|---|---|---|---|---|---|")
    for set_name, base in SETS.items():
        apps = sorted(p for p in base.iterdir() if (p / "flaws.yaml").exists())
        sources = {app.name: files(app / "planted") for app in apps}
        loc = sum(text.count("\n") + 1 for app in sources.values() for text in app.values())
        for engine, run in ENGINES.items():
            tp = fp = fn = fixed_fp = 0
            times = []
            for repeat in range(args.repeat):
                started = time.perf_counter()
                results = {name: run(app) for name, app in sources.items()}
                times.append(time.perf_counter() - started)
            for app in apps:
                a, b, c = score(results[app.name], planted(app))
                tp, fp, fn = tp + a, fp + b, fn + c
                if (app / "fixed").exists():
                    fixed_fp += len(run(files(app / "fixed")))
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            per_10k = sorted(times)[len(times) // 2] / loc * 10_000
            fixed = str(fixed_fp) if set_name == "dev" else "n/a"
            print(f"| {set_name} ({len(apps)} apps, {loc} lines) | {engine} | {tp} | {fp} | {fn} | {precision:.2f} "
                  f"| {recall:.2f} | {fixed} | {per_10k:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
