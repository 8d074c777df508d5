"""What a responder should do about each threat kind, and what happens if nobody does."""

from __future__ import annotations

MITIGATIONS: dict[str, tuple[str, str]] = {
    "error_rate_spike": ("Check the service's recent deploys and dependencies; roll back or fail over if errors persist.",
                         "Users see failed requests; error-budget burn pages soon if the share holds."),
    "new_log_template": ("Read the new message and correlate it with the latest change; it may be a new failure mode.",
                         "An unseen failure mode may grow into an outage."),
    "log_flood": ("Find the flooding template, fix or rate-limit its source, and check log pipeline backpressure.",
                  "Log storage and ingest cost grow; the pipeline may drop or delay other services' logs."),
    "auth_failure_spike": (("Look at the failing sources and paths; block abusive sources and check identity "
                           "provider health."),
                           "Legitimate users may be locked out; an attack may be under way."),
    "brute_force": ("Block or rate-limit the source address (fail2ban, WAF, security group); enforce key-only or MFA login.",
                    "A weak or reused password on the targeted accounts may be guessed."),
    "credential_stuffing": ("Rate-limit by source and account, require MFA or CAPTCHA, and check for leaked credentials.",
                            "Accounts whose passwords leaked elsewhere may be taken over."),
    "success_after_failures": (("Treat the account as possibly compromised: revoke its sessions, rotate its credentials "
                               "and review what it did after the login."),
                               "An attacker may already hold a valid session."),
    "token_errors": ("Check clock sync (NTP) on issuers and validators, JWKS key rotation and token lifetimes.",
                     "Clients fail authentication until tokens or clocks are fixed."),
    "tls_cert_expiry": (("Renew and deploy the certificate (check cert-manager or the ACME client), then confirm the "
                        "served chain."),
                        "Clients refuse the connection once the certificate expires."),
    "latency_creep": ("Look for saturation or slow dependencies; scale out or roll back before the SLO burns.",
                      "Latency crosses the SLO threshold if the trend continues."),
    "error_ratio_spike": ("Check recent deploys and dependencies of the service; roll back if needed.",
                          "Error budget burns quickly."),
    "resource_saturation": ("Raise limits or scale out; find what is consuming the resource.",
                            "Throttling, OOM kills or evictions follow saturation."),
    "container_restarts": ("Inspect the crashing container's last logs and exit reason.",
                           "Repeated restarts become a crash loop and reduce capacity."),
    "dependency_degraded": (("Compare the callee's own server time with what the caller sees; if only the caller's "
                             "side moved, check the network, DNS and connection pool between them."),
                            "Callers slow down or fail with the edge; retries can amplify the load."),
}
DEFAULT = ("Investigate the evidence and the latest changes to the subject.", "Unknown; the signal is anomalous.")


def mitigation_for(kind: str) -> tuple[str, str]:
    return MITIGATIONS.get(kind, DEFAULT)
