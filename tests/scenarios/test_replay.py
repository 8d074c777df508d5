"""Replaying a scenario moves each timestamp layout its recorded logs use by the same amount."""

from __future__ import annotations

from datetime import timedelta

from support.scenarios import _shift_iso

DAY_AND_A_HALF = timedelta(days=1, hours=12)


def test_iso_go_and_access_log_stamps_move_alike() -> None:
    text = ("2026-03-14T10:00:07.574Z error\n"
            "2026/03/14 10:00:07 http: TLS handshake error\n"
            '10.0.1.7 - - [14/Mar/2026:10:00:07 +0000] "GET / HTTP/1.1" 200 12\n')
    assert _shift_iso(text, DAY_AND_A_HALF) == ("2026-03-15T22:00:07.574Z error\n"
                                                "2026/03/15 22:00:07 http: TLS handshake error\n"
                                                '10.0.1.7 - - [15/Mar/2026:22:00:07 +0000] "GET / HTTP/1.1" 200 12\n')


def test_a_path_with_slashes_is_not_a_date() -> None:
    assert _shift_iso("GET /v1/2026/03 200", DAY_AND_A_HALF) == "GET /v1/2026/03 200"
