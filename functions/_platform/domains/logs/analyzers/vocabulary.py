"""The error-line vocabulary: what kind of failure a log line (or its mined template) states, in the many ways
programs phrase it, which peer (host:port) it names, and a duration it reports.

Classes are tried most specific first, so `connect ECONNREFUSED` is a refused connection and not a generic
"can't connect", and `could not translate host name` is DNS and not a Postgres connection error. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorClass:
    category: str
    describes: str  # how a summary names it
    score: float  # how strongly a line of this class points at a cause
    pattern: re.Pattern[str]
    names_peer: bool = True  # whether a host in the line is the failing dependency


def _any(*phrases: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{phrase})" for phrase in phrases), re.IGNORECASE)


_ENV = r"['\"`]?(?P<env>[A-Z][A-Z0-9_]{1,63})['\"`]?"
MISSING_ENV: tuple[re.Pattern[str], ...] = tuple(re.compile(regex) for regex in (
    r"(?i:environment variable|env(?:ironment)?[ _]var(?:iable)?|\benv\b)s?\s*[:=]?\s*" + _ENV
    + r"\s*(?i:is\s+|was\s+)?(?i:not set|not defined|not found|unset|missing|required|must be set|undefined|empty)",
    r"(?i:missing|required|undefined|unset|no)\s+(?i:required\s+)?(?i:environment variable|env(?:ironment)?[ _]"
    r"var(?:iable)?)s?\s*[:=]?\s*" + _ENV,
    r"KeyError: " + _ENV,
    r"\b(?P<env>[A-Z][A-Z0-9]*_[A-Z0-9_]+)\b\s+(?:is\s+)?(?i:not set|must be set|is required|is undefined)",
))

# Replies in which a server states that its own state refuses the request (full memory, a read-only or loading
# replica, a blocked index, too few in-sync replicas), by the protocol whose servers send them. The line names
# no host: the caller's dependency that speaks the protocol sent it.
SERVER_REFUSALS: dict[str, re.Pattern[str]] = {
    "redis": re.compile(r"OOM command not allowed|MISCONF Redis is configured|READONLY You can'?t write against a "
                        r"read only replica|LOADING Redis is loading|BUSY Redis is busy"),
    "elasticsearch": re.compile(r"cluster_block_exception|es_rejected_execution_exception|"
                                r"index read-only / allow delete"),
    "kafka": re.compile(r"NOT_ENOUGH_REPLICAS|NotEnoughReplicas(?:AfterAppend)?Exception|KAFKA_STORAGE_ERROR"),
}


# Replies in which a server refuses a connection because every connection it allows is taken: every caller is
# refused alike, whoever holds them.
CONNECTION_LIMITS: dict[str, re.Pattern[str]] = {
    "postgres": re.compile(r"too many clients already|remaining connection slots are reserved|SQLSTATE 53300|"
                           r"no more connections allowed \(max_client_conn\)"),
    "mysql": re.compile(r"(?i:too many connections)|ER_CON_COUNT_ERROR|Host '[^']+' is blocked because of many connection"),
    "redis": re.compile(r"max number of clients reached"),
    "mongodb": re.compile(r"connection refused because too many open connections"),
}


# A client library's own words for failing to reach its server (a timeout, a lost connection), by the protocol it
# speaks. The line often names no host: the caller's dependency that speaks the protocol is the one it cannot reach.
CLIENT_FAILURES: dict[str, re.Pattern[str]] = {
    "zookeeper": re.compile(r"ZooKeeperClient\w*Exception|KeeperErrorCode = (?:ConnectionLoss|SessionExpired)"),
    "kafka": re.compile(r"org\.apache\.kafka\.common\.errors\.TimeoutException|KafkaTimeoutError|NoBrokersAvailable"),
    "redis": re.compile(r"RedisConnectionException|RedisCommandTimeoutException|redis\.exceptions\.(?:Connection|Timeout)"
                        r"Error"),
    "mongodb": re.compile(r"MongoTimeoutException|ServerSelectionTimeoutError|MongoServerSelectionError"),
    "mysql": re.compile(r"CommunicationsException|Communications link failure"),
    "rabbitmq": re.compile(r"AMQPConnectionError|AmqpConnectException"),
}


def refusing_protocol(line: str) -> str | None:
    """The protocol whose server sent the refusal the line quotes (`redis` for `OOM command not allowed`), or
    whose client failed to reach it (`zookeeper` for `ZooKeeperClientTimeoutException`)."""
    return next((protocol for refusals in (SERVER_REFUSALS, CONNECTION_LIMITS, CLIENT_FAILURES)
                 for protocol, pattern in refusals.items() if pattern.search(line)), None)


VOCABULARY: tuple[ErrorClass, ...] = (
    ErrorClass("missing_env_var", "missing environment variable", 0.8, re.compile(
        "|".join(f"(?:{p.pattern.replace('(?P<env>', '(?:')})" for p in MISSING_ENV)), names_peer=False),
    # The resolver (the DNS server) did not answer, or answered with a failure of its own: every name fails
    # alike, healthy or not, so the fault is the DNS server's (in Kubernetes the cluster DNS Service), not the
    # caller's or the looked-up host's. Before dns_failure and timeout, which would read it as a missing name or
    # a slow peer.
    ErrorClass("dns_resolver_failure", "DNS server did not answer", 0.8, _any(
        r"\blookup \S+ on \S+ ?.{0,120}?(?:i/o timeout|server misbehaving|connection refused|no route to host"
        r"|network is unreachable|timed out)",
        r"\blookup [\w.-]+: (?:i/o timeout|server misbehaving)",  # Go naming no server (cgo resolver, a dial's lookup)
        r"EAI_AGAIN", r"Temporary failure in name resolution", r"server misbehaving", r"SERVFAIL",
        r"no servers could be reached", r"Resolving timed out", r"getaddrinfo: Try again",
        r"(?:DNS|name resolution|resolver) (?:lookup |query |request )?(?:timed out|timeout)",
        r"DNS server (?:returned|reported) (?:a )?(?:general )?(?:failure|error)")),
    # Every connection the server allows is taken: before cannot_connect, which would blame the caller's reach.
    ErrorClass("connection_limit", "connections refused at the server's connection limit", 0.8, re.compile(
        "|".join(f"(?:{pattern.pattern})" for pattern in CONNECTION_LIMITS.values()))),
    # Before out_of_memory: redis-py names Redis's OOM reply OutOfMemoryError, yet the caller's memory is fine.
    ErrorClass("dependency_refused", "dependency refused the request for its own state", 0.8, re.compile(
        "|".join(f"(?:{pattern.pattern})" for pattern in SERVER_REFUSALS.values()))),
    # The name does not exist (NXDOMAIN): the DNS server answered, so the name the caller asks for is wrong.
    ErrorClass("dns_failure", "name resolution failed", 0.8, _any(
        r"no such host", r"Name or service not known", r"could not translate host ?name",
        r"Could not resolve (?:host|hostname|proxy)", r"getaddrinfo (?:ENOTFOUND|failed)",
        r"nodename nor servname", r"UnknownHostException",
        r"Unknown (?:MySQL server )?host", r"failed to resolve", r"unable to resolve", r"NXDOMAIN",
        r"Name does not resolve", r"DNS (?:lookup|resolution) failed",
        r"getaddrinfo: ", r"Host not found")),
    ErrorClass("tls_error", "TLS failure", 0.7, _any(
        r"x509: ", r"certificate (?:verify failed|has expired|is not valid|signed by unknown authority|expired)",
        r"SSL(?:Error|: CERTIFICATE|_connect| routines)", r"tls: (?:handshake|bad certificate|failed)",
        r"handshake failure", r"PKIX path building failed", r"self[- ]signed certificate",
        r"unable to get local issuer certificate", r"SSL handshake")),
    ErrorClass("auth_failure", "authentication failed", 0.7, _any(
        r"password authentication failed", r"authentication failed", r"access denied for user",
        r"invalid (?:credentials|password|username or password|token|api key)", r"\bunauthori[sz]ed\b",
        r"\b401 Unauthorized", r"\b403 Forbidden", r"NOAUTH", r"WRONGPASS", r"Login failed for user",
        r"AuthenticationException", r"permission denied for (?:table|relation|database|schema)",
        r"token (?:is )?expired", r"SASL authentication")),
    ErrorClass("out_of_memory", "out of memory", 0.75, _any(
        r"OutOfMemoryError", r"out of memory", r"Cannot allocate memory", r"heap out of memory",
        r"\bMemoryError\b", r"OOM[- ]?kill", r"std::bad_alloc", r"fatal error: runtime: out of memory",
        r"memory limit exceeded", r"OOMKilled", r"Killed process \d+"), names_peer=False),
    ErrorClass("connection_refused", "connection refused", 0.75, _any(
        r"connection refused", r"ECONNREFUSED", r"Connection reset by peer", r"ECONNRESET",
        r"actively refused", r"errno 111", r"\(111\)", r"No route to host", r"EHOSTUNREACH",
        r"Network is unreachable", r"ENETUNREACH")),
    ErrorClass("lock_wait", "waiting on a lock", 0.75, _any(
        r"lock timeout", r"Lock wait timeout exceeded", r"still waiting for \w*Lock", r"deadlock detected",
        r"could not obtain lock", r"LockNotAvailable", r"Deadlock found when trying to get lock",
        r"waiting for (?:table metadata|row) lock", r"lock (?:acquisition|wait) (?:timed out|timeout)")),
    ErrorClass("timeout", "timed out", 0.65, _any(
        r"(?:connection|connect|dial tcp|read|write|i/o|request|query|statement|socket|upstream|operation|gateway)"
        r" ?(?:timed out|timeout)", r"context deadline exceeded", r"ETIMEDOUT", r"ESOCKETTIMEDOUT",
        r"timed out (?:after|waiting|connecting|while)", r"deadline exceeded", r"Read timed out",
        r"connect timeout", r"TimeoutError", r"SocketTimeoutException", r"canceling statement due to statement "
        r"timeout", r"Lock wait timeout exceeded", r"upstream request timeout", r"504 Gateway Time-?out",
        r"took too long", r"request timeout")),
    ErrorClass("cannot_connect", "cannot connect", 0.75, _any(
        r"can'?t connect", r"cannot connect", r"could not connect", r"unable to connect", r"failed to connect",
        r"couldn'?t connect", r"error connecting to", r"connection (?:to .{1,80} )?failed", r"connect failed",
        r"no available connection", r"no (?:alive|healthy|available) (?:nodes|hosts|servers|upstream)",
        r"no healthy upstream", r"connection pool (?:exhausted|timeout)", r"server closed the connection unexpectedly",
        r"Lost connection to (?:MySQL )?server", r"MySQL server has gone away", r"Connection (?:is )?closed",
        r"broken pipe", r"EPIPE", r"upstream connect error", r"(?:503|502) (?:Service Unavailable|Bad Gateway)",
        r"service unavailable", r"unreachable", r"failed to dial", r"dial tcp .* connect:",
        r"Communications link failure", r"is the server running")),
    ErrorClass("config_error", "configuration or syntax error", 0.75, _any(
        r"syntax error", r"SyntaxError", r"parse error", r"ParseError", r"invalid (?:config|configuration|value|"
        r"argument|option|setting|yaml|json)", r"unknown (?:flag|option|directive|field|command|variable|"
        r"configuration|parameter|setting)", r"unrecognized (?:configuration parameter|option|argument)",
        r"(?:config|configuration) (?:error|invalid|file not found)", r"yaml: ", r"json: cannot unmarshal",
        r"unexpected (?:token|EOF|end of file|character)", r"bad substitution", r"command not found",
        r"exec format error", r"executable file not found", r"not a valid", r"flag provided but not defined",
        r"ModuleNotFoundError", r"ImportError", r"Cannot find module", r"ClassNotFoundException",
        r"NoSuchMethodError", r"no such table", r"relation \"[^\"]+\" does not exist",
        r"(?:migration|schema) (?:failed|error|mismatch)"), names_peer=False),
    ErrorClass("file_missing", "missing file", 0.65, _any(
        r"No such file or directory", r"FileNotFoundError", r"\bENOENT\b", r"file not found"), names_peer=False),
    ErrorClass("port_in_use", "port already in use", 0.6, _any(
        r"address already in use", r"EADDRINUSE", r"bind: address"), names_peer=False),
    ErrorClass("permission_denied", "permission denied", 0.6, _any(
        r"permission denied", r"EACCES", r"Operation not permitted", r"read-only file system", r"EROFS",
        # a secret file whose mode is too open, which daemons refuse to start with (ssh, PostgreSQL, RabbitMQ)
        r"permissions? (?:\S+ )?(?:for \S+ )?(?:are|is) too open", r"has group or world access",
        r"accessible by (?:the )?owner only", r"(?:bad|insecure|unsafe) (?:file )?permissions"),
        names_peer=False),
    ErrorClass("disk_full", "disk full", 0.7, _any(
        r"No space left on device", r"ENOSPC", r"disk (?:is )?full", r"could not extend file",
        r"Disk quota exceeded"), names_peer=False),
    # A client's report that its dependency answered with an error status: the dependency failed the request
    # (a server's own access log of the statuses it sent reads differently and is not matched).
    ErrorClass("error_response", "dependency answered with an error status", 0.7, _any(
        r"Http(?:Client|Server)ErrorException", r"WebClientResponseException", r"requests\.exceptions\.HTTPError",
        r"HTTPError: [45]\d\d", r"Request failed with status code [45]\d\d",
        r"(?:unexpected|bad|non-2xx|error) (?:HTTP )?(?:status|response)(?: code)?:? ?[45]\d\d\b",
        r"(?:returned|responded with|received|got) (?:an? )?(?:HTTP )?(?:status|response|error)(?: code)?:? ?[45]\d\d\b",
        r"Could not locate PropertySource", r"\bCode: [45]\d\d\. Errors:")),
    ErrorClass("crash", "fatal error", 0.55, _any(
        r"^panic:", r"Traceback \(most recent call last\)", r"\bFATAL\b", r"Unhandled (?:promise rejection|exception)",
        r"Exception in thread", r"segmentation fault", r"\bSIGSEGV\b", r"uncaught exception", r"core dumped",
        r"\bAborted\b"), names_peer=False),
)
BY_CATEGORY = {error.category: error for error in VOCABULARY}

_HOST = r"(?P<host>[A-Za-z][\w.-]*[A-Za-z0-9]|\d{1,3}(?:\.\d{1,3}){3})"
_NOT_HOSTS = {"localhost", "tcp", "udp", "http", "https", "error", "server", "host", "port", "connect", "dial",
              "lookup", "read", "write", "at", "to", "on", "the", "tried", "failed", "line", "file", "main", "java",
              "time", "caused", "exception", "warning", "info", "debug", "fatal"}
_QUOTED = r"\s*['\"]?" + _HOST + r"['\"]?"
LOOKUP = re.compile(r"\b(?:lookup|resolve host:?|resolve|host name|hostname|ENOTFOUND|EAI_AGAIN|UnknownHostException:?"
                    r"|Unknown (?:MySQL server )?host)" + _QUOTED, re.IGNORECASE)
PEERS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\b(?:server|host)(?: running)? (?:on|at)(?: host)?" + _QUOTED
               + r"(?:\s*\([^)]*\))?.{0,60}?\bport\s*['\"]?(?P<port>\d{2,5})", re.IGNORECASE),
    re.compile(r"\b(?:server at|server on|host(?:name)?[=:]?|to)" + _QUOTED
               + r"(?:\s*\([^)]*\))?,?\s*(?:port|:)\s*['\"]?(?P<port>\d{2,5})", re.IGNORECASE),
    re.compile(r"(?:https?|tcp|grpc|redis|rediss|amqps?|postgres(?:ql)?|mysql|mongodb(?:\+srv)?|jdbc:\w+|nats|kafka)"
               r"://(?:[^@/\s]+@)?" + _HOST + r"(?::(?P<port>\d{2,5}))?"),
    re.compile(r"(?<![\w.:/-])" + _HOST + r":(?P<port>\d{2,5})\b"),
    re.compile(r"\b(?:server (?:on|at)|host)" + _QUOTED, re.IGNORECASE),
    re.compile(r"\b(?:connect to|connecting to|translate host name)" + _QUOTED, re.IGNORECASE),
)

_NUMBER = r"(?P<value>\d+(?:\.\d+)?)"
_UNIT = r"\s?(?P<unit>ms|msecs?|milliseconds?|µs|us|microseconds?|ns|s|secs?|seconds?|m|mins?|minutes?)\b"
DURATION = re.compile(
    r"(?:\btook|completed in|finished in|done in|responded in|returned in|served in|processed in|executed in"
    r"|\bduration|\belapsed|\blatency|response[ _]time|request[ _]time|query time|\btime_taken|\bdur)"
    r"\s*(?:[:=]\s*|of\s+|was\s+)?['\"]?" + _NUMBER + _UNIT, re.IGNORECASE)
_SECONDS = {"ms": 1e-3, "msec": 1e-3, "msecs": 1e-3, "millisecond": 1e-3, "milliseconds": 1e-3, "µs": 1e-6,
            "us": 1e-6, "microsecond": 1e-6, "microseconds": 1e-6, "ns": 1e-9, "s": 1.0, "sec": 1.0, "secs": 1.0,
            "second": 1.0, "seconds": 1.0, "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0}


def classify(text: str) -> ErrorClass | None:
    """The most specific error class the text states, or None."""
    return next((error for error in VOCABULARY if error.pattern.search(text)), None)


def missing_env_var(line: str) -> str | None:
    return next((match["env"] for regex in MISSING_ENV if (match := regex.search(line))), None)


RESOLVER = re.compile(r"\blookup \S+ on \[?(?P<host>[\d.]+|[0-9a-f:]*:[0-9a-f:]+)\]?:(?P<port>\d{2,5})\b"
                      r"|(?<![\w.:/-])(?P<host2>\d{1,3}(?:\.\d{1,3}){3}):(?P<port2>53)\b", re.IGNORECASE)


def resolver_of(line: str) -> str | None:
    """The DNS server a resolver failure names (`10.96.0.10:53` in `lookup x on 10.96.0.10:53: ... i/o
    timeout`), or None when the line names only the looked-up host (EAI_AGAIN, Temporary failure...)."""
    match = RESOLVER.search(line)
    if not match:
        return None
    return f"{match['host'] or match['host2']}:{match['port'] or match['port2']}"


def peer_of(line: str, category: str | None = None) -> str | None:
    """The host (host:port when given) a failing line names, e.g. `prod-db:3333` in
    `no available connection (tried: prod-db:3333)`; for a DNS failure, the name that did not resolve
    (not the resolver's address); for a resolver failure, the DNS server that did not answer (never the
    looked-up name, which is not at fault), None when the line does not name it."""
    if category == "dns_resolver_failure":
        return resolver_of(line)
    for regex in ((LOOKUP,) if category == "dns_failure" else ()) + PEERS:
        for match in regex.finditer(line):
            host = match["host"]
            if host.lower() in _NOT_HOSTS or host.replace(".", "").isdigit() and host.count(".") != 3:
                continue
            port = match.groupdict().get("port")
            return f"{host}:{port}" if port else host
    return None


def duration_seconds(line: str) -> float | None:
    """A duration the line reports (`took 8.01 s`, `completed in 812ms`, `duration=1.2s`), in seconds."""
    match = DURATION.search(line)
    if not match:
        return None
    return float(match["value"]) * _SECONDS[match["unit"].lower()]


@dataclass(frozen=True)
class Classified:
    error: ErrorClass
    template: str  # the drain3 template the line belongs to
    peer: str | None
    env_var: str | None


def classify_lines(messages: list[str]) -> list[Classified | None]:
    """Each message's error class, judged on its mined template (drain3) so every line of one template is read
    the same way; the line itself decides only where the template's wildcards swallowed the telling words.
    The peer and env var come from the line, since the template masks them."""
    from functions._platform.domains.logs.analyzers.drain import TemplateMiner

    miner = TemplateMiner()
    clusters = [miner.cluster_of(message) for message in messages]
    by_template: dict[int, tuple[str, ErrorClass | None]] = {}
    results: list[Classified | None] = []
    for message, cluster in zip(messages, clusters, strict=True):
        if cluster not in by_template:
            template = miner.template(cluster)
            by_template[cluster] = (template, classify(template))
        template, error = by_template[cluster]
        error = error or classify(message)
        if error is None:
            results.append(None)
            continue
        results.append(Classified(
            error, template, peer_of(message, error.category) if error.names_peer else None,
            missing_env_var(message) if error.category == "missing_env_var" else None))
    return results
