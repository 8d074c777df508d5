"""Code review on deliberately vulnerable apps written by other people, from PyPI: our review and bandit alone,
scored against labels taken from the apps' authors' own marks.

The apps are downloaded at run time into a cache directory (never vendored), pinned by exact version and the
sha256 of the archive (the wheel, or the source archive where the app ships only there); a download whose hash
differs is refused. Only the Python sources (of the app's folder, where the archive holds more) are reviewed.

Labels come from the authors' marks and nothing else, by one of three readers (bench/code_review_marks.py has the
rules): comments that say "Vulnerable..." (the two MCP apps), comments naming each flaw of the module
docstring's list of intentional flaws (presidio-hardened-vuln-scanner's Flask app), or each level's declared
`category` over its app's methods (deadwood-sec, a web-security range on the standard library's HTTP server). In scope (scored): the OWASP
kinds the review reports. Out of scope (OUT_OF_SCOPE, listed in the output with their count, never scored):
flaws of an LLM tool protocol (prompt injection, tool poisoning and shadowing), which live in text handed to a
model, not in a code pattern; information exposure, where what is secret is the app's business logic; excessive
permission scope, a design choice; missing HTTP security headers, a property of every response; and marks that
name no kind. An app that ships its authors' fixed version (presidio's fixed_app) has that reviewed too: every
finding there is counted in the last column ("on fixed"), since its authors say the flaws are gone.

A finding that matches no in-scope label is a false positive, unless it lands inside a span already matched (a
second report of a counted flaw: neither). bandit is scored alone on the same labels with the mapping of its
checks onto our kinds that the review uses (bandit_scan.KIND_OF_TEST). Our review runs as the product runs it
(bench/code_review_served.py): the app's sources are unpacked into a directory named in SREO_CODE_REPOS, and the
code MCP server's `review_code` tool is called over an in-process MCP session, as the code agent calls it; its
findings are scored.

    python bench/code_review_heldout.py [--cache DIR] [--show]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.code_review_marks import OUT_OF_SCOPE, READERS, Label, covers
from bench.code_review_served import reviewed_by_the_product
from functions._platform.domains.code.bandit_scan import bandit_issues
from functions._platform.domains.code.model import Project


@dataclass(frozen=True)
class App:
    name: str
    version: str
    sha256: str  # of the archive PyPI serves
    sdist: bool = False  # the app ships only in the source archive (the wheel holds something else)
    under: str = ""  # the archive's folder that is the app; the rest is not reviewed
    fixed: str = ""  # the archive's folder with the authors' own fixed version, if any
    reader: str = "vulnerable"  # how the authors mark their flaws (code_review_marks.READERS)


APPS = (
    App("mseep-dvmcp", "0.1.0", "40d326662df42c054e3db3c3b9026eb99a2f4d7b1b825ebdb1f72fc8ffcc4736"),
    App("vuln-mcp-filesystem-workspace-actions", "0.1.0",
        "7c888b1a5fecb46d3e0ab490abfe5e66491b66523aac83b41f02b07ece37b3bd"),
    # a Flask app for a course exercise, beside its scanner; its wheel holds only the scanner
    App("presidio-hardened-vuln-scanner", "0.1.0", "04c4d926ba6cd275b21379b8fa8b5249f37643698963e7c68d7f13164fd5afce",
        sdist=True, under="vulnerable_app/", fixed="fixed_app/", reader="named"),
    # a web-security range of fifteen levels (SQL injection, command injection, template eval, access control)
    App("deadwood-sec", "0.5.3", "999cedaabbdbf85776a2330be74f79be29151eff0b49fabda1413b1a156cd6c7", reader="levels"),
)


def fetch(app: App, cache: Path) -> Path:
    """The archive in the cache, downloaded by pip when missing; its hash checked either way."""
    target = cache / f"{app.name}-{app.version}"
    pattern = "*.tar.gz" if app.sdist else "*.whl"
    found = sorted(target.glob(pattern))
    if not found:
        target.mkdir(parents=True, exist_ok=True)
        pip = [sys.executable, "-m", "pip"]
        if subprocess.run([*pip, "--version"], capture_output=True, check=False).returncode != 0:
            pip = [shutil.which("pip3") or shutil.which("pip") or "pip3"]
        kind = ["--no-binary", ":all:"] if app.sdist else ["--only-binary", ":all:"]
        subprocess.run([*pip, "download", "--quiet", "--no-deps", *kind, "-d", str(target),
                        f"{app.name}=={app.version}"], check=True)
        found = sorted(target.glob(pattern))
    digest = hashlib.sha256(found[0].read_bytes()).hexdigest()
    if digest != app.sha256:
        raise SystemExit(f"{found[0].name}: sha256 {digest}, expected {app.sha256}")
    return found[0]


def sources(archive: Path, under: str = "") -> dict[str, str]:
    """The archive's Python sources below `under` (a source archive's top folder left out), by path."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zipped:
            every = {n: zipped.read(n) for n in zipped.namelist() if ".dist-info/" not in n}
    else:
        with tarfile.open(archive) as tarred:
            every = {m.name.split("/", 1)[1]: tarred.extractfile(m).read() for m in tarred.getmembers()
                     if m.isfile() and "/" in m.name}
    return {n: every[n].decode(errors="replace") for n in sorted(every) if n.endswith(".py") and n.startswith(under)}


