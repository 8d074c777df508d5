"""While intake is in flight, background deliveries run one at a time; when it is quiet, all at once."""

from __future__ import annotations

import threading

from functions._local.intake_first import IntakeFirst


def _start_background(gate: IntakeFirst, entered: threading.Semaphore, release: threading.Event) -> threading.Thread:
    def work() -> None:
        with gate.background():
            entered.release()
            release.wait(10)
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_background_runs_one_at_a_time_while_intake_is_in_flight_then_all_resume() -> None:
    gate, entered, release = IntakeFirst(), threading.Semaphore(0), threading.Event()
    with gate.intake():
        threads = [_start_background(gate, entered, release) for _ in range(3)]
        assert entered.acquire(timeout=10), "one delivery runs while intake is in flight"
        assert not entered.acquire(timeout=0.2), "only one delivery while a webhook waits for its answer"
    assert entered.acquire(timeout=10) and entered.acquire(timeout=10), "intake done: every waiting delivery runs"
    release.set()
    for thread in threads:
        thread.join(10)
        assert not thread.is_alive()


def test_intake_never_waits_for_background() -> None:
    gate, entered, release = IntakeFirst(), threading.Semaphore(0), threading.Event()
    threads = [_start_background(gate, entered, release) for _ in range(2)]
    assert entered.acquire(timeout=10) and entered.acquire(timeout=10)
    admitted = threading.Event()

    def intake() -> None:
        with gate.intake():
            admitted.set()
    threading.Thread(target=intake, daemon=True).start()
    assert admitted.wait(10), "an intake request is admitted while deliveries run"
    release.set()
    for thread in threads:
        thread.join(10)
