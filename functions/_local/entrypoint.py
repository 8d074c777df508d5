"""The image's entrypoint: one function by FUNCTION_TARGET alone, or the whole orchestrator (`sreo serve`).

- `FUNCTION_TARGET=triage_http`: serve that functions-framework target; its source file comes from the Service
  in kustomize that names the target, unless FUNCTION_SOURCE says otherwise.
- no FUNCTION_TARGET: `sreo serve` on 0.0.0.0:$PORT (every function, the local broker and the REST API).
- arguments: run them instead (`docker run IMAGE sreo demo`).

A deployed function (Knative sets K_SERVICE) with no SREO_DATABASE_URL stops here with one clear line."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping


class StartError(RuntimeError):
    pass


def source_of(target: str) -> str:
    from functions._local import manifests

    found = {service.target: service.source for service in manifests.services(manifests.load_documents()).values()}
    if target not in found:
        raise StartError(f"FUNCTION_TARGET={target} is no function of this image; known: {', '.join(sorted(found))}")
    return str(found[target].relative_to(manifests.PROJECT_ROOT))


def command(environ: Mapping[str, str], argv: list[str]) -> list[str]:
    """The command line this container runs."""
    if argv:
        return argv
    port = environ.get("PORT", "8080")
    target = environ.get("FUNCTION_TARGET", "")
    if not target:
        return ["sreo", "serve", "--host", "0.0.0.0", "--port", port]
    from functions._platform.config import Settings

    problem = Settings().store_problem()
    if problem:
        raise StartError(problem)
    source = environ.get("FUNCTION_SOURCE") or source_of(target)
    return ["functions-framework", f"--source={source}", f"--target={target}", "--host=0.0.0.0", f"--port={port}"]


def main() -> None:
    try:
        argv = command(os.environ, sys.argv[1:])
    except StartError as exc:
        print(f"sreo: cannot start: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main()
