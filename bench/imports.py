"""Cold-import time of each deployable function module, each in a fresh interpreter, beside baselines.

A scale-to-zero function's cold start is mostly its import time. Each module is imported in a new
`python` process (interpreter start-up excluded), `--repeat` times after one warm-up run; the median is
printed with the heavy SDKs and optional modules that the import dragged in (they must load lazily, on
first use). The adapters import only functions-framework and load their handlers on the first request, so
the time to import those handler modules (what the first request pays) is printed beside. The machine's
load average is printed too: on a shared machine, compare with the baselines.

    python bench/imports.py [--repeat 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

# adapter module -> the modules its first request loads (the adapters import only functions-framework)
MODULES = {
    "functions.triage.func": ["functions._platform.adapter", "functions.triage.events", "functions.triage.routes"],
    "functions.agents.func": ["functions._platform.consumer", "functions.agents.events"],
    "functions.correlate.func": ["functions._platform.consumer", "functions.correlate.events"],
    "functions.report.func": ["functions._platform.adapter", "functions.report.events", "functions.report.routes"],
    "functions.scan.func": ["functions._platform.adapter", "functions.scan.events", "functions.scan.routes"],
}
BASELINES = ["functions_framework", "pydantic", "sqlalchemy"]
HEAVY = ["boto3", "botocore", "google.genai", "kubernetes", "opensearchpy", "torch", "psycopg",
         "sentence_transformers", "fastapi", "drain3", "mcp", "httpx", "rich"]
TARGET_MS = 300.0

PROBE = """
import importlib, json, sys, time
started = time.perf_counter()
import {module}
elapsed = time.perf_counter() - started
heavy = [name for name in {heavy!r} if name in sys.modules]
modules = len(sys.modules)
started = time.perf_counter()
for name in {first_request!r}:
    importlib.import_module(name)
first = time.perf_counter() - started
print(json.dumps({{"ms": elapsed * 1000, "heavy": heavy, "modules": modules, "first_ms": first * 1000,
                  "first_heavy": [name for name in {heavy!r} if name in sys.modules and name not in heavy]}}))
"""


def probe(module: str, first_request: list[str]) -> dict:
    # bytecode is written and reused, as in the image (`uv sync --compile-bytecode`); the warm-up run writes it
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run([sys.executable, "-c", PROBE.format(module=module, heavy=HEAVY, first_request=first_request)], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"import {module} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(module: str, repeat: int, first_request: list[str] | None = None) -> dict:
    probe(module, first_request or [])  # warm-up: writes missing bytecode, fills the page cache
    runs = [probe(module, first_request or []) for _ in range(repeat)]
    times = [run["ms"] for run in runs]
    return {"module": module, "median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
            "max_ms": round(max(times), 1), "modules_loaded": runs[-1]["modules"], "heavy": runs[-1]["heavy"],
            "first_request_ms": round(statistics.median(run["first_ms"] for run in runs), 1) if first_request
            else None, "first_request_heavy": runs[-1]["first_heavy"]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="fresh interpreters per module")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    baselines = [measure(m, args.repeat) for m in BASELINES]
    functions = [measure(m, args.repeat, first) for m, first in MODULES.items()]
    if args.json:
        print(json.dumps({"baselines": baselines, "functions": functions}, indent=2))
        return
    print(f"cold import, median of {args.repeat} fresh interpreters (python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}); target {TARGET_MS:.0f} ms per function")
    print("| module | median ms | min ms | max ms | modules | heavy or optional modules loaded | target "
          "| + first request's imports, ms | loaded by them |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in baselines + functions:
        verdict = "baseline" if row["module"] in BASELINES else (
            "ok" if row["median_ms"] < TARGET_MS else "OVER")
        first = "-" if row["first_request_ms"] is None else f"{row['first_request_ms']:.0f}"
        print(f"| {row['module']} | {row['median_ms']:.0f} | {row['min_ms']:.0f} | {row['max_ms']:.0f} "
              f"| {row['modules_loaded']} | {', '.join(row['heavy']) or '-'} | {verdict} | {first} "
              f"| {', '.join(row['first_request_heavy']) or '-'} |")


if __name__ == "__main__":
    main()
