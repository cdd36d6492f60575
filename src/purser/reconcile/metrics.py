"""The controller's Prometheus metrics, in a registry of their own.

A registry per controller (not prometheus-client's global one) keeps two controllers in
one process, or a test, from counting into each other. The age of the last sync is
worked out when scraped, so it is never one polling interval stale.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from threading import Lock, Thread
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

NAMESPACE = "purser"


class _SyncAge(Collector):
    """purser_last_sync_age_seconds{application}: seconds since the last successful sync."""

    def __init__(self) -> None:
        self._synced_at: dict[str, float] = {}
        self._lock = Lock()

    def set(self, application: str, at: datetime) -> None:
        with self._lock:
            self._synced_at[application] = at.timestamp()

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(f"{NAMESPACE}_last_sync_age_seconds",
                                   "Seconds since the application's last successful sync.",
                                   labels=["application"])
        now = time.time()
        with self._lock:
            for application, at in sorted(self._synced_at.items()):
                family.add_metric([application], max(0.0, now - at))
        yield family


class Metrics:
    """What one controller counts; `serve` exposes it over HTTP."""

    def __init__(self, controller: str) -> None:
        self.controller = controller
        self.registry = CollectorRegistry()
        self.syncs = Counter("syncs", "Syncs by application and outcome.",
                             ["application", "outcome"], namespace=NAMESPACE,
                             registry=self.registry)
        self.failures = Counter("sync_failures", "Syncs that failed or raised.",
                                namespace=NAMESPACE, registry=self.registry)
        self.drifted = Gauge("drifted_fields", "Fields differing from the synced revision.",
                             ["application"], namespace=NAMESPACE, registry=self.registry)
        self.fights = Gauge("fights", "Fields another writer keeps changing back.",
                            ["application"], namespace=NAMESPACE, registry=self.registry)
        self.leases = Gauge("lease_holder", "1 while this controller holds the application.",
                            ["application", "controller"], namespace=NAMESPACE,
                            registry=self.registry)
        self.rounds = Counter("rounds", "Reconcile rounds run.", namespace=NAMESPACE,
                              registry=self.registry)
        self._age = _SyncAge()
        self.registry.register(self._age)
        self._server: WSGIServer | None = None
        self._thread: Thread | None = None

    def synced(self, application: str, outcome: str) -> None:
        self.syncs.labels(application, outcome).inc()
        if outcome in ("failed", "error"):
            self.failures.inc()

    def drift(self, application: str, drifted: int, fights: int) -> None:
        self.drifted.labels(application).set(drifted)
        self.fights.labels(application).set(fights)

    def last_synced(self, application: str, at: datetime) -> None:
        self._age.set(application, at)

    def holding(self, applications: list[str], held: set[str]) -> None:
        for application in applications:
            self.leases.labels(application, self.controller).set(int(application in held))

    def serve(self, port: int, addr: str = "127.0.0.1") -> int:
        """Serve /metrics on `addr:port` (0: a free port) from a thread; the port bound."""
        self._server, self._thread = start_http_server(port, addr=addr, registry=self.registry)
        return int(self._server.server_port)

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
