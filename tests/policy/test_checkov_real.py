"""The Checkov adapter against the real Checkov, when one is installed in its own venv.

Checkov never goes into purser's environment (it pins an old boto3 and ships an `hcl2`
module that shadows python-hcl2); `.ci/run` installs it into a separate venv and names it
in PURSER_TEST_CHECKOV. Without it these tests are skipped; the adapter's own tests
(test_checkov.py) run a recorded stand-in either way.
"""

import os
import shutil
from pathlib import Path

import pytest

from purser.config import load_config
from purser.gate import CheckOptions, run_check

CHECKOV = os.environ.get("PURSER_TEST_CHECKOV", "")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"

pytestmark = pytest.mark.skipif(not os.access(CHECKOV or "/nonexistent", os.X_OK),
                                reason="PURSER_TEST_CHECKOV names no checkov executable")


def test_real_checkov_findings_are_merged_located_and_deduplicated(tmp_path, monkeypatch):
    shop = tmp_path / "shop"
    shutil.copytree(EXAMPLE, shop)
    monkeypatch.setenv("PURSER_CHECKOV", CHECKOV)
    report = run_check(shop, load_config(shop), CheckOptions(cost=False))
    assert report.errors == []
    from_checkov = [f for f in report.findings if f.origin == "checkov"]
    assert from_checkov, "Checkov finds something in the example"
    for finding in from_checkov:
        assert finding.rule_id.startswith(("CKV_", "CKV2_"))
        assert (shop / finding.source.file).is_file()
        assert finding.source.line >= 1
    # Privileged containers are PUR-SEC-034's: Checkov's CKV_K8S_16 on the same
    # resource is folded into it, not reported twice.
    privileged = {f.resource for f in report.findings if f.rule_id == "PUR-SEC-034"}
    assert privileged
    assert not [f for f in from_checkov if f.rule_id == "CKV_K8S_16"
                and f.resource in privileged]
