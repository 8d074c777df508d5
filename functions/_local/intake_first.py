"""Intake before background work, when every function shares one process (`sreo serve`).

Alertmanager gives a notification until its group interval to be answered. In a storm, hundreds of webhooks arrive
while the relay delivers the incidents they open to triage, the agents and correlate, all on the same cores and
interpreter lock. While any intake request is in flight, background deliveries run one at a time, so the webhooks
are answered first and the investigations still move; once intake is quiet they run at the relay's full width.
Deployed, each function is its own Knative service and this gate is not used.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class IntakeFirst:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._intake = 0
        self._background = 0

    @contextmanager
    def intake(self) -> Iterator[None]:
        """Around an intake request; never waits."""
        with self._changed:
            self._intake += 1
        try:
            yield
        finally:
            with self._changed:
                self._intake -= 1
                self._changed.notify_all()

    @contextmanager
    def background(self) -> Iterator[None]:
        """Around one background delivery; waits while intake is busy and another delivery is running."""
        with self._changed:
            self._changed.wait_for(lambda: self._intake == 0 or self._background == 0)
            self._background += 1
        try:
            yield
        finally:
            with self._changed:
                self._background -= 1
                self._changed.notify_all()
