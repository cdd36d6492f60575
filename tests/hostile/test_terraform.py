"""Hostile Terraform end to end: `purser check` on a stranger's repository reports each
attack as the error of its file and line, still checks the other files, exits 2 and
prints nothing it should not (finer variations: tests/sources/test_terraform_limits.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import OUTSIDE_TEXT, Outcome, build, run_purser

# A bucket with findings in its own file: its findings must survive every attack.
BUCKET = 'resource "aws_s3_bucket" "fine" {\n  bucket = "fine"\n}\n'


def check(repo: Path) -> tuple[Outcome, dict[str, object]]:
    outcome = run_purser("check", repo, "--format", "json", "--no-cost")
    outcome.assert_clean()
    assert outcome.code == 2, outcome.output[-2000:]
    return outcome, json.loads(outcome.stdout)


def errors_of(report: dict[str, object]) -> list[tuple[str, int, str]]:
    return [(e["file"], e["line"], e["message"]) for e in report["errors"]]  # type: ignore[attr-defined, index]


def assert_bucket_still_checked(report: dict[str, object]) -> None:
    files = {f["file"] for f in report["findings"]}  # type: ignore[attr-defined, index]
    assert "bucket.tf" in files


def attack(tmp_path: Path, files: dict[str, str | bytes]) -> list[tuple[str, int, str]]:
    repo = build(tmp_path / "repo", {"bucket.tf": BUCKET, **files})
    _, report = check(repo)
    assert_bucket_still_checked(report)
    return errors_of(report)


def resource(body: str) -> str:
    return 'resource "aws_sqs_queue" "q" {\n' + body + "\n}\n"


@pytest.mark.parametrize(("main", "line", "message"), [
    (resource("  count = 10000000"), 2, "10,000,000 instances, above the 10,000"),
    (resource("  name = 0x10"), 2, "invalid number '0x10'"),
    (resource("  name = " + "9" * 5000), 2, "is beyond 64 bits"),
    (resource("  count = 1.5e999"), 2, "number 1.5e999 is out of range"),
    (resource("  count = 1.5"), 2, "1.5 is not a whole number"),
    (resource('  name = format("%0999999999d", 1)'), 2, "format width or precision"),
    ("locals {\n  n0 = 3\n" + "".join(f"  n{i + 1} = local.n{i} * local.n{i}\n"
                                      for i in range(30)) + "}\n" + resource("  name = local.n30"),
     8, "an integer beyond 64 bits"),
    (resource("  name = length([for a in range(1000) : [for b in range(1000) : "
              "[for c in range(1000) : c if false]]])"), 2, "evaluation needs more than"),
    ('locals {\n  s0 = "aaaaaaaa"\n' + "".join(
        f'  s{i + 1} = "${{local.s{i}}}${{local.s{i}}}"\n' for i in range(40)) + "}\n"
     + resource("  name = local.s40"), 19, "a string of 1,048,576 characters"),
])
def test_a_bound_or_invalid_value_is_the_files_error_with_its_line(
        tmp_path: Path, main: str, line: int, message: str) -> None:
    errors = attack(tmp_path, {"main.tf": main})
    assert len(errors) == 1, errors
    assert errors[0][:2] == ("main.tf", line) and message in errors[0][2]


def test_a_count_of_a_hundred_million_from_tfvars_is_an_error_at_the_count(tmp_path: Path):
    errors = attack(tmp_path, {"main.tf": 'variable "n" {}\n' + resource("  count = var.n"),
                               "terraform.tfvars": "n = 1e8\n"})
    assert [e[:2] for e in errors] == [("main.tf", 3)]
    assert "100,000,000 instances" in errors[0][2]


def test_catastrophic_backtracking_regex_runs_in_linear_time(tmp_path: Path) -> None:
    repo = build(tmp_path / "repo", {"bucket.tf": BUCKET, "main.tf": resource(
        '  name = replace("' + "a" * 5000 + '!", "/^(a+)+$/", "x")')})
    outcome = run_purser("check", repo, "--format", "json", "--no-cost")
    outcome.assert_clean()
    report = json.loads(outcome.stdout)
    assert report["errors"] == [] and outcome.code in (0, 1)
    assert_bucket_still_checked(report)


def test_a_module_calling_its_own_folder_is_a_cycle_not_a_silent_pass(tmp_path: Path):
    errors = attack(tmp_path, {"main.tf": 'module "x" {\n  source = "./"\n  count = 4\n}\n'})
    assert errors == [("main.tf", 1, "module cycle: '.' → '.'; not evaluated")]


def test_modules_calling_each_other_are_a_cycle_naming_the_chain(tmp_path: Path) -> None:
    errors = attack(tmp_path, {
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n' + BUCKET.replace("fine", "a"),
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n'})
    assert errors == [("b/main.tf", 1, "module cycle: 'a' → 'b' → 'a'; not evaluated")]


@pytest.mark.parametrize("target", ["outside", "/dev/zero", "/proc/self/environ"])
def test_a_module_file_linking_out_of_the_repository_is_never_read(
        tmp_path: Path, outside_file: Path, target: str) -> None:
    repo = build(tmp_path / "repo", {
        "bucket.tf": BUCKET, "main.tf": 'module "m" {\n  source = "./mod"\n}\n',
        "mod/ok.tf": resource('  name = "in-module"')})
    os.symlink(outside_file if target == "outside" else target, repo / "mod" / "main.tf")
    _, report = check(repo)
    assert_bucket_still_checked(report)
    assert {e[0] for e in errors_of(report)} == {"mod/main.tf"}
    assert OUTSIDE_TEXT not in json.dumps(report)


def test_a_module_folder_outside_the_repository_is_an_error_not_read(
        tmp_path: Path, outside_file: Path) -> None:
    module = f'resource "aws_sqs_queue" "{OUTSIDE_TEXT}" {{}}\n'
    (outside_file.parent / "main.tf").write_text(module)
    repo = tmp_path / "repo"
    relative = os.path.relpath(outside_file.parent, repo)
    errors = attack(tmp_path, {"main.tf": f'module "m" {{\n  source = "./{relative}"\n}}\n'})
    assert [e[:2] for e in errors] == [("main.tf", 1)]
    assert "outside the repository" in errors[0][2]


def test_a_fifo_in_a_module_folder_does_not_hang_the_run(tmp_path: Path) -> None:
    repo = build(tmp_path / "repo", {
        "bucket.tf": BUCKET, "main.tf": 'module "m" {\n  source = "./mod"\n}\n',
        "mod/ok.tf": resource('  name = "in-module"')})
    os.mkfifo(repo / "mod" / "pipe.tf")
    _, report = check(repo)
    assert_bucket_still_checked(report)
    assert {(e[0], e[2]) for e in errors_of(report)} == {
        ("mod/pipe.tf", "not a regular file (a FIFO); not read")}
