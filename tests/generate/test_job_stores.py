"""Jobs and workers that write somewhere: the scheduled job, the queue worker and the event
pipeline accept S3 and DynamoDB, each a private, encrypted resource of their own that the
function is granted exactly what it needs on; the result passes the gate and is priced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from purser.generate import Generation, generate, parse_intent
from purser.git import commit_work_tree
from purser.model import Severity

QUOTED = "nightly job that exports the orders table to S3 in N. Virginia, at most $5/month"
BUCKET_PARTS = ("aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration",
                "aws_s3_bucket_public_access_block", "aws_s3_bucket_versioning",
                "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_policy")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("job-stores")
    commit_work_tree(root, "empty")
    return root


def _main(result: Generation) -> str:
    return next(t for p, t in result.files.items() if p.endswith("main.tf"))


def _granted(result: Generation) -> list[str]:
    """The actions of the function's role policy, one entry per statement."""
    policy = _main(result).split('resource "aws_iam_role_policy" "fn"')[1].split("\n}\n")[0]
    return [", ".join(re.findall(r'"[^"]+"', actions))
            for actions in re.findall(r"Action += \[([^\]]*)\]", policy)]


def _passes_and_is_priced(result: Generation) -> None:
    assert result.accepted, result.problems
    assert not [f for f in result.findings if f.severity.at_least(Severity.high)]
    assert result.fit.fits and not result.fit.unverified, result.fit.explanation
    assert result.fit.priced.total > 0


def test_the_quoted_export_job_writes_to_a_private_bucket_it_may_only_put_into(
        repo: Path) -> None:
    result = generate(QUOTED, repo=repo, read=parse_intent, dry_run=True)
    assert result.spec.pattern == "scheduled-job" and result.spec.region == "us-east-1"
    _passes_and_is_priced(result)
    assert {f"{kind}.results" for kind in BUCKET_PARTS} <= set(result.addresses)
    main = _main(result)
    assert '"aws:kms"' in main and 'status = "Enabled"' in main and "expiration" in main
    assert [a for a in _granted(result) if "s3:" in a] == ['"s3:PutObject"']
    assert 'Resource = ["${aws_s3_bucket.results.arn}/*"]' in main
    priced = {r.address for r in result.fit.priced.estimate.resources}
    assert "aws_s3_bucket.results" in priced
    assert any("results in a private bucket" in d.choice for d in result.decisions)


def test_an_export_of_a_dynamodb_table_only_describes_and_scans_it(repo: Path) -> None:
    result = generate("nightly job that exports a DynamoDB table to S3 in N. Virginia, at "
                      "most $10/month", repo=repo, read=parse_intent, app="table-export",
                      dry_run=True)
    _passes_and_is_priced(result)
    granted = _granted(result)
    assert '"dynamodb:DescribeTable", "dynamodb:Scan"' in granted
    assert not [a for a in granted if "PutItem" in a or "DeleteItem" in a]
    table = next(r for r in result.fit.priced.estimate.resources
                 if r.address == "aws_dynamodb_table.table")
    assert table.monthly_cost > 0


@pytest.mark.parametrize("intent", [
    "queue worker writing to S3 and DynamoDB, 1M messages a month, $30 a month",
    "Event-driven pipeline into S3 and DynamoDB, 1M events a month, $100 a month"])
def test_workers_write_items_to_a_table_of_their_own_and_never_delete_or_scan(
        intent: str, repo: Path) -> None:
    result = generate(intent, repo=repo, read=parse_intent, dry_run=True)
    _passes_and_is_priced(result)
    granted = _granted(result)
    items = [a for a in granted if "dynamodb:" in a]
    assert items == ['"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", '
                     '"dynamodb:UpdateItem"']
    assert [a for a in granted if "s3:" in a] == ['"s3:PutObject"']
    assert "aws_dynamodb_table.table" in result.addresses
