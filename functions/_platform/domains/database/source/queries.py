"""The catalogue queries, read-only, one per diagnostic. Parameters use psycopg's `%(name)s` style.

Per-session diagnostics are scoped to the connected database (`datname = current_database()`);
connection use is server-wide because `max_connections` is.
"""

from __future__ import annotations

QUERY_CHARS = 300  # statement text is truncated to keep evidence bounded

SERVER_INFO = """
SELECT current_database() AS database,
       current_setting('server_version') AS server_version,
       pg_is_in_recovery() AS in_recovery,
       pg_postmaster_start_time() AS started_at,
       now() AS observed_at,
       CASE WHEN pg_is_in_recovery()
            THEN EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 END AS replay_delay_s
"""

CONNECTION_USAGE = """
SELECT current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS superuser_reserved_connections,
       COALESCE(current_setting('reserved_connections', true), '0')::int AS reserved_connections,
       count(*) FILTER (WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()) AS used,
       now() AS observed_at
FROM pg_stat_activity
"""

CONNECTIONS_BY_CLIENT = """
SELECT datname, usename, application_name, COALESCE(state, 'unknown') AS state,
       count(*) AS connections,
       min(backend_start) AS oldest_backend_start,
       max(backend_start) AS newest_backend_start
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
GROUP BY datname, usename, application_name, COALESCE(state, 'unknown')
ORDER BY connections DESC, datname, usename, application_name
LIMIT %(limit)s
"""

ACTIVITY = f"""
SELECT pid, datname, usename, application_name, client_addr::text AS client_addr, state,
       wait_event_type, wait_event, backend_start, xact_start, query_start, state_change,
       EXTRACT(EPOCH FROM now() - xact_start)::float8 AS xact_age_s,
       EXTRACT(EPOCH FROM now() - query_start)::float8 AS query_age_s,
       EXTRACT(EPOCH FROM now() - state_change)::float8 AS state_age_s,
       left(query, {QUERY_CHARS}) AS query
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
ORDER BY backend_start
LIMIT %(limit)s
"""

BLOCKING_CHAINS = f"""
WITH waiting AS (
    SELECT pid, usename, application_name, query, query_start, wait_event, pg_blocking_pids(pid) AS blocked_by
    FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
)
SELECT w.pid AS waiting_pid, w.usename AS waiting_user, w.application_name AS waiting_application,
       left(w.query, {QUERY_CHARS}) AS waiting_query, w.wait_event AS waiting_lock_type,
       w.query_start AS waiting_since,
       EXTRACT(EPOCH FROM now() - w.query_start)::float8 AS waiting_s,
       (SELECT string_agg(DISTINCT l.mode || ' on ' || COALESCE(l.relation::regclass::text, l.locktype), ', ')
          FROM pg_locks l WHERE l.pid = w.pid AND NOT l.granted) AS waiting_for,
       bp.pid AS blocker_pid, b.usename AS blocker_user, b.application_name AS blocker_application,
       b.client_addr::text AS blocker_client_addr, b.state AS blocker_state,
       b.wait_event_type AS blocker_wait_event_type, left(b.query, {QUERY_CHARS}) AS blocker_query,
       b.xact_start AS blocker_xact_start,
       EXTRACT(EPOCH FROM now() - b.xact_start)::float8 AS blocker_xact_age_s,
       EXTRACT(EPOCH FROM now() - b.state_change)::float8 AS blocker_state_age_s
FROM waiting w
CROSS JOIN LATERAL unnest(w.blocked_by) AS bp(pid)
LEFT JOIN pg_stat_activity b ON b.pid = bp.pid
ORDER BY waiting_s DESC NULLS LAST, w.pid, bp.pid
LIMIT %(limit)s
"""

_SESSION_COLUMNS = f"""
SELECT pid, usename, application_name, client_addr::text AS client_addr, state,
       wait_event_type, wait_event, backend_start, xact_start, query_start, state_change,
       EXTRACT(EPOCH FROM now() - xact_start)::float8 AS xact_age_s,
       EXTRACT(EPOCH FROM now() - query_start)::float8 AS query_age_s,
       EXTRACT(EPOCH FROM now() - state_change)::float8 AS state_age_s,
       backend_xmin::text AS backend_xmin,
       left(query, {QUERY_CHARS}) AS query
FROM pg_stat_activity
WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
"""

LONG_TRANSACTIONS = _SESSION_COLUMNS + """
  AND xact_start IS NOT NULL AND now() - xact_start >= make_interval(secs => %(min_age_s)s)
ORDER BY xact_start
LIMIT %(limit)s
"""

LONG_QUERIES = _SESSION_COLUMNS + """
  AND state = 'active' AND now() - query_start >= make_interval(secs => %(min_age_s)s)
ORDER BY query_start
LIMIT %(limit)s
"""

IDLE_IN_TRANSACTION = _SESSION_COLUMNS + """
  AND state IN ('idle in transaction', 'idle in transaction (aborted)')
  AND now() - state_change >= make_interval(secs => %(min_age_s)s)
ORDER BY state_change
LIMIT %(limit)s
"""

DATABASE_STATS = """
SELECT datname, numbackends, xact_commit, xact_rollback, deadlocks, conflicts, temp_files, temp_bytes,
       stats_reset, now() AS observed_at
FROM pg_stat_database
WHERE datname = current_database()
"""

REPLICATION = """
SELECT pid, usename, application_name, client_addr::text AS client_addr, state, sync_state,
       EXTRACT(EPOCH FROM write_lag)::float8 AS write_lag_s,
       EXTRACT(EPOCH FROM flush_lag)::float8 AS flush_lag_s,
       EXTRACT(EPOCH FROM replay_lag)::float8 AS replay_lag_s,
       CASE WHEN pg_is_in_recovery() THEN NULL
            ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 END AS replay_lag_bytes,
       reply_time
FROM pg_stat_replication
ORDER BY application_name, pid
LIMIT %(limit)s
"""
