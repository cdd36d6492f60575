"""Hostile Rego end to end: `purser check` on a stranger's repository reports each policy
attack as the error of its file and line, still runs the good policy beside it, exits 2
and prints nothing it should not (finer variations: tests/policy/test_rego_source.py and
tests/policy/test_rego_sandbox.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import Outcome, build, run_purser

BUCKET = 'resource "aws_s3_bucket" "fine" {\n  bucket = "fine"\n}\n'
GOOD = """package good
import rego.v1
deny contains "a bucket, seen by the good policy" if { input.type == "aws_s3_bucket" }
"""
V1 = "package bad\nimport rego.v1\n"


def check(repo: Path) -> tuple[Outcome, dict[str, object]]:
    outcome = run_purser("check", repo, "--format", "json", "--no-cost")
    outcome.assert_clean()
    assert outcome.code == 2, outcome.output[-2000:]
    return outcome, json.loads(outcome.stdout)


def errors_of(report: dict[str, object]) -> list[tuple[str, int, str]]:
    return [(e["file"], e["line"], e["message"])  # type: ignore[index]
            for e in report["errors"]]  # type: ignore[attr-defined]


def rego_findings(report: dict[str, object]) -> list[str]:
    return [f["rule_id"] for f in report["findings"]  # type: ignore[attr-defined, index]
            if f["rule_id"].startswith("REGO:")]  # type: ignore[index]


def attack(tmp_path: Path, bad: str | bytes) -> list[tuple[str, int, str]]:
    """Errors of a repository whose `policies/bad.rego` is `bad`, beside a good policy
    that must still find the bucket."""
    repo = build(tmp_path / "repo", {"bucket.tf": BUCKET, "policies/good.rego": GOOD,
                                     "policies/bad.rego": bad})
    _, report = check(repo)
    assert rego_findings(report) == ["REGO:good"]
    return errors_of(report)


def test_a_policy_reading_the_environment_is_refused_at_its_line(tmp_path: Path):
    errors = attack(tmp_path, V1 + 'deny contains msg if {\n  msg := sprintf("%v", '
                                   "[opa.runtime().env])\n}\n")
    assert [(file, line) for file, line, _ in errors] == [("policies/bad.rego", 4)]
    assert "opa.runtime" in errors[0][2]


def test_a_policy_symlinked_to_a_file_outside_is_refused(tmp_path: Path, outside_file: Path):
    repo = build(tmp_path / "repo", {"bucket.tf": BUCKET, "policies/good.rego": GOOD})
    os.symlink(outside_file, repo / "policies" / "leak.rego")
    _, report = check(repo)
    errors = errors_of(report)
    assert [file for file, _, _ in errors] == ["policies/leak.rego"]
    assert "outside the repository" in errors[0][2]
    assert rego_findings(report) == ["REGO:good"]


OUTSIDE_POLICY = 'package outside\ndeny contains "outside-policy-ran" if { true }\n'


@pytest.mark.parametrize("folder", ["/", "../"])
def test_a_policy_folder_outside_the_repository_is_not_read(tmp_path: Path, folder: str):
    repo = build(tmp_path / "repo", {"bucket.tf": BUCKET, "policies/good.rego": GOOD,
                                     "purser.yaml": f"policies:\n  rego: {folder}\n"})
    build(tmp_path, {"outside.rego": OUTSIDE_POLICY})
    outcome = run_purser("check", repo, "--format", "json", "--no-cost")
    outcome.assert_clean()
    assert outcome.code == 2
    assert "purser.yaml" in outcome.output
    assert "outside-policy-ran" not in outcome.output


def test_a_policy_folder_symlinked_outside_is_not_read(tmp_path: Path):
    outside = build(tmp_path / "elsewhere", {"outside.rego": OUTSIDE_POLICY})
    repo = build(tmp_path / "repo", {"bucket.tf": BUCKET})
    os.symlink(outside, repo / "policies")
    _, report = check(repo)
    rego_errors = [message for file, _, message in errors_of(report) if file == "purser.yaml"]
    assert len(rego_errors) == 1 and "outside the repository" in rego_errors[0]
    assert rego_findings(report) == []
    assert "outside-policy-ran" not in json.dumps(report)


def test_recursion_is_the_files_error_at_the_rule(tmp_path: Path):
    errors = attack(tmp_path, V1 + "a if { b }\nb if { a }\ndeny contains \"x\" if { a }\n")
    assert [(file, line) for file, line, _ in errors] == [("policies/bad.rego", 3)]
    assert "Recursion" in errors[0][2]


def test_a_range_of_a_hundred_million_numbers_is_stopped(tmp_path: Path):
    # written 1e8, rego-cpp refuses the float and the rule is undefined: no work at all
    errors = attack(tmp_path, V1 + "deny contains msg if {\n"
                                   "  n := count(numbers.range(1, 100000000))\n"
                                   '  msg := sprintf("%v", [n])\n}\n')
    assert [(file, line) for file, line, _ in errors] == [("policies/bad.rego", 3)]
    assert "was stopped on aws_s3_bucket.fine" in errors[0][2]


def test_regex_backtracking_is_stopped_by_the_time_limit(tmp_path: Path):
    errors = attack(tmp_path, V1 + 'deny contains "x" if {\n'
                                   f'  regex.match("^(a+)+$", concat("", ["{"a" * 40}", '
                                   'input.type]))\n}\n')
    assert [(file, line) for file, line, _ in errors] == [("policies/bad.rego", 3)]
    assert "limit" in errors[0][2]


def test_eight_thousand_rules_are_refused_before_compiling(tmp_path: Path):
    rules = "".join(f'deny contains "r{i}" if {{ input.type == "t{i}" }}\n' for i in range(8000))
    errors = attack(tmp_path, V1 + rules)
    assert [(file, line) for file, line, _ in errors] == [("policies/bad.rego", 1003)]
    assert "more than 1000 Rego rules" in errors[0][2]


def test_a_policy_that_crashes_the_compiler_is_left_out(tmp_path: Path):
    depth = 20000
    errors = attack(tmp_path, V1 + "x := " + "[" * depth + "]" * depth
                    + '\ndeny contains "x" if { x }\n')
    assert [(file, line) for file, line, _ in errors] == [("policies/bad.rego", 4)]
    assert "crashed" in errors[0][2]
