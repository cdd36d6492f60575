"""The Checkov adapter, run as a real subprocess against a stand-in `checkov` program that
prints recorded Checkov-shaped JSON."""

import json
import os
import stat
from pathlib import Path

import pytest

from purser.model import Category, Finding, Severity, SourceRef
from purser.policy import checkov

TERRAFORM_REPORT = {
    "check_type": "terraform",
    "results": {"passed_checks": [], "failed_checks": [
        {"check_id": "CKV_AWS_50", "check_name": "X-Ray tracing is enabled for Lambda",
         "resource": "aws_lambda_function.api", "file_path": "/lambda.tf",
         "file_line_range": [1, 9], "severity": None,
         "guideline": "https://docs.example/ckv-aws-50"},
        {"check_id": "CKV_AWS_117", "check_name": "Ensure that AWS Lambda function is "
         "configured inside a VPC", "resource": "aws_lambda_function.api",
         "file_path": "/lambda.tf", "file_line_range": [1, 9], "severity": "LOW",
         "guideline": ""},
        {"check_id": "CKV_AWS_50", "check_name": "X-Ray tracing is enabled for Lambda",
         "resource": "aws_lambda_function.worker", "file_path": "/lambda.tf",
         "file_line_range": [11, 20], "severity": None, "guideline": None},
    ]},
    "summary": {"failed": 3},
}
KUBERNETES_REPORT = {
    "check_type": "kubernetes",
    "results": {"failed_checks": [
        {"check_id": "CKV_K8S_16", "check_name": "Container should not be privileged",
         "resource": "Deployment.shop.admin", "file_path": "/k8s/admin.yaml",
         "file_line_range": [1, 30], "severity": "HIGH", "guideline": None},
        {"check_id": "CKV_K8S_8", "check_name": "Liveness Probe Should be Configured",
         "resource": "Deployment.shop.admin", "file_path": "/k8s/admin.yaml",
         "file_line_range": [1, 30], "severity": None, "guideline": None},
    ]},
}


def fake_checkov(tmp_path: Path, stdout: str, exit_code: int = 1, stderr: str = "") -> Path:
    """A `checkov` program that records its arguments and prints `stdout`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "out.txt").write_text(stdout)
    (bin_dir / "err.txt").write_text(stderr)
    program = bin_dir / "checkov"
    program.write_text(
        "#!/bin/sh\n"
        'here="$(dirname "$0")"\n'
        'printf "%s\\n" "$@" > "$here/args.txt"\n'
        'cat "$here/out.txt"\n'
        'cat "$here/err.txt" >&2\n'
        f"exit {exit_code}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


@pytest.fixture
def on_path(tmp_path: Path, monkeypatch):
    def install(stdout: str, exit_code: int = 1, stderr: str = "") -> Path:
        program = fake_checkov(tmp_path, stdout, exit_code, stderr)
        monkeypatch.delenv("PURSER_CHECKOV", raising=False)
        monkeypatch.setenv("PATH", f"{program.parent}{os.pathsep}{os.environ['PATH']}")
        return program
    return install


def builtin(rule_id: str, address: str, line: int, category=Category.security) -> Finding:
    return Finding(rule_id=rule_id, severity=Severity.medium, category=category,
                   resource=address, message="m", source=SourceRef(file="lambda.tf", line=line))


def test_available_finds_checkov_on_path(on_path):
    on_path("{}")
    assert checkov.available()


def test_available_honours_purser_checkov(tmp_path, monkeypatch):
    program = fake_checkov(tmp_path, "{}")
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("PURSER_CHECKOV", str(program))
    assert checkov.available()
    monkeypatch.setenv("PURSER_CHECKOV", str(tmp_path / "missing"))
    assert not checkov.available()


def test_run_passes_the_documented_flags(tmp_path, on_path):
    program = on_path(json.dumps(TERRAFORM_REPORT))
    checkov.run(tmp_path, [])
    args = (program.parent / "args.txt").read_text().split("\n")
    assert args[:2] == ["-d", str(tmp_path)]
    assert {"-o", "json", "--quiet", "--compact", "--skip-download"} <= set(args)


def test_failed_checks_become_findings_with_checkov_origin(tmp_path, on_path):
    on_path(json.dumps(TERRAFORM_REPORT))
    findings, errors = checkov.run(tmp_path, [])
    assert errors == []
    assert [(f.rule_id, f.resource) for f in findings] == [
        ("CKV_AWS_50", "aws_lambda_function.api"), ("CKV_AWS_117", "aws_lambda_function.api"),
        ("CKV_AWS_50", "aws_lambda_function.worker")]
    first = findings[0]
    assert first.origin == "checkov"
    assert first.source == SourceRef(file="lambda.tf", line=1, end_line=9)
    assert first.severity is Severity.medium  # Checkov gave none
    assert first.category is Category.security
    assert first.remediation == "See https://docs.example/ckv-aws-50"
    assert findings[1].severity is Severity.low


def test_check_repeating_a_builtin_finding_on_the_same_resource_is_dropped(tmp_path, on_path):
    on_path(json.dumps(TERRAFORM_REPORT))
    existing = [builtin("PUR-SEC-018", "aws_lambda_function.api", 1)]
    findings, _ = checkov.run(tmp_path, existing)
    assert [(f.rule_id, f.resource) for f in findings] == [
        ("CKV_AWS_117", "aws_lambda_function.api"),
        ("CKV_AWS_50", "aws_lambda_function.worker")]


def test_unrelated_builtin_finding_does_not_hide_a_check(tmp_path, on_path):
    on_path(json.dumps(TERRAFORM_REPORT))
    existing = [builtin("PUR-SEC-017", "aws_lambda_function.api", 1)]
    findings, _ = checkov.run(tmp_path, existing)
    assert ("CKV_AWS_50", "aws_lambda_function.api") in {f.key for f in findings}


def test_for_each_instances_are_matched_by_file_and_line(tmp_path, on_path):
    on_path(json.dumps(TERRAFORM_REPORT))
    existing = [builtin("PUR-SEC-018", 'aws_lambda_function.worker["a"]', 11)]
    findings, _ = checkov.run(tmp_path, existing)
    assert "aws_lambda_function.worker" not in {f.resource for f in findings
                                                if f.rule_id == "CKV_AWS_50"}


def test_per_framework_list_and_kubernetes_names_become_purser_addresses(tmp_path, on_path):
    on_path(json.dumps([TERRAFORM_REPORT, KUBERNETES_REPORT]))
    existing = [Finding(rule_id="PUR-SEC-034", severity=Severity.high,
                        category=Category.security,
                        resource="k8s:apps/Deployment/shop/admin", message="m",
                        source=SourceRef(file="k8s/admin.yaml", line=1))]
    findings, _ = checkov.run(tmp_path, existing)
    k8s = [f for f in findings if f.rule_id.startswith("CKV_K8S")]
    assert [(f.rule_id, f.resource) for f in k8s] == [
        ("CKV_K8S_8", "k8s:apps/Deployment/shop/admin")]


def test_nonzero_exit_without_json_is_one_error(tmp_path, on_path):
    on_path("", exit_code=2, stderr="Traceback ...\nModuleNotFoundError: No module named 'x'\n")
    findings, errors = checkov.run(tmp_path, [])
    assert findings == []
    assert len(errors) == 1
    assert errors[0].message.startswith("checkov failed: ")
    assert "No module named 'x'" in errors[0].message


def test_empty_repository_summary_gives_no_findings(tmp_path, on_path):
    on_path(json.dumps({"passed": 0, "failed": 0, "skipped": 0}), exit_code=0)
    assert checkov.run(tmp_path, []) == ([], [])
