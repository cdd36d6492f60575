"""The optional Checkov adapter: run the `checkov` CLI when it is installed and merge its
failed checks as findings, leaving out those that repeat a built-in finding.

Checkov is never a dependency (it pins its own boto3 and ships its own `hcl2`); it runs as
a separate program found on PATH or named by PURSER_CHECKOV.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from purser.identity import ROOT_SEPARATOR, KubernetesId, kubernetes_group
from purser.model import Category, Finding, Severity, SourceError, SourceRef
from purser.policy.rule import rules

TIMEOUT_SECONDS = 600
ENVIRONMENT_VARIABLE = "PURSER_CHECKOV"


@dataclass(frozen=True)
class Overlap:
    """Built-in rules that check what a Checkov check checks, and the category they share."""

    rules: tuple[str, ...]
    category: Category = Category.security


def overlaps() -> dict[str, Overlap]:
    """Checkov check id → the built-in rules that declare it as an equivalent. A Checkov
    finding is dropped only when one of these rules fired on the same resource; anything
    else is kept. A check's category is that of its first rule in pack order."""
    from purser.policy.engine import PACKS, load_packs

    load_packs()
    ordered = sorted((cls for _, cls in rules.items()),
                     key=lambda cls: (PACKS.index(cls.pack) if cls.pack in PACKS
                                      else len(PACKS), cls.id))
    found: dict[str, Overlap] = {}
    for cls in ordered:
        for check_id in cls.equivalents.get("checkov", ()):
            known = found.get(check_id)
            found[check_id] = Overlap((*known.rules, cls.id), known.category) if known \
                else Overlap((cls.id,), cls.category)
    return found


# apiVersion of the kinds Checkov names as `Kind.namespace.name`, for purser's addresses.
API_VERSIONS = {
    "Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1",
    "ReplicaSet": "apps/v1", "Job": "batch/v1", "CronJob": "batch/v1",
    "Ingress": "networking.k8s.io/v1", "NetworkPolicy": "networking.k8s.io/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2", "Role": "rbac.authorization.k8s.io/v1",
    "RoleBinding": "rbac.authorization.k8s.io/v1",
    "ClusterRole": "rbac.authorization.k8s.io/v1",
    "ClusterRoleBinding": "rbac.authorization.k8s.io/v1",
}
SEVERITIES = {s.value: s for s in Severity}


def executable() -> str | None:
    """The checkov program: PURSER_CHECKOV when set, else `checkov` on PATH."""
    named = os.environ.get(ENVIRONMENT_VARIABLE)
    if named:
        return named if os.access(named, os.X_OK) and Path(named).is_file() else None
    return shutil.which("checkov")


def available() -> bool:
    return executable() is not None


