from __future__ import annotations

import pytest

from functions._local.slo import GenerateOptions, SpecError, generate
from functions._local.slo.promql import format_duration, go_float, parse_duration
from functions._local.slo.windows import WindowCatalog, burn_rate_factor

from .specs import CHECKOUT_EVENTS, KUBERNETES_CRD, NO_ALERTS, OPENSLO, QUEUE_RAW


def groups(spec: str, **options) -> dict[str, list[dict]]:
    docs = generate(spec, GenerateOptions(**options))
    assert len(docs) == 1
    return {g["name"]: g["rules"] for g in (docs[0].get("spec") or docs[0])["groups"]}


def by_record(rules: list[dict]) -> dict[str, dict]:
    return {r["record"]: r for r in rules}


def test_events_sli_recordings_cover_alert_windows_and_period():
    sli = groups(CHECKOUT_EVENTS)["sloth-slo-sli-recordings-checkout-http-availability"]
    assert [r["labels"]["sloth_window"] for r in sli] == ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"]
    five = sli[0]
    assert five["record"] == "slo:sli_error:ratio_rate5m"
    assert "[5m]" in five["expr"] and "{{" not in five["expr"]
    assert five["expr"].split("\n/\n")[1].strip() == '(sum(rate(http_requests_total{app="checkout"}[5m])))'
    assert five["labels"] == {
        "sloth_id": "checkout-http-availability", "sloth_service": "checkout", "sloth_slo": "http-availability",
        "sloth_window": "5m", "team": "payments", "tier": "1", "journey": "purchase",
    }
    period = sli[-1]["expr"]
    assert period.startswith("sum_over_time(slo:sli_error:ratio_rate5m{")
    assert "[30d]" in period and "count_over_time" in period


def test_metadata_recordings():
    meta = by_record(groups(CHECKOUT_EVENTS)["sloth-slo-meta-recordings-checkout-http-availability"])
    assert meta["slo:objective:ratio"]["expr"] == "vector(0.9990000000000001)"
    assert meta["slo:error_budget:ratio"]["expr"] == "vector(1-0.9990000000000001)"
    assert meta["slo:time_period:days"]["expr"] == "vector(30)"
    assert "slo:sli_error:ratio_rate5m{" in meta["slo:current_burn_rate:ratio"]["expr"]
    assert "slo:sli_error:ratio_rate30d{" in meta["slo:period_burn_rate:ratio"]["expr"]
    assert meta["slo:period_error_budget_remaining:ratio"]["expr"].startswith("1 - slo:period_burn_rate:ratio{")
    info = meta["sloth_slo_info"]["labels"]
    assert info["sloth_objective"] == "99.9" and info["sloth_spec"] == "prometheus/v1"
    assert "sloth_window" not in info


def test_page_and_ticket_alerts_use_workbook_factors():
    page, ticket = groups(CHECKOUT_EVENTS)["sloth-slo-alerts-checkout-http-availability"]
    assert page["alert"] == ticket["alert"] == "CheckoutAvailability"
    assert "ratio_rate5m{" in page["expr"] and "ratio_rate1h{" in page["expr"]
    assert "(14.4 * 0.0009999999999999432)" in page["expr"] and "(6 * 0.0009999999999999432)" in page["expr"]
    assert "ratio_rate2h{" in ticket["expr"] and "ratio_rate3d{" in ticket["expr"]
    assert "(3 * 0.0009999999999999432)" in ticket["expr"] and "(1 * 0.0009999999999999432)" in ticket["expr"]
    assert page["labels"] == {"sloth_severity": "page", "category": "availability", "severity": "critical"}
    assert ticket["labels"]["severity"] == "warning"
    assert page["annotations"]["runbook_url"] == "https://runbooks.example/checkout"
    assert page["annotations"]["title"].startswith("(page) {{$labels.sloth_service}}")


