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


def test_saturation_names_who_opened_the_connections_of_the_window() -> None:
    """Twenty long-lived connections of checkout, then sixty new ones of one client: it took the server."""
    old = [{"pid": i, "application_name": "checkout", "client_addr": "10.244.1.5", "backend_start": at(60)}
           for i in range(20)]
    new = [{"pid": 100 + i, "application_name": "", "client_addr": f"10.244.2.{i % 3}", "backend_start": at(5 - i % 4)}
           for i in range(60)]
    mixed = [{"pid": 200 + i, "application_name": "reports", "backend_start": at(4)} for i in range(4)]
    [finding] = ConnectionSaturationAnalyzer().analyze(
        snapshot(connection_usage=usage(96), activity=old + new + mixed), CONTEXT)
    opened = finding.evidence["opened_by_client"]
    assert [(e["application"], e["client_addr"], e["opened"], e["held"]) for e in opened] == [
        (None, "10.244.2.0", 20, 20), (None, "10.244.2.1", 20, 20), (None, "10.244.2.2", 20, 20),
        ("reports", None, 4, 4)]  # checkout opened none in the window
    assert opened[0]["first_opened"] == at(5).isoformat()
