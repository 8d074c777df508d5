"""Compare `sreo slo generate` with Sloth's own generated rules, case by case.

Reads `<data-root>/slo/sloth_cases.jsonl` and each case's `input.yaml` / `expected.yaml`, runs the generator
with the options the case records (`sloth_args`, `default_slo_period`, `windows_yaml`) and compares rules
semantically: same rule names in the same groups, same expressions up to whitespace and label order, same
labels and annotations, same group intervals. Prints matched/total rules per case and overall.

    python bench/slo_sloth.py [--data-root ../shared/data] [--sli-plugins-path DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from functions._local.slo import GenerateOptions, SpecError, generate

EXAMPLE_SLI_PLUGINS = REPO_ROOT / "functions/_local/slo/examples/sli_plugins"
_SELECTOR_RE = re.compile(r"\{([^{}]*)\}")
_GROUPING_RE = re.compile(r"\b(by|without|on|ignoring)\(([^()]*)\)")


def _split_matchers(body: str) -> list[str]:
    parts, current, quote = [], "", False
    for char in body:
        if char == '"' and not current.endswith("\\"):
            quote = not quote
        if char == "," and not quote:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return sorted(p for p in parts if p)


def normalize_expr(expr: str) -> str:
    """Whitespace-free, with selector matchers and grouping labels in sorted order."""
    text = re.sub(r"\s+", "", expr)
    text = _SELECTOR_RE.sub(lambda m: "{" + ",".join(_split_matchers(m.group(1))) + "}", text)
    return _GROUPING_RE.sub(lambda m: f"{m.group(1)}({','.join(sorted(m.group(2).split(',')))})", text)


def rule_groups(documents: list[Any]) -> list[dict[str, Any]]:
    groups = []
    for doc in documents:
        if isinstance(doc, dict):
            groups += (doc.get("spec") or {}).get("groups") or doc.get("groups") or []
    return groups


def keyed_rules(groups: list[dict[str, Any]]) -> dict[tuple[str, str, str, int], dict[str, Any]]:
    keyed: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    for group in groups:
        counts: dict[tuple[str, str], int] = {}
        for rule in group.get("rules") or []:
            kind = "record" if "record" in rule else "alert"
            name = str(rule.get(kind))
            index = counts.get((kind, name), 0)
            counts[(kind, name)] = index + 1
            keyed[(str(group.get("name")), kind, name, index)] = {
                "expr": normalize_expr(str(rule.get("expr", ""))),
                "labels": {str(k): str(v) for k, v in (rule.get("labels") or {}).items()},
                "annotations": {str(k): str(v) for k, v in (rule.get("annotations") or {}).items()},
                "for": rule.get("for"),
                "interval": group.get("interval"),
            }
    return keyed


def options_for(case: dict[str, Any], workdir: Path, plugin_paths: list[Path]) -> GenerateOptions:
    args = []
    for token in shlex.split(re.sub(r"\(.*?\)", "", case.get("sloth_args") or "")):
        args += token.split("=", 1) if token.startswith("--") and "=" in token else [token]
    labels: dict[str, str] = {}
    period = case.get("default_slo_period") or "30d"
    disable_alerts = disable_recordings = False
    for index, arg in enumerate(args):
        value = args[index + 1] if index + 1 < len(args) else ""
        if arg in ("--extra-labels", "-l"):
            key, _, val = value.partition("=")
            labels[key] = val
        elif arg in ("--default-slo-period", "-s"):
            period = value
        elif arg == "--disable-alerts":
            disable_alerts = True
        elif arg == "--disable-recordings":
            disable_recordings = True
    windows_path = None
    if case.get("windows_yaml"):
        windows_path = workdir / "windows"
        windows_path.mkdir()
        (windows_path / "windows.yaml").write_text(case["windows_yaml"])
    return GenerateOptions(default_period=period, extra_labels=labels, disable_alerts=disable_alerts,
                           disable_recordings=disable_recordings, windows_path=windows_path,
                           sli_plugin_paths=plugin_paths)


def compare(expected: dict, actual: dict, verbose: bool) -> tuple[int, list[str]]:
    matched, problems = 0, []
    for key, want in expected.items():
        got = actual.get(key)
        if got is None:
            problems.append(f"missing {key}")
        elif got != want:
            fields = [f for f in want if want[f] != got[f]]
            problems.append(f"differs {key} in {', '.join(fields)}")
            if verbose:
                for f in fields:
                    problems.append(f"    want {want[f]!r}\n    got  {got[f]!r}")
        else:
            matched += 1
    problems += [f"unexpected {key}" for key in actual if key not in expected]
    return matched, problems


def run_case(case: dict[str, Any], case_dir: Path, plugin_paths: list[Path], verbose: bool) -> tuple[int, int, list]:
    input_path, expected_path = case_dir / "input.yaml", case_dir / "expected.yaml"
    spec_text = input_path.read_text() if input_path.exists() else case.get("input_yaml")
    expected_text = expected_path.read_text() if expected_path.exists() else case.get("expected_yaml")
    if spec_text is None or expected_text is None:
        return 0, 0, [f"no input/expected in {case_dir} or in the case record"]
    expected = keyed_rules(rule_groups(list(yaml.safe_load_all(expected_text))))
    with tempfile.TemporaryDirectory() as tmp:
        try:
            actual_docs = generate(spec_text, options_for(case, Path(tmp), plugin_paths))
        except SpecError as exc:
            return 0, len(expected), [f"generation failed: {exc}"]
    actual = keyed_rules(rule_groups(json.loads(json.dumps(actual_docs))))
    matched, problems = compare(expected, actual, verbose)
    return matched, len(expected), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", type=Path, default=REPO_ROOT / ".." / "shared" / "data")
    parser.add_argument("--sli-plugins-path", type=Path, action="append", default=None,
                        help=f"SLI plugin directory (default: the bundled examples, {EXAMPLE_SLI_PLUGINS})")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)

    slo_root = args.data_root.resolve() / "slo"
    cases_file = slo_root / "sloth_cases.jsonl"
    if not cases_file.is_file():
        print(f"no Sloth cases: {cases_file} not found (pass --data-root)", file=sys.stderr)
        return 2
    cases = [json.loads(line) for line in cases_file.read_text().splitlines() if line.strip()]
    if not cases:
        print(f"no Sloth cases in {cases_file}", file=sys.stderr)
        return 2
    plugin_paths = args.sli_plugins_path if args.sli_plugins_path is not None else [EXAMPLE_SLI_PLUGINS]

    total_rules = matched_rules = matched_cases = 0
    for case in cases:
        case_dir = slo_root / case.get("split", "dev") / case["case_id"]
        matched, total, problems = run_case(case, case_dir, plugin_paths, args.verbose)
        ok = total > 0 and matched == total and not problems
        matched_cases += ok
        matched_rules += matched
        total_rules += total
        print(f"{'ok  ' if ok else 'FAIL'} {case['case_id']}: {matched}/{total} rules")
        for problem in problems[:20]:
            print(f"      {problem}")
    print(f"overall: cases {matched_cases}/{len(cases)}, rules {matched_rules}/{total_rules}")
    return 0 if matched_cases == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