@pytest.mark.parametrize(
    ("period", "window_name", "days", "factors"),
    [
        ("28d", "4w", "28", ("13.44", "5.6000000000000005", "2.8000000000000003", "0.9333333333333333")),
        ("7d", "1w", "7", ("13.44", "3.5", "1.4000000000000001", "0.98")),
        ("30d", "30d", "30", ("14.4", "6", "3", "1")),
    ],
)
def test_period_scales_windows_and_factors(period, window_name, days, factors):
    out = groups(CHECKOUT_EVENTS, default_period=period)
    sli = out["sloth-slo-sli-recordings-checkout-http-availability"]
    assert sli[-1]["record"] == f"slo:sli_error:ratio_rate{window_name}"
    meta = by_record(out["sloth-slo-meta-recordings-checkout-http-availability"])
    assert meta["slo:time_period:days"]["expr"] == f"vector({days})"
    page, ticket = out["sloth-slo-alerts-checkout-http-availability"]
    for factor in factors[:2]:
        assert f"({factor} * " in page["expr"]
    for factor in factors[2:]:
        assert f"({factor} * " in ticket["expr"]


def test_factors_spend_the_catalog_share_of_budget_over_the_long_window():
    catalog = WindowCatalog()
    for period in catalog.periods():
        seconds = parse_duration(period)
        alerts = catalog.alerts_for(seconds, 99.0)
        for alert in (alerts.page_quick, alerts.page_slow, alerts.ticket_quick, alerts.ticket_slow):
            spent = alert.factor * parse_duration(alert.long_window) / seconds
            assert 0 < spent < 1
            assert burn_rate_factor(seconds, spent * 100, alert.long_window) == pytest.approx(alert.factor)
        assert alerts.page_quick.factor > alerts.page_slow.factor > alerts.ticket_slow.factor


def test_unknown_period_is_a_readable_error():
    with pytest.raises(SpecError, match=r"45d.*known periods: 1w, 4w, 30d"):
        generate(CHECKOUT_EVENTS, GenerateOptions(default_period="45d"))


def test_raw_sli_and_disabled_page_alert():
    out = groups(QUEUE_RAW)
    five = out["sloth-slo-sli-recordings-queue-lag"][0]
    assert five["expr"] == "(avg_over_time(queue_lag_breached_ratio[5m])\n)"
    alerts = out["sloth-slo-alerts-queue-lag"]
    assert [a["labels"]["sloth_severity"] for a in alerts] == ["ticket"]
    assert "(3 * 0.01)" in alerts[0]["expr"]


def test_all_alerts_disabled_drops_the_alert_group():
    out = groups(NO_ALERTS)
    assert list(out) == ["sloth-slo-sli-recordings-batch-jobs", "sloth-slo-meta-recordings-batch-jobs"]


def test_extra_labels_reach_recordings_not_alerts_and_win_over_spec_labels():
    out = groups(CHECKOUT_EVENTS, extra_labels={"env": "prod", "team": "platform"})
    for rule in out["sloth-slo-sli-recordings-checkout-http-availability"]:
        assert rule["labels"]["env"] == "prod" and rule["labels"]["team"] == "platform"
    for rule in out["sloth-slo-alerts-checkout-http-availability"]:
        assert "env" not in rule["labels"]


def test_no_alerts_and_no_recordings():
    assert list(groups(CHECKOUT_EVENTS, disable_alerts=True)) == [
        "sloth-slo-sli-recordings-checkout-http-availability", "sloth-slo-meta-recordings-checkout-http-availability"]
    assert list(groups(CHECKOUT_EVENTS, disable_recordings=True)) == ["sloth-slo-alerts-checkout-http-availability"]


def test_kubernetes_crd_becomes_prometheus_rule():
    doc = generate(KUBERNETES_CRD)[0]
    assert doc["kind"] == "PrometheusRule" and doc["apiVersion"] == "monitoring.coreos.com/v1"
    assert doc["metadata"]["name"] == "search-slos" and doc["metadata"]["namespace"] == "search"
    assert doc["metadata"]["labels"]["release"] == "main"
    alerts = {g["name"]: g["rules"] for g in doc["spec"]["groups"]}["sloth-slo-alerts-search-query-availability"]
    assert [a["labels"]["sloth_severity"] for a in alerts] == ["page"]


