"""Accuracy of the built-in packs against Checkov on intentionally vulnerable repositories.

Give it checkouts of public repositories (terragoat, cfngoat, kubernetes-goat, sadcloud,
kustomizegoat, ...): they are read where they lie and never copied, shipped or committed.
For each folder it runs purser's own rules (no Checkov adapter, no Rego, no cost) and
Checkov (`--checkov PATH`, or `checkov` on PATH; keep it in its own virtual environment,
it pins libraries purser's environment must not share), then prints:

* resources flagged by purser, by Checkov, by both, by purser only and by Checkov only;
* Checkov's failed checks, and how many of them purser covers: a purser finding on the
  same resource from a rule that names that Checkov check among its `equivalents`; the
  same share among the checks on resources of types purser's rules judge (Checkov also
  reads Azure, GCP and other clouds' resources, and resources a `count` of 0 never
  creates);
* the Checkov checks purser does not cover, most frequent first (what to triage);
* purser's findings by severity, and the high and critical ones purser raises where
  Checkov flags nothing (candidates for false alarms, or Checkov's gaps).

Resources are matched by folder and by the name both tools give them: Terraform
`type.name` (module path and instance key dropped), CloudFormation logical id, Kubernetes
`Kind/name`.

    python benchmarks/accuracy.py /work/outside/terragoat /work/outside/cfngoat \\
        [--checkov /path/to/venv/bin/checkov] [--top 15] [--var all_findings=true]

(`--var` sets Terraform variables, e.g. sadcloud's switches, which its tfvars turn off.)
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from purser.config import Config
from purser.gate import CheckOptions, run_check
from purser.policy.rule import rules

Key = tuple[str, str]  # (folder of the file, resource name)
CHECKOV_TIMEOUT = 900
_INDEX = re.compile(r"\[[^\]]*\]")


def purser_key(address: str, file: str) -> Key:
    folder = posixpath.dirname(file)
    if address.startswith("k8s:"):
        parts = address[4:].split("/")  # group/Kind/namespace/name
        return folder, f"{parts[1]}/{parts[-1]}"
    if address.startswith("cfn:"):
        return folder, address.rsplit("#", 1)[-1]
    local = _INDEX.sub("", address.rsplit("//", 1)[-1])
    return folder, ".".join(local.split(".")[-2:])


def checkov_key(check_type: str, resource: str, file: str) -> Key:
    folder = posixpath.dirname(file.lstrip("/"))
    if check_type in ("kubernetes", "helm", "kustomize"):
        parts = resource.split(".")
        return folder, f"{parts[0]}/{parts[-1]}"
    if check_type == "cloudformation":
        return folder, resource.rsplit(".", 1)[-1]
    return folder, ".".join(_INDEX.sub("", resource).split(".")[-2:])


def run_purser(folder: Path, variables: dict[str, str]) -> tuple[Any, float]:
    config = Config()
    config.policies.checkov = False
    config.policies.rego = None
    started = time.perf_counter()
    report = run_check(folder, config, CheckOptions(cost=False, variables=variables))
    return report, time.perf_counter() - started


def run_checkov(checkov: str, folder: Path) -> tuple[list[tuple[str, Key]], float]:
    """(check id, resource key) of each failed check; Checkov exits 1 when any fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [checkov, "-d", str(folder), "-o", "json", "--quiet", "--compact",
         "--skip-download", "--framework", "terraform", "cloudformation", "kubernetes"],
        capture_output=True, text=True, timeout=CHECKOV_TIMEOUT, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"checkov failed ({done.returncode}): {done.stderr[-500:]}")
    reports = json.loads(done.stdout or "[]")
    failed: list[tuple[str, Key]] = []
    for report in reports if isinstance(reports, list) else [reports]:
        check_type = report.get("check_type", "")
        for check in report.get("results", {}).get("failed_checks", []):
            failed.append((check["check_id"], checkov_key(
                check_type, check["resource"], check.get("file_path", ""))))
    return failed, elapsed


def equivalents() -> dict[str, set[str]]:
    """purser rule id → the Checkov check ids it declares it covers."""
    return {rule_id: set(cls.equivalents.get("checkov", ())) for rule_id, cls in rules.items()}


def measure(folder: Path, checkov: str | None, top: int, variables: dict[str, str]) -> None:
    report, purser_seconds = run_purser(folder, variables)
    findings = report.findings
    # Resources of a type some rule judges: Checkov also reads other clouds' resources.
    judged = {t for _, cls in rules.items() for t in cls.resource_types}
    loaded = {purser_key(r.address, r.source.file) for r in report.resources
              if r.type in judged}
    flagged: dict[Key, list[Any]] = defaultdict(list)
    for finding in findings:
        flagged[purser_key(finding.resource, finding.source.file)].append(finding)
    severities = Counter(f.severity.value for f in findings)
    counted = ", ".join(f"{n} {s}" for s, n in sorted(severities.items()))
    print(f"\n== {folder.name}")
    print(f"purser: {len(report.resources)} resources read, {len(findings)} findings on "
          f"{len(flagged)} resources in "
          f"{purser_seconds:.1f} s ({counted})")
    if checkov is None:
        print("checkov: not run (no --checkov and none on PATH)")
        return
    failed, checkov_seconds = run_checkov(checkov, folder)
    checkov_flagged = {key for _, key in failed}
    covers = equivalents()
    covered = [(check, key) for check, key in failed
               if any(check in covers.get(f.rule_id, ()) for f in flagged.get(key, ()))]
    both = set(flagged) & checkov_flagged
    print(f"checkov: {len(failed)} failed checks on {len(checkov_flagged)} resources in "
          f"{checkov_seconds:.1f} s")
    print(f"resources flagged: purser {len(flagged)}, checkov {len(checkov_flagged)}, "
          f"both {len(both)}, purser only {len(set(flagged) - checkov_flagged)}, "
          f"checkov only {len(checkov_flagged - set(flagged))}")
    share = len(covered) / len(failed) if failed else 1.0
    print(f"checkov findings covered by an equivalent purser rule on the same resource: "
          f"{len(covered)} of {len(failed)} ({share:.0%})")
    readable = [(check, key) for check, key in failed if key in loaded]
    covered_readable = [c for c in covered if c[1] in loaded]
    print(f"  among the {len(readable)} on resources of types purser judges: "
          f"{len(covered_readable)} "
          f"({len(covered_readable) / len(readable) if readable else 1.0:.0%})")
    missing = Counter(check for check, key in readable if (check, key) not in set(covered))
    print(f"checkov checks not covered there (top {top}): " + ", ".join(
        f"{check} x{n}" for check, n in missing.most_common(top)))
    only = sorted((f.severity.value, f.rule_id, f.resource)
                  for key in set(flagged) - checkov_flagged
                  for f in flagged[key] if f.severity.value in ("high", "critical"))
    print(f"high/critical on resources checkov does not flag: {len(only)}")
    for severity, rule_id, address in only[:top]:
        print(f"  {severity:8} {rule_id} {address}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--checkov", help="checkov executable (default: on PATH)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="a Terraform variable for purser's evaluation (repeatable)")
    args = parser.parse_args()
    variables = dict(item.split("=", 1) for item in args.var if "=" in item)
    checkov = args.checkov or shutil.which("checkov")
    for folder in args.folders:
        if not folder.is_dir():
            print(f"{folder}: not a folder", file=sys.stderr)
            return 2
        measure(folder.resolve(), checkov, args.top, variables)
    return 0


if __name__ == "__main__":
    sys.exit(main())
