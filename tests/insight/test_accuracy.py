"""Estimate vs actual: each application's estimate against the month's bill, flagged when
they part by more than insight.estimate_ratio."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app
from purser.insight.accuracy import parted
from purser.warehouse import Warehouse, ingest_focus
from purser.warehouse.demodata import generate

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example shop (never synced: no state database) with 90 days of demo billing."""
    folder = tmp_path_factory.mktemp("accuracy")
    repo = folder / "shop"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(".purser", ".git"))
    summary = generate(repo, folder / "out", seed=7, days=90, end=date(2025, 6, 30))
    warehouse = Warehouse(folder / "warehouse")
    warehouse.folder.mkdir()
    ingest_focus(warehouse, [summary.billing])
    return repo, warehouse.folder


def test_parted_flags_a_ratio_past_the_threshold_either_way() -> None:
    assert parted(100.0, 160.0, 1.5) and parted(160.0, 100.0, 1.5)
    assert not parted(100.0, 150.0, 1.5) and not parted(100.0, 140.0, 1.5)
    assert parted(0.0, 5.0, 1.5) and not parted(0.0, 0.0, 1.5)


def _compare(repo: Path, warehouse: Path) -> dict[str, dict[str, object]]:
    result = CliRunner().invoke(app, ["spend", "--estimate-vs-actual", "--repo", str(repo),
                                      "--warehouse", str(warehouse), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["through"] == "2025-06-30" and payload["scale"] == 1.0
    return {row["application"]: row for row in payload["rows"]}


def test_estimate_vs_actual_on_the_demo_month(shop: tuple[Path, Path]) -> None:
    rows = _compare(*shop)
    payments = rows["payments-api"]
    assert payments["estimate"] == pytest.approx(170.38, abs=0.01)
    assert payments["billed_to_date"] == pytest.approx(159.01, abs=0.01)
    assert str(payments["estimated_at"]).startswith("HEAD ")
    assert str(payments["estimated_at"]).endswith("(never synced)")
    assert payments["flagged"] is False  # 0.93× is inside the default 1.5
    # The demo bills notifications from usage its repository's usage file leaves out.
    assert rows["notifications"]["estimate"] == 0 and rows["notifications"]["flagged"] is True
    # Kubernetes workloads carry no ownership tags on the bill: nothing to compare.
    assert rows["storefront"]["billed_to_date"] is None
    assert rows["storefront"]["flagged"] is False


def test_a_tighter_ratio_in_purser_yaml_flags_the_gap(shop: tuple[Path, Path]) -> None:
    repo, warehouse = shop
    config = repo / "purser.yaml"
    original = config.read_text()
    try:
        config.write_text(original + "\ninsight:\n  estimate_ratio: 1.05\n")
        rows = _compare(repo, warehouse)
    finally:
        config.write_text(original)
    assert rows["payments-api"]["flagged"] is True  # 170.38 / 159.01 = 1.07 > 1.05
    assert rows["orders"]["flagged"] is False  # 7.64 against 7.43: 1.03


def test_a_synced_application_is_estimated_at_its_synced_revision(
        shop: tuple[Path, Path], tmp_path: Path) -> None:
    """Synced to the commit before checkout's memory went 512 -> 3008 MB, the application is
    priced as it was then, not as HEAD says: the bill is compared with what was applied."""
    import pygit2

    from purser.store import open_database
    from purser.store.schema import Application

    repo, warehouse = shop
    truth = next(a for a in json.loads((repo.parent / "out" / "anomalies.json").read_text())
                 ["anomalies"] if a["name"] == "checkout-memory")
    before = str(pygit2.Repository(str(repo)).get(truth["commit"]).parents[0].id)
    url = f"sqlite:///{tmp_path / 'state.db'}"
    with open_database(url) as db, db.session() as session:
        session.add(Application(name=truth["application"], path=".", synced_revision=before))
        session.commit()
    head = _compare(repo, warehouse)[truth["application"]]
    result = CliRunner().invoke(app, ["spend", "--estimate-vs-actual", "--repo", str(repo),
                                      "--warehouse", str(warehouse), "--db", url,
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    synced = {r["application"]: r for r in json.loads(result.output)["rows"]}[
        truth["application"]]
    assert synced["estimated_at"] == f"synced {before[:12]}"
    assert synced["estimate"] < head["estimate"]  # 512 MB priced, not 3008
    assert synced["billed_to_date"] == head["billed_to_date"]
