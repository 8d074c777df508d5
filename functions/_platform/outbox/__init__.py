"""The transactional outbox: events are stored with the state change that causes them and relayed after commit."""

from functions._platform.outbox.store import OutboxEvent, pending, stage

__all__ = ["OutboxEvent", "pending", "stage"]
