"""Bulk loading: each batch is prepared in the caller's thread and written by one writer thread, which writes one
batch while the caller reads and prepares the next.

A backend may split its write in two, `prepare_documents` (Python: rows, encoding) and `write_prepared` (the
write alone), so that the writer thread runs no Python of its own. SQLite works without the GIL, but a thread
that gives the GIL up gets it back late while another thread keeps it busy, so any Python step the writer takes
after its first wait stalls until the caller's thread blocks. Other backends write with `index_documents`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Self

from .contract import SearchBackend


def split_write(backend: SearchBackend) -> tuple[Callable[[str, Any], Any], Callable[[str, Any], int]] | None:
    """(prepare_documents, write_prepared) of a backend that splits its writes, else None."""
    prepare = getattr(backend, "prepare_documents", None)
    write = getattr(backend, "write_prepared", None)
    return (prepare, write) if prepare is not None and write is not None else None


class BulkLoader:
    """`add` batches, then `finish` (or leave the `with` block) for the number of documents written."""

    def __init__(self, backend: SearchBackend, index: str) -> None:
        self.backend = backend
        self.index = index
        self.written = 0
        self._split = split_write(backend)
        self._writer = ThreadPoolExecutor(max_workers=1)
        self._pending: tuple[Future[int], Callable[[int], None] | None] | None = None

    def add(self, docs: Sequence[Mapping[str, Any]], written: Callable[[int], None] | None = None) -> None:
        """Queue a batch; `written(n)` is called once it is written (when the next batch is queued, or at the
        end)."""
        if self._split is not None:
            prepare, write = self._split
            batch = prepare(self.index, docs)
            self._collect()
            self._pending = self._writer.submit(write, self.index, batch), written
        else:
            self._collect()
            self._pending = self._writer.submit(self.backend.index_documents, self.index, docs), written

    def _collect(self) -> None:
        if self._pending is not None:
            (pending, written), self._pending = self._pending, None
            count = pending.result()
            self.written += count
            if written is not None:
                written(count)

    def finish(self) -> int:
        try:
            self._collect()
        finally:
            self._writer.shutdown(wait=True)
        return self.written

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.finish()
