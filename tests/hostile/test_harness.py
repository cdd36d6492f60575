"""The harness itself: a plain repository passes through it cleanly."""

from pathlib import Path

from .conftest import build, run_purser


def test_a_clean_repository_runs_under_the_limits(tmp_path: Path) -> None:
    repo = build(tmp_path / "repo",
                 {"main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'})
    outcome = run_purser("check", repo, "--format", "json", "--no-cost")
    outcome.assert_clean()
    assert '"aws_sqs_queue.q"' in outcome.stdout
