"""User Rego policies, evaluated with rego-cpp (regopy) in a sandboxed child process.

Every `.rego` file under the policy folder is read and vetted (`rego_source`), then all are
loaded into one interpreter (so a policy may call helpers from another file) and compiled
once; each resource is evaluated against every package that defines a `deny`, `violation`
or `warn` rule (Conftest's conventions, `deny_*`/`warn_*` too). Kubernetes resources are
presented as an admission request, so Gatekeeper/OPA admission policies run unchanged;
other resources as the IR. rego-cpp runs in a child process with no environment, under
time and memory limits (`rego_sandbox`): a policy that crashes it or runs away is that
file's error and the others still run.

Speed: converting a Python value into a Rego input costs more than the evaluation, so the
input is cut down to the `input.…` paths the policies name (found by scanning their
text; a bare `input` keeps everything), and identical cut-down inputs are evaluated once,
all in one child process.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

from purser.model import Category, Finding, Resource, Severity, SourceError
from purser.policy import rego_sandbox
from purser.policy.rego_source import Path_, Policy, input_paths, read_policies

CATEGORY_WORDS = (("finops", Category.finops), ("compliance", Category.compliance),
                  ("ai", Category.responsible_ai))

__all__ = ["Policy", "evaluate"]


def evaluate(folder: Path, root: Path,
             resources: list[Resource]) -> tuple[list[Finding], list[SourceError]]:
    """Findings of the Rego policies under `folder` for `resources`; a broken, refused or
    runaway file is an error of its own and the other policies still run."""
    policies, errors = read_policies(folder, root)
    if not any(policy.has_rules for policy in policies):
        return [], errors
    paths = input_paths(policies)
    documents, labels, chosen = _documents(resources, paths)
    evaluation = rego_sandbox.evaluate(policies, documents, labels)
    files = _rule_files(policies, left_out={error.file for error in evaluation.errors})
    return _findings(evaluation.results, files, resources, chosen), errors + evaluation.errors


def _findings(results: rego_sandbox.Results, files: dict[str, list[str]],
              resources: list[Resource], chosen: list[int]) -> list[Finding]:
    """One finding per message for each resource, from the results of its input."""
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for resource, index in zip(resources, chosen, strict=True):
        for package in files:
            for rule, entry in results.get((index, package), ()):
                finding = _finding(package, rule, entry, resource, files[package])
                identity = (finding.rule_id, finding.resource, finding.message)
                if identity not in seen:
                    seen.add(identity)
                    findings.append(finding)
    return findings


def _rule_files(policies: list[Policy], left_out: set[str]) -> dict[str, list[str]]:
    """Package → the files defining its deny/warn rules (those that compiled, for evidence)."""
    files: dict[str, list[str]] = {}
    for policy in policies:
        if policy.has_rules:
            files.setdefault(policy.package, []).append(policy.file)
    return {package: [f for f in named if f not in left_out] or named
            for package, named in files.items()}


def _documents(resources: list[Resource], paths: list[Path_] | None,
               ) -> tuple[list[Any], list[str], list[int]]:
    """The distinct cut-down inputs, the address of the first resource of each, and for
    each resource the index of its input."""
    documents: list[Any] = []
    labels: list[str] = []
    chosen: list[int] = []
    index_of: dict[str, int] = {}
    for resource in resources:
        document = _project(_input_for(resource, paths), paths)
        key = json.dumps(document, sort_keys=True, default=str)
        if key not in index_of:
            index_of[key] = len(documents)
            documents.append(json.loads(key))
            labels.append(resource.address)
        chosen.append(index_of[key])
    return documents, labels, chosen


#: Longest finding message a policy may write; the rest is cut and counted.
MAX_MESSAGE = 2_000


def _finding(package: str, rule: str, entry: Any, resource: Resource,
             files: list[str]) -> Finding:
    evidence: dict[str, Any] = {"policy": files[0] if len(files) == 1 else files, "rule": rule}
    if isinstance(entry, dict) and "msg" in entry:
        message = str(entry["msg"])
        if entry.get("details") is not None:
            evidence["details"] = entry["details"]
    elif isinstance(entry, str):
        message = entry
    elif entry is True:
        message = f"Rego rule {package}.{rule} holds for this resource"
    else:
        message = json.dumps(entry, sort_keys=True, default=str)
    warning = rule.startswith("warn")
    if len(message) > MAX_MESSAGE:  # findings land in PR comments and CI logs
        message = message[:MAX_MESSAGE] + f"… ({len(message):,} characters in all)"
    return Finding(
        rule_id=f"REGO:{package}", title=f"Rego policy {package}",
        severity=Severity.low if warning else Severity.high,
        category=_category(package), resource=resource.address, message=message,
        source=resource.source, evidence=evidence, origin="rego")


def _category(package: str) -> Category:
    words = set(re.split(r"[._\-]", package.lower()))
    for word, category in CATEGORY_WORDS:
        if word in words or (word != "ai" and word in package.lower()):
            return category
    return Category.security


# --------------------------------------------------------------------------- input


def _input_for(resource: Resource, paths: list[Path_] | None) -> Any:
    if _is_manifest(resource):
        return _admission_request(resource)
    if paths is None:
        return resource.model_dump(mode="json")
    fields = {path[0] for path in paths if path[0] in Resource.model_fields}
    return resource.model_dump(mode="json", include=fields) if fields else {}


def _is_manifest(resource: Resource) -> bool:
    if resource.format == "kubernetes":
        return True
    attrs = resource.attrs
    return resource.provider == "kubernetes" and "apiVersion" in attrs and "kind" in attrs


def _admission_request(resource: Resource) -> dict[str, Any]:
    manifest = resource.attrs
    group, _, version = str(manifest.get("apiVersion", "")).rpartition("/")
    namespace = resource.address.rsplit("/", 2)[-2] if resource.address.count("/") >= 2 else ""
    return {"request": {
        "kind": {"group": group, "version": version, "kind": manifest.get("kind", "")},
        "object": manifest, "operation": "CREATE",
        "namespace": "" if namespace == "_" else namespace, "name": resource.name,
        "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, resource.address)),
    }}


def _project(document: Any, paths: list[Path_] | None) -> Any:
    """Only the parts of `document` at `paths`, which are prefix-free; a path that meets a
    list or a scalar early keeps that value whole."""
    if paths is None:
        return document
    projected: dict[str, Any] = {}
    for path in paths:
        source, target = document, projected
        for key in path[:-1]:
            if not isinstance(source, dict) or key not in source:
                break
            source = source[key]
            if not isinstance(source, dict):
                target[key] = source
                break
            target = target.setdefault(key, {})
        else:
            if isinstance(source, dict) and path[-1] in source:
                target[path[-1]] = source[path[-1]]
    return projected