def test_openslo_objectives_take_their_period_from_the_spec():
    out = groups(OPENSLO)
    sli = out["sloth-slo-sli-recordings-auth-login-0"]
    assert sli[-1]["record"] == "slo:sli_error:ratio_rate4w"
    assert "1 - (" in sli[0]["expr"] and 'logins_total{result="ok"}[5m]' in sli[0]["expr"]
    info = by_record(out["sloth-slo-meta-recordings-auth-login-0"])["sloth_slo_info"]["labels"]
    assert info["sloth_objective"] == "99" and info["sloth_spec"] == "openslo/v1alpha"


def test_multi_document_specs_give_one_output_document_each():
    assert len(generate(CHECKOUT_EVENTS + "\n---\n" + QUEUE_RAW)) == 2


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (CHECKOUT_EVENTS.replace("objective: 99.9", "objective: 120"), "less than or equal to 100"),
        (CHECKOUT_EVENTS.replace("objective: 99.9", "objective: 0"), "greater than 0"),
        (CHECKOUT_EVENTS.replace("        total_query: sum(rate(http_requests_total{app=\"checkout\"}[{{ .window }}]))\n",
                                 ""), "total_query: Field required"),
        (QUEUE_RAW.replace("      raw:", "      events:\n        error_query: a\n        total_query: b\n      raw:"),
         "exactly one of events, raw or plugin"),
        (CHECKOUT_EVENTS.replace("journey: purchase", "bad-label: purchase"), "not a valid Prometheus label name"),
        (CHECKOUT_EVENTS.replace("name: CheckoutAvailability", "name: ''"), "alerting.name is required"),
        (CHECKOUT_EVENTS.replace("version: prometheus/v1", "version: prometheus/v2"), "unsupported spec"),
        (CHECKOUT_EVENTS.replace("{{.window}}", "{{.range}}"), "unsupported template action"),
        (CHECKOUT_EVENTS.replace("[{{.window}}]))", "[{{.window}}])"), "unclosed"),
        (CHECKOUT_EVENTS.replace("slos:", "slo:"), "slos: Field required"),
        ("- just\n- a list\n", "expected a mapping"),
        (CHECKOUT_EVENTS + "\n" + CHECKOUT_EVENTS.split("slos:\n")[1], "repeated"),
    ],
)
def test_invalid_specs_raise_readable_errors(spec, message):
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace("[", r"\[")):
        generate(spec)


def test_duration_and_number_formatting_follow_prometheus_and_go():
    assert [format_duration(parse_duration(d)) for d in ("30d", "28d", "7d", "90m", "1d")] == [
        "30d", "4w", "1w", "1h30m", "1d"]
    assert [go_float(v) for v in (14.4, 6.0, 1e-05, 1234567.0, 0.1 + 0.2)] == [
        "14.4", "6", "1e-05", "1.234567e+06", "0.30000000000000004"]
    with pytest.raises(ValueError):
        parse_duration("5 minutes")


def test_catalog_reads_the_flat_alert_windows_format(tmp_path):
    (tmp_path / "7d.yaml").write_text(
        'version: "alertWindows/v1"\nsloPeriod: 168h\n'
        "page:\n  quick: {errorBudgetPercent: 8, shortWindow: 5m, longWindow: 1h}\n"
        "  slow: {errorBudgetPercent: 12.5, shortWindow: 30m, longWindow: 6h}\n"
        "ticket:\n  quick: {errorBudgetPercent: 20, shortWindow: 2h, longWindow: 24h}\n"
        "  slow: {errorBudgetPercent: 42, shortWindow: 6h, longWindow: 72h}\n")
    catalog = WindowCatalog(tmp_path)
    assert catalog.periods() == ["1w"]
    alerts = catalog.alerts_for(parse_duration("7d"), 99.9)
    assert (alerts.ticket_slow.long_window, alerts.ticket_slow.factor) == ("3d", 0.98)
