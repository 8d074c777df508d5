"""While intake is in flight, background deliveries run one at a time; when it is quiet, all at once."""

from __future__ import annotations

import threading

from functions._local.intake_first import IntakeFirst


def _start_background(gate: IntakeFirst, running: list[str], name: str, release: threading.Event) -> threading.Thread:
    def work() -> None:
        with gate.background():
            running.append(name)
            release.wait(5)
            running.remove(name)
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def _settle(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(0.2)


def test_background_runs_one_at_a_time_while_intake_is_in_flight_then_all_resume() -> None:
    gate, running, release = IntakeFirst(), [], threading.Event()
    with gate.intake():
        threads = [_start_background(gate, running, name, release) for name in "abc"]
        _settle(threads)
        assert len(running) == 1, "only one delivery while a webhook waits for its answer"
    _settle(threads)
    assert sorted(running) == ["a", "b", "c"], "intake done: every waiting delivery runs"
    release.set()
    for thread in threads:
        thread.join(5)
    assert running == []


def test_intake_never_waits_for_background() -> None:
    gate, running, release = IntakeFirst(), [], threading.Event()
    threads = [_start_background(gate, running, name, release) for name in "ab"]
    _settle(threads)
    entered = threading.Event()
    intake = threading.Thread(target=lambda: (gate.intake().__enter__(), entered.set()), daemon=True)
    intake.start()
    assert entered.wait(5)
    release.set()
    for thread in threads:
        thread.join(5)
