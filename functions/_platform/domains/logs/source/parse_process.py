"""Parsing in a second process, so that one core parses while the other writes.

The child is forked, so it starts with the file's parser, its context and the backend's `prepare_documents`
as they are, and nothing is pickled on the way in; what it yields comes back through a pipe, in order. It
only reads, parses and sends, and it leaves with `os._exit` (as every forked `multiprocessing` child does),
so it never runs the parent's finalisers or touches the parent's database connection.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any


def available() -> bool:
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def run_apart(produce: Callable[[], Iterator[Any]]) -> Iterator[Any]:
    """What `produce()` yields, produced in a forked child; an exception it raises is raised here."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(produce, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                raise RuntimeError(f"the parsing process ended early (exit code {child.exitcode})") from None
            if kind == "error":
                raise payload
            if kind == "done":
                return
            yield payload
    finally:
        receiver.close()  # a child still sending stops on the broken pipe
        child.join(timeout=10)
        if child.is_alive():
            child.terminate()
            child.join()


def _produce(produce: Callable[[], Iterator[Any]], sender: Connection) -> None:
    try:
        for item in produce():
            sender.send(("item", item))
        sender.send(("done", None))
    except BrokenPipeError:
        pass
    except BaseException as exc:  # noqa: BLE001 - whatever stopped the parse is the parent's to raise
        try:
            sender.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled still ends the ingest
            sender.send(("error", RuntimeError(f"parsing failed: {exc!r}")))
    finally:
        sender.close()
