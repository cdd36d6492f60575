"""Attack cases on the repository's own settings: purser.yaml, usage files and waivers.

Each names a file outside the repository, a name that does not exist or a value that is
not a number, and must end as one error with file and line, exit 2, and nothing of the
outside file shown (a usage value that cannot be used is an error of the check, which
still prices everything else)."""

import json
from pathlib import Path

import pytest

from .conftest import build, run_purser

QUEUE_TF = 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'
USAGE = "version: 0.1\nresource_usage:\n  aws_sqs_queue.q:\n    monthly_requests: {}\n"


def repository(root: Path, config: str, **files: str) -> Path:
    return build(root, {"main.tf": QUEUE_TF, "purser.yaml": config, **files})


def test_cost_usage_naming_an_outside_file_is_refused(tmp_path, outside_file):
    repo = repository(tmp_path / "repo", f"project: x\ncost:\n  usage: {outside_file}\n")
    outcome = run_purser("check", repo)
    outcome.assert_clean()
    assert outcome.code == 2
    assert "purser.yaml:3: cost.usage: absolute path" in outcome.stderr


def test_policies_rego_at_the_file_system_root_is_refused(tmp_path):
    repo = repository(tmp_path / "repo", "policies:\n  rego: /\n")
    outcome = run_purser("check", repo, "--no-cost")
    outcome.assert_clean()
    assert outcome.code == 2
    assert "purser.yaml:2: policies.rego: absolute path '/'" in outcome.stderr


def test_a_usage_file_escaping_with_dots_is_refused(tmp_path):
    repo = repository(tmp_path / "repo", "applications:\n  - name: a\n"
                                         "    usage: ../outside/secret.txt\n")
    outcome = run_purser("check", repo)
    outcome.assert_clean()
    assert outcome.code == 2
    assert "purser.yaml:3: applications.0.usage: '../outside/secret.txt' leaves the " \
           "repository" in outcome.stderr


def test_a_config_linked_out_of_the_repository_is_refused(tmp_path, outside_file):
    repo = build(tmp_path / "repo", {"main.tf": QUEUE_TF})
    (repo / "purser.yaml").symlink_to(outside_file)
    outcome = run_purser("check", repo)
    outcome.assert_clean()
    assert outcome.code == 2
    assert "purser.yaml: purser.yaml resolves outside the repository" in outcome.stderr


def test_a_usage_file_linked_out_of_the_repository_is_refused(tmp_path, outside_file):
    repo = repository(tmp_path / "repo", "cost:\n  usage: usage.yml\n")
    (repo / "usage.yml").symlink_to(outside_file)
    outcome = run_purser("check", repo)
    outcome.assert_clean()
    assert outcome.code == 2
    assert "usage.yml: usage.yml resolves outside the repository" in outcome.stderr


def test_the_command_line_may_name_a_usage_file_outside(tmp_path):
    usage = build(tmp_path / "elsewhere", {"usage.yml": USAGE.format(3_000_000)})
    repo = build(tmp_path / "repo", {"main.tf": QUEUE_TF})
    outcome = run_purser("cost", repo, "--usage", usage / "usage.yml", "--format", "json")
    outcome.assert_clean()
    assert outcome.code == 0
    assert '"monthly_quantity": 3.0' in outcome.stdout  # SQS bills per million requests


def test_an_unknown_pack_is_refused_at_its_line(tmp_path):
    repo = repository(tmp_path / "repo", "project: x\npolicies:\n  packs: [nonexistent]\n")
    outcome = run_purser("check", repo, "--no-cost")
    outcome.assert_clean()
    assert outcome.code == 2
    assert "purser.yaml:3: policies.packs.0: unknown pack 'nonexistent'" in outcome.stderr


def test_an_unreadable_usage_file_is_refused_with_file_and_line(tmp_path):
    repo = repository(tmp_path / "repo", "cost:\n  usage: costs/usage.yml\n",
                      **{"costs/usage.yml": USAGE.format("1" * 4400)})
    outcome = run_purser("check", repo, "--format", "json")
    outcome.assert_clean()
    assert outcome.code == 2
    assert "costs/usage.yml:4:" in outcome.stderr and "number too long" in outcome.stderr


@pytest.mark.parametrize(("value", "message"), [
    (".inf", "expected a finite number, got inf"),
    (".nan", "expected a finite number, got nan"),
    ("1e400", "expected a number, got '1e400'"),
    ("2027-13-45", "expected a number, got '2027-13-45'"),
])
def test_an_unusable_usage_value_fails_the_gate_with_file_and_line(tmp_path, value, message):
    """One bad value does not stop the run: the gate reports it as an input error (exit 2)
    and `purser cost` warns with it and prices the rest."""
    repo = repository(tmp_path / "repo", "cost:\n  usage: costs/usage.yml\n",
                      **{"costs/usage.yml": USAGE.format(value)})
    outcome = run_purser("check", repo, "--format", "json")
    outcome.assert_clean()
    assert outcome.code == 2
    [error] = json.loads(outcome.stdout)["errors"]
    assert (error["file"], error["line"]) == ("costs/usage.yml", 4)
    assert error["message"].startswith(f"monthly_requests: {message}")
    priced = run_purser("cost", repo)
    priced.assert_clean()
    assert priced.code == 0
    assert f"warning: costs/usage.yml:4: monthly_requests: {message}" in priced.stderr


def test_an_invalid_waiver_date_is_refused_at_its_line(tmp_path):
    repo = repository(tmp_path / "repo", "policies:\n  waivers:\n    - rule: PUR-FIN-001\n"
                                         "      reason: tagged later\n"
                                         "      expires: 2027-13-45\n")
    outcome = run_purser("check", repo, "--no-cost")
    outcome.assert_clean()
    assert outcome.code == 2
    assert "purser.yaml:5: policies.waivers.0.expires:" in outcome.stderr
