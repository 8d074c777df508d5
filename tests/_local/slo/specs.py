"""SLO specs written for these tests (not taken from any public data set)."""

CHECKOUT_EVENTS = """
version: prometheus/v1
service: checkout
labels:
  team: payments
  tier: "1"
slos:
  - name: http-availability
    objective: 99.9
    labels:
      journey: purchase
    sli:
      events:
        error_query: sum(rate(http_requests_total{app="checkout",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{app="checkout"}[{{ .window }}]))
    alerting:
      name: CheckoutAvailability
      labels:
        category: availability
      annotations:
        runbook_url: https://runbooks.example/checkout
      page_alert:
        labels:
          severity: critical
      ticket_alert:
        labels:
          severity: warning
"""

QUEUE_RAW = """
version: prometheus/v1
service: queue
slos:
  - name: lag
    objective: 99
    sli:
      raw:
        error_ratio_query: |
          avg_over_time(queue_lag_breached_ratio[{{.window}}])
    alerting:
      name: QueueLag
      page_alert:
        disable: true
      ticket_alert:
        labels:
          severity: warning
"""

NO_ALERTS = """
version: prometheus/v1
service: batch
slos:
  - name: jobs
    objective: 95
    sli:
      events:
        error_query: sum(increase(jobs_failed_total[{{.window}}]))
        total_query: sum(increase(jobs_total[{{.window}}]))
    alerting:
      page_alert:
        disable: true
      ticket_alert:
        disable: true
"""

KUBERNETES_CRD = """
apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata:
  name: search-slos
  namespace: search
  labels:
    release: main
spec:
  service: search
  slos:
    - name: query-availability
      objective: 99.5
      sli:
        events:
          errorQuery: sum(rate(search_queries_total{status="error"}[{{.window}}]))
          totalQuery: sum(rate(search_queries_total[{{.window}}]))
      alerting:
        name: SearchAvailability
        pageAlert:
          labels:
            severity: critical
        ticketAlert:
          disable: true
"""

OPENSLO = """
apiVersion: openslo/v1alpha
kind: SLO
metadata:
  name: login
spec:
  service: auth
  budgetingMethod: Occurrences
  objectives:
    - ratioMetrics:
        good:
          source: prometheus
          queryType: promql
          query: sum(rate(logins_total{result="ok"}[{{.window}}]))
        total:
          source: prometheus
          queryType: promql
          query: sum(rate(logins_total[{{.window}}]))
      target: 0.99
  timeWindows:
    - count: 28
      unit: Day
"""
