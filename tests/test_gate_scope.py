"""A check scoped to a folder reports the expired waivers that name resources in it, and
not those about resources elsewhere (the whole repository's check reports every one)."""

from __future__ import annotations

from pathlib import Path

from purser.gate import CheckOptions, run_check

CONFIG = """\
policies:
  waivers:
    - {rule: PUR-FIN-012, resource: aws_s3_bucket.logs, reason: later, expires: 2025-01-31}
    - {rule: PUR-SEC-017, resource: 'k8s:*', reason: old, expires: 2025-01-31}
    - {rule: PUR-SEC-024, resource: '*', reason: everywhere, expires: 2025-01-31}
"""
BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n"


def _expired(root: Path, only: str | None) -> set[str]:
    report = run_check(root, options=CheckOptions(only=only, cost=False, cache_dir=None))
    return {f.resource for f in report.findings if f.rule_id == "PUR-WVR-001"}


def test_a_scoped_check_reports_only_the_expired_waivers_that_name_its_resources(
        tmp_path: Path) -> None:
    (tmp_path / "purser.yaml").write_text(CONFIG)
    for file, body in (("storage/main.tf", BUCKET), ("k8s/settings.yaml", CONFIG_MAP)):
        (tmp_path / file).parent.mkdir()
        (tmp_path / file).write_text(body)
    everything = {"aws_s3_bucket.logs", "k8s:*", "*"}
    assert _expired(tmp_path, None) == everything
    assert _expired(tmp_path, ".") == everything
    assert _expired(tmp_path, "storage") == {"aws_s3_bucket.logs", "*"}
    assert _expired(tmp_path, "k8s") == {"k8s:*", "*"}