def run(root: Path, existing: list[Finding]) -> tuple[list[Finding], list[SourceError]]:
    """Checkov's failed checks on the repository at `root`, minus those that repeat a
    finding in `existing`."""
    program = executable()
    if program is None:
        return [], []
    command = [program, "-d", str(root), "-o", "json", "--quiet", "--compact",
               "--skip-download"]
    try:
        completed = subprocess.run(command, capture_output=True, text=True,
                                   timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return [], [_failure(f"no answer within {TIMEOUT_SECONDS} s")]
    except OSError as exc:
        return [], [_failure(str(exc))]
    reports = _reports(completed.stdout)
    if reports is None:
        detail = _last_line(completed.stderr) or _last_line(completed.stdout) or "no output"
        return [], [_failure(f"exit status {completed.returncode}: {detail}")]
    locations = _Locations(existing, overlaps())
    findings = [finding for report in reports
                for check in _failed_checks(report)
                if (finding := _finding(check, root, locations)) is not None
                and not locations.repeats(finding)]
    return _unique(findings), []


def _failure(detail: str) -> SourceError:
    return SourceError(file=".", message=f"checkov failed: {detail}")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _reports(stdout: str) -> list[dict[str, Any]] | None:
    """Checkov prints one object, or a list with one object per framework; None when what
    it printed is not JSON."""
    try:
        parsed = json.loads(stdout)
    except ValueError:
        return None
    items = parsed if isinstance(parsed, list) else [parsed]
    return [item for item in items if isinstance(item, dict)]


def _failed_checks(report: dict[str, Any]) -> list[dict[str, Any]]:
    results = report.get("results")
    checks = results.get("failed_checks") if isinstance(results, dict) else None
    return [c for c in checks if isinstance(c, dict)] if isinstance(checks, list) else []


# --------------------------------------------------------------------------- mapping


class _Locations:
    """Where the built-in findings are: by resource address and by source file and line."""

    def __init__(self, existing: list[Finding], overlaps: dict[str, Overlap]) -> None:
        self.overlaps = overlaps
        self.rules_by_address: dict[str, set[str]] = defaultdict(set)
        self.addresses_at: dict[tuple[str, int], list[str]] = defaultdict(list)
        for finding in existing:
            self.rules_by_address[finding.resource].add(finding.rule_id)
            where = (finding.source.file, finding.source.line)
            if finding.resource not in self.addresses_at[where]:
                self.addresses_at[where].append(finding.resource)

    def address(self, named: str, file: str, line: int) -> str:
        """A purser address for Checkov's resource name, preferring one already seen at the
        same file and line (for_each instances share their block's line)."""
        here = self.addresses_at.get((file, line), [])
        for address in here:
            if _bare(address) == _bare(named) or address.endswith(named):
                return address
        return here[0] if len(here) == 1 else named

    def repeats(self, finding: Finding) -> bool:
        overlap = self.overlaps.get(finding.rule_id)
        if overlap is None:
            return False
        where = (finding.source.file, finding.source.line)
        candidates = {finding.resource, *self.addresses_at.get(where, [])}
        candidates = {a for a in candidates if _bare(a) == _bare(finding.resource)}
        return any(set(overlap.rules) & self.rules_by_address.get(address, set())
                   for address in candidates)


def _bare(address: str) -> str:
    """An address without its root, module path and instance keys: `aws_x.y`."""
    without_keys = address.split("[", 1)[0].rpartition(ROOT_SEPARATOR)[2]
    parts = without_keys.split(".")
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    return ".".join(parts)


def _finding(check: dict[str, Any], root: Path, locations: _Locations) -> Finding | None:
    check_id = str(check.get("check_id") or "")
    if not check_id:
        return None
    file = _repository_path(str(check.get("file_path") or check.get("repo_file_path") or ""),
                            root)
    line_range = check.get("file_line_range") or [0, 0]
    start = int(line_range[0]) if line_range and str(line_range[0]).isdigit() else 0
    end = int(line_range[-1]) if line_range and str(line_range[-1]).isdigit() else start
    named = _purser_address(str(check.get("resource") or ""), file)
    address = locations.address(named, file, start)
    overlap = locations.overlaps.get(check_id)
    name = str(check.get("check_name") or check_id)
    guideline = str(check.get("guideline") or "")
    severity = SEVERITIES.get(str(check.get("severity") or "").lower(), Severity.medium)
    return Finding(
        rule_id=check_id, title=name, severity=severity,
        category=overlap.category if overlap else Category.security,
        resource=address, message=name,
        remediation=f"See {guideline}" if guideline else "",
        source=SourceRef(file=file, line=start, end_line=end),
        evidence={"checkov_resource": check.get("resource"), "guideline": guideline or None,
                  "check_type": check.get("check_type")},
        origin="checkov")


def _repository_path(path: str, root: Path) -> str:
    """Checkov writes paths relative to `-d` with a leading slash, or absolute ones."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return PurePosixPath(path.lstrip("/")).as_posix() if path else "."


def _purser_address(named: str, file: str) -> str:
    """Checkov's resource name as a purser address where the pattern is known:
    `Deployment.ns.web` → `k8s:apps/Deployment/ns/web`, `AWS::S3::Bucket.B` →
    `cfn:<file>#B`; Terraform addresses are already purser's (within their root)."""
    if named.startswith("AWS::") and "." in named:
        return f"cfn:{file}#{named.rsplit('.', 1)[1]}"
    parts = named.split(".")
    if len(parts) == 3 and parts[0][:1].isupper():
        kind, namespace, name = parts
        group = kubernetes_group(API_VERSIONS.get(kind, "v1"))
        return KubernetesId(group=group, kind=kind, namespace=namespace, name=name).address
    return named


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str, int]] = set()
    unique = []
    for finding in findings:
        key = (finding.rule_id, finding.resource, finding.source.file, finding.source.line)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
