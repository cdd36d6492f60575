"""A budget fit is claimed only when everything that costs money was priced: a CloudFront
distribution without a price model (taken away here: purser prices CloudFront since issue
16) makes the fit unverified, refused unless the caller accepts it by name."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pygit2
import pytest
from typer.testing import CliRunner

from purser import ledger
from purser.cli import app
from purser.cost.pricers import load_builtin_pricers
from purser.generate import generate, parse_intent
from purser.git import commit_work_tree
from purser.store import database_url, open_database

INTENT = ("static website for marketing in eu-west-2 with 10 TB of egress a month, "
          "at most $20 a month")
RUNNER = CliRunner()



def _without_cloudfront() -> dict[str, Any]:
    return {t: p for t, p in load_builtin_pricers().items() if "cloudfront" not in t.lower()}


@pytest.fixture(autouse=True)
def unpriced_cloudfront(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (sys.modules["purser.cost.estimate"], sys.modules["purser.generate.pipeline"]):
        monkeypatch.setattr(module, "load_builtin_pricers", _without_cloudfront)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    commit_work_tree(tmp_path, "empty")
    return tmp_path


def test_an_unpriced_distribution_and_region_make_the_fit_unverified_not_a_pass(
        repo: Path) -> None:
    result = generate(INTENT, repo=repo, read=parse_intent, dry_run=True)
    assert not result.fit.fits and result.fit.within_budget
    explanation = result.fit.explanation
    assert "fits the" not in explanation and explanation.startswith("budget fit unverified")
    assert ("monthly_data_transfer_to_internet_gb.us): no price model for "
            "aws_cloudfront_distribution") in explanation
    # Origin access control has neither usage nor a price model: it costs nothing itself.
    assert "origin_access_control" not in explanation
    assert not result.accepted and "--accept-unpriced" in result.problems[0]


def test_without_the_flag_nothing_is_committed_and_the_ledger_says_refused(
        repo: Path) -> None:
    result = RUNNER.invoke(app, ["generate", INTENT, "--repo", str(repo), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert data["branch"] is None and data["estimate"]["verified"] is False
    assert len(data["estimate"]["not_priced"]) == 1
    with open_database(database_url(repo)) as db:
        entry = ledger.entries(db, application="marketing")[-1]
    assert entry.outcome == "refused" and "budget fit unverified" in entry.explanation


def test_accept_unpriced_commits_and_names_the_unpriced_parts_everywhere(repo: Path) -> None:
    result = generate(INTENT, repo=repo, read=parse_intent, accept_unpriced=True)
    assert result.accepted and result.commit and not result.fit.fits
    accepted = [d for d in result.decisions if d.choice.startswith("NOT priced: ")]
    assert {d.choice.split(" ")[2] for d in accepted} == {"aws_cloudfront_distribution.site"}
    message = pygit2.Repository(str(repo)).get(result.commit).message
    assert "accepted with --accept-unpriced" in message
    assert "- aws_cloudfront_distribution.site" in message
    with open_database(database_url(repo)) as db:
        entry = ledger.entries(db, application="marketing")[-1]
    assert entry.outcome == "proposed"
    recorded = json.loads(entry.explanation)["accepted_unpriced"]
    assert [p.split(" ")[0] for p in recorded] == ["aws_cloudfront_distribution.site"]


def test_the_cli_flag_commits_with_exit_0(repo: Path) -> None:
    result = RUNNER.invoke(app, ["generate", INTENT, "--repo", str(repo), "--accept-unpriced"])
    assert result.exit_code == 0, result.output
    assert "purser/gen-marketing" in result.output and "NOT priced" in result.output
