from __future__ import annotations

from db_snapshots import CONTEXT, at, snapshot

from functions._platform.domains.database.analyzers.connection_saturation import ConnectionSaturationAnalyzer


def usage(used: int, max_connections: int = 100, reserved: int = 3) -> dict:
    return {"max_connections": max_connections, "superuser_reserved_connections": reserved, "used": used,
            "clients": [{"application_name": "checkout", "state": "idle", "connections": used - 5},
                        {"application_name": "reports", "state": "active", "connections": 5}]}


def test_connections_near_the_usable_limit_are_saturation_on_the_database() -> None:
    sessions = [{"pid": i, "backend_start": at(60 if i < 20 else 5)} for i in range(96)]
    [finding] = ConnectionSaturationAnalyzer().analyze(snapshot(connection_usage=usage(96), activity=sessions),
                                                       CONTEXT)
    assert (finding.kind, finding.subject) == ("db_connection_saturation", "postgres/orders")
    assert finding.severity == "critical"  # 96 of 97 usable slots taken
    assert finding.evidence["usable"] == 97 and finding.evidence["top_clients"][0]["application_name"] == "checkout"
    assert finding.evidence["opened_in_window"] == 76 and "'checkout' holds 91" in finding.summary


def test_saturation_short_of_critical_is_a_warning() -> None:
    [finding] = ConnectionSaturationAnalyzer().analyze(snapshot(connection_usage=usage(82)), CONTEXT)
    assert finding.severity == "warning"


def test_connections_with_room_to_spare_and_no_usage_data_give_nothing() -> None:
    assert ConnectionSaturationAnalyzer().analyze(snapshot(connection_usage=usage(40)), CONTEXT) == []
    assert ConnectionSaturationAnalyzer().analyze(snapshot(), CONTEXT) == []
