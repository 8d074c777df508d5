"""An in-process Knative Broker: routes each event to the Services whose Triggers match, through the very
functions-framework apps Knative would run, with the Triggers' retry, backoff and dead-letter settings.

Ingress (`emit`) writes the event to the store's outbox when one is attached; the outbox relay then calls
`publish`, which delivers to every matching Trigger and reports whether each one ended in a 2xx or a stored
dead letter. Only then is the event deleted from the outbox, so nothing accepted is lost to a crash."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from cloudevents.http import CloudEvent

from functions._local import manifests
from functions._local.intake_first import IntakeFirst
from functions._platform.telemetry import log
from sreo_events.envelope import encode

RETRYABLE = {404, 408, 409, 429}


def _retryable(status: int) -> bool:
    return status >= 500 or status in RETRYABLE


class LocalBroker:
    def __init__(self, docs: list[dict[str, Any]] | None = None, workers: int = 8,
                 parking: Any = None, sink_token: str | None = None,
                 ingress: Callable[[CloudEvent], None] | None = None):
        docs = docs if docs is not None else manifests.load_documents()
        self.services = manifests.services(docs)
        self.subscriptions = manifests.subscriptions(docs)
        self.pings = manifests.pings(docs)
        self._apps: dict[tuple[str, str], Any] = {}
        self._apps_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="broker")
        self._in_flight = 0
        self._idle = threading.Condition()
        self._park = parking  # last resort when the dead-letter sink itself fails
        self._sink_headers = {"Authorization": f"Bearer {sink_token}"} if sink_token else {}
        self.ingress = ingress  # durable ingress (the outbox); without it, events are only queued in memory
        self.outbox: Any = None  # the relay draining that outbox, when there is one
        self.priority = IntakeFirst()  # deliveries yield to intake requests (see intake_first)

    def app(self, service: str) -> Any:
        import functions_framework

        spec = self.services[service]
        key = (str(spec.source), spec.target)
        with self._apps_lock:
            if key not in self._apps:
                self._apps[key] = functions_framework.create_app(spec.target, str(spec.source))
            return self._apps[key]

    def warm_up(self) -> None:
        for name in self.services:
            self.app(name)

    def emit(self, event: CloudEvent) -> None:
        """Broker ingress: accept the event (durably, when an outbox is attached) for every matching Trigger."""
        if self.ingress is not None:
            self.ingress(event)
            return
        attributes = event.get_attributes()
        for subscription in self.subscriptions:
            if subscription.matches(attributes):
                self._submit(subscription, event)

    def publish(self, event: CloudEvent) -> bool:
        """Deliver to every matching Trigger now; True when each one ended in a 2xx or a stored dead letter."""
        attributes = event.get_attributes()
        with self._idle:
            self._in_flight += 1
        try:
            with self.priority.background():
                results = [self._attempt(subscription, event) for subscription in self.subscriptions
                           if subscription.matches(attributes)]
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()
        return all(results)

    def _submit(self, subscription: manifests.Subscription, event: CloudEvent) -> None:
        with self._idle:
            self._in_flight += 1
        self._pool.submit(self._deliver, subscription, event)

    def post(self, service: str, path: str, event: CloudEvent, extra: dict[str, str] | None = None,
             auth: dict[str, str] | None = None) -> tuple[int, str]:
        headers, body = encode(event)
        headers.update({f"ce-{k}": v for k, v in (extra or {}).items()})
        headers.update(auth or {})
        response = self.app(service).test_client().post(path, headers=headers, data=body)
        return response.status_code, response.get_data(as_text=True)[:2000]

    def _attempt(self, subscription: manifests.Subscription, event: CloudEvent) -> bool:
        delivery = subscription.delivery
        status, detail = 0, ""
        for attempt in range(delivery.retry + 1):
            if attempt:
                time.sleep(delivery.delay(attempt))
            try:
                status, detail = self.post(subscription.service, subscription.path, event)
            except Exception as exc:  # noqa: BLE001 (the function app itself blew up: retry like a 500)
                status, detail = 500, f"{type(exc).__name__}: {exc}"
            if status < 300:
                return True
            log.info("delivery failed", trigger=subscription.trigger, status=status, attempt=attempt + 1)
            if not _retryable(status):
                break
        return self._dead_letter(subscription, event, status, detail, attempt + 1)

    def _deliver(self, subscription: manifests.Subscription, event: CloudEvent) -> None:
        try:
            self._attempt(subscription, event)
        except Exception as exc:  # noqa: BLE001 - without an outbox, a failed last resort is only logged
            log.error("event lost: no outbox and the dead-letter store failed", id=event["id"], error=str(exc))
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _dead_letter(self, subscription: manifests.Subscription, event: CloudEvent, status: int, detail: str,
                     attempts: int) -> bool:
        """True when the event is stored as a dead letter; False leaves it to be redelivered later."""
        log.warning("dead letter", trigger=subscription.trigger, type=event["type"], id=event["id"], status=status)
        extensions = {"knativeerrorcode": str(status), "knativeerrordest": subscription.service,
                      "knativeerrordata": " ".join(detail.split())[:1000], "knativeerrortrigger": subscription.trigger,
                      "knativeattempts": str(attempts)}
        sink = subscription.delivery.dead_letter
        if sink:
            try:
                sink_status, _ = self.post(sink[0], sink[1], event, extensions, self._sink_headers)
                if sink_status < 300:
                    return True
            except Exception as exc:  # noqa: BLE001 - fall through to the last-resort store
                log.error("dead-letter sink failed", error=str(exc))
        if self._park is None:
            return False
        try:
            self._park(subscription.trigger, subscription.service,
                       {**event.get_attributes(), "data": event.data}, f"HTTP {status}: {detail}", attempts)
        except Exception as exc:  # noqa: BLE001 - the store is down too: keep the event pending
            log.error("dead-letter store failed; the event stays pending", id=event["id"], error=str(exc))
            return False
        return True

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """True once nothing is pending in the outbox and no delivery is in flight."""
        deadline = time.monotonic() + timeout
        if self.outbox is not None and not self.outbox.wait_idle(timeout):
            return False
        with self._idle:
            while self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
