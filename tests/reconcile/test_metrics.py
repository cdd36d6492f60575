"""The controller's metrics, scraped over HTTP from their own registry."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from purser.reconcile.controller import Controller
from purser.reconcile.metrics import Metrics
from purser.store import Database, open_database
from tests.reconcile.controllers import commit_apps


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with open_database(database_url) as database:
        yield database


def scrape(port: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    samples = (line.rsplit(" ", 1) for line in text.splitlines()
               if line and not line.startswith("#"))
    return {name: float(value) for name, value in samples}


def test_a_scrape_shows_syncs_leases_drift_and_rounds(tmp_path: Path, db, aws):
    commit_apps(tmp_path, {"orders": [], "billing": []})
    metrics = Metrics("c1")
    controller = Controller(tmp_path, db, "c1", interval=0.1, metrics=metrics)
    port = metrics.serve(0)
    try:
        controller.run(rounds=2)  # the second round finds them synced and checks drift
        found = scrape(port)
    finally:
        metrics.close()
        controller.close()
    for app in ("orders", "billing"):
        assert found[f'purser_syncs_total{{application="{app}",outcome="succeeded"}}'] == 1
        assert found[f'purser_lease_holder{{application="{app}",controller="c1"}}'] == 1
        assert found[f'purser_drifted_fields{{application="{app}"}}'] == 0
        assert found[f'purser_fights{{application="{app}"}}'] == 0
        assert found[f'purser_last_sync_age_seconds{{application="{app}"}}'] >= 0
    assert found["purser_rounds_total"] == 2
    assert found["purser_sync_failures_total"] == 0


def test_two_controllers_in_one_process_count_apart() -> None:
    one, two = Metrics("c1"), Metrics("c2")
    one.synced("orders", "failed")
    assert one.registry.get_sample_value("purser_sync_failures_total") == 1
    assert two.registry.get_sample_value("purser_sync_failures_total") == 0
    assert REGISTRY.get_sample_value("purser_sync_failures_total") is None
