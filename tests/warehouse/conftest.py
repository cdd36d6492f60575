"""Warehouse fixtures: a git repository with an empty warehouse, and real FOCUS files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pygit2
import pytest

from purser.warehouse import Warehouse

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "bench" / "focus" / \
    "focus_1_0_sample.csv"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    pygit2.init_repository(str(root))
    return root


@pytest.fixture
def warehouse(repo: Path) -> Warehouse:
    return Warehouse.of_repository(repo)


@pytest.fixture
def sample() -> Path:
    if not SAMPLE.exists():
        pytest.skip(f"the FOCUS 1.0 sample is not at {SAMPLE}")
    return SAMPLE


@pytest.fixture(scope="session")
def toolkit_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """FOCUS 1.2 and 1.3 AWS-shaped cost and usage files made by focus-data-toolkit."""
    beside = Path(sys.executable).parent / "focus-toolkit"
    program = str(beside) if beside.exists() else shutil.which("focus-toolkit") or "focus-toolkit"
    folder = tmp_path_factory.mktemp("focus-toolkit")
    made = {}
    for version in ("1.2", "1.3"):
        out = folder / version
        try:
            subprocess.run([program, "generate", "--provider", "aws", "--focus-version", version,
                            "--rows", "200", "--seed", "7", "--out", str(out)],
                           check=True, capture_output=True, timeout=120)
        except (OSError, subprocess.CalledProcessError) as exc:
            pytest.skip(f"focus-toolkit is not usable: {exc}")
        made[version] = next(out.glob("*cost_and_usage*.csv"))
    return made


def write_focus(path: Path, rows: list[dict[str, str]], *, header: list[str] | None = None) -> Path:
    """A small FOCUS 1.0 CSV: every required column, defaults overridden per row."""
    base = {"BilledCost": "1.0", "EffectiveCost": "1.0", "ListCost": "1.0",
            "ContractedCost": "1.0", "BillingAccountId": "123", "BillingCurrency": "USD",
            "BillingPeriodStart": "2026-05-01 00:00:00", "BillingPeriodEnd": "2026-06-01 00:00:00",
            "ChargePeriodStart": "2026-05-03 00:00:00", "ChargePeriodEnd": "2026-05-03 01:00:00",
            "ChargeCategory": "Usage", "ServiceName": "AWS Lambda", "ProviderName": "AWS",
            "ResourceId": "arn:aws:lambda:us-east-1:1:function:f", "Tags": "{}",
            "ChargeDescription": ""}
    columns = header or list(base)
    lines = [",".join(columns)]
    for row in rows:
        values = {**base, **row}
        lines.append(",".join(_quoted(values.get(c, "")) for c in columns))
    path.write_text("\n".join(lines) + "\n")
    return path


def _quoted(value: str) -> str:
    if any(c in value for c in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value