def score(found: list[tuple[str, str, int]], flaws: list[Label]) -> tuple[int, int, int, list]:
    """(true positives, false positives, false negatives, the false positives); each flaw matched once."""
    remaining, matched, tp, extra = list(flaws), [], 0, []
    for finding in sorted(found, key=lambda f: (f[1], f[2])):
        hit = next((f for f in remaining if covers(f, finding)), None)
        if hit:
            remaining.remove(hit)
            matched.append(hit)
            tp += 1
        elif not any(covers(f, finding) for f in matched):
            extra.append(finding)
    return tp, len(extra), len(remaining), extra


ENGINES = {
    "sreo review (rules + bandit MEDIUM+)": reviewed_by_the_product,
    "bandit alone (all)": lambda files: [(i.rule, i.file, i.line) for i in bandit_issues(Project.from_files(files))],
    "bandit alone (MEDIUM+)": lambda files: [
        (i.rule, i.file, i.line) for i in bandit_issues(Project.from_files(files), None, "MEDIUM", "MEDIUM")],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "sreo-bench" / "heldout")
    parser.add_argument("--show", action="store_true", help="list each app's labels, misses and false positives")
    args = parser.parse_args()
    rows, totals, out = [], {e: [0, 0, 0, 0] for e in ENGINES}, {}
    for app in APPS:
        archive = fetch(app, args.cache)
        files, fixed = sources(archive, app.under), sources(archive, app.fixed) if app.fixed else {}
        every = [lab for path, text in files.items() for lab in READERS[app.reader](path, text)]
        scored = [lab for lab in every if lab.kind not in OUT_OF_SCOPE]
        for lab in every:
            if lab.kind in OUT_OF_SCOPE:
                out.setdefault(lab.kind, []).append(f"{app.name}:{lab.file}:{lab.start}")
        loc = sum(t.count("\n") + 1 for t in files.values())
        for engine, review in ENGINES.items():
            found = review(files)
            tp, fp, fn, extra = score(found, scored)
            on_fixed = review(fixed) if fixed else []
            totals[engine] = [a + b for a, b in zip(totals[engine], (tp, fp, fn, len(on_fixed)), strict=True)]
            rows.append((f"{app.name} {app.version} ({loc} lines, {len(scored)} flaws)", engine, tp, fp, fn,
                         str(len(on_fixed)) if fixed else "n/a"))
            if args.show:
                missed = [lab for lab in scored if not any(covers(lab, f) for f in found)]
                print(f"# {app.name} / {engine}\n  missed: {[(m.kind, m.file, m.start, m.end) for m in missed]}\n"
                      f"  false positives: {extra}" + (f"\n  on the fixed version: {on_fixed}" if fixed else ""),
                      file=sys.stderr)
    rows += [("total", engine, tp, fp, fn, str(on_fixed)) for engine, (tp, fp, fn, on_fixed) in totals.items()]
    print("| app | engine | TP | FP | FN | precision | recall | on fixed |\n|---|---|---|---|---|---|---|---|")
    for app_name, engine, tp, fp, fn, on_fixed in rows:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(f"| {app_name} | {engine} | {tp} | {fp} | {fn} | {precision:.2f} | {recall:.2f} | {on_fixed} |")
    print("\nOut of scope (not scored):")
    for kind, where in sorted(out.items()):
        print(f"- {kind} ({len(where)}): {OUT_OF_SCOPE[kind]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
