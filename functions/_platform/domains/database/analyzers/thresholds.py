"""Every database threshold in one place, and the scope of a database analysis. Defaults suit a typical OLTP
service; override per call through `DatabaseScope.thresholds` (e.g. `DatabaseThresholds(long_query_s=0.5)`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field


class DatabaseThresholds(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    connection_saturation_ratio: float = Field(default=0.80, gt=0, le=1,
                                               description="Used / usable connections that counts as saturated.")
    connection_critical_ratio: float = Field(default=0.95, gt=0, le=1,
                                             description="Ratio at which saturation is critical.")
    idle_in_transaction_s: float = Field(default=60.0, ge=0, description="Idle inside a transaction this long.")
    lock_wait_s: float = Field(default=5.0, ge=0, description="A waiter blocked this long makes contention.")
    lock_waiters_critical: int = Field(default=5, ge=1, description="Waiters behind one blocker that is critical.")
    long_transaction_s: float = Field(default=300.0, ge=0, description="Transaction open this long.")
    long_query_s: float = Field(default=60.0, ge=0, description="Statement running this long.")
    deadlocks_min: int = Field(default=1, ge=1, description="New deadlocks in the window worth reporting.")
    deadlock_rate_factor: float = Field(default=3.0, ge=1, description="Window rate over baseline rate.")
    deadlock_p_value: float = Field(default=0.01, gt=0, lt=1,
                                    description="How unlikely the new count must be at the baseline rate.")
    replication_lag_s: float = Field(default=30.0, ge=0, description="Replica replay lag that is worrying.")
    connection_errors_min: int = Field(default=3, ge=1, description="Connection-error log lines per host.")
    critical_age_factor: float = Field(default=5.0, ge=1, description="Age over threshold that is critical.")


DEFAULT_THRESHOLDS = DatabaseThresholds()


@dataclass(frozen=True)
class DatabaseScope:
    """The thresholds in force. `subject` pins every finding to one component (used when the caller knows the data
    is about one database); `host_subjects` maps a database host seen in log lines to a known subject name."""

    thresholds: DatabaseThresholds = DEFAULT_THRESHOLDS
    subject: str | None = None
    host_subjects: dict[str, str] = field(default_factory=dict)
