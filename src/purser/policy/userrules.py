"""A team's own one-attribute rules, written in YAML beside its Rego policies.

Every `*.yaml` / `*.yml` file of the policy folder (`policies.rego`, `policies/` by default)
that has a top-level `rules:` list declares rules in the built-in packs' vocabulary:

```yaml
rules:
  - id: ACME-DB-001
    title: Databases keep two weeks of backups
    severity: high
    category: security
    kinds: [aws.rds.instance, aws.rds.cluster]   # or types: [aws_db_instance, ...]
    path: backup_retention_period                # canonical attribute name (purser.kinds)
    expect: {at_least: 14}                       # equals, not_equals, one_of, not_one_of,
    default: 1                                   # present, absent, matches, at_least, at_most,
                                                 # contains (a list holds the item)
    when: {engine: {matches: "^postgres"}}
    message: "backups are kept {value} days"
    remediation: Set backup_retention_period = 14.
    frameworks: [SOC 2 A1.2]
    equivalents: {checkov: [CKV_AWS_133]}
```

Each becomes an `AttributeRule`, so it judges exactly as a built-in one does (an unknown
value is never a pass or a false alarm). The files are written by whoever can push: they
are read bounded (files, bytes, rules), a pattern is matched by RE2 (linear time), a
message only substitutes `{value}` and `{path}`, and a bad rule is an error at its file
and line while the other rules still run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from purser import kinds, safefile
from purser.config import Config
from purser.model import Category, Finding, Resource, Severity, SourceError
from purser.policy.declarative import AttributeRule, Expect
from purser.policy.engine import rule_error, to_finding
from purser.policy.rule import Rule, RuleContext, rules
from purser.safeyaml import YamlError, load_documents

MAX_FILES = 200
MAX_FILE_BYTES = 512 * 1024
MAX_RULES = 1000
RESERVED_PREFIX = "PUR-"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    equals: Any = None
    not_equals: Any = None
    one_of: list[Any] | None = None
    not_one_of: list[Any] | None = None
    present: Literal[True] | None = None
    absent: Literal[True] | None = None
    matches: str | None = Field(default=None, max_length=500)
    at_least: float | None = None
    at_most: float | None = None
    contains: Any = None

    def expect(self) -> Expect:
        chosen = {name: value for name, value in self.model_dump(exclude_unset=True).items()}
        for name in ("one_of", "not_one_of"):
            if name in chosen:
                chosen[name] = tuple(chosen[name] or ())
        return Expect(**chosen)


class DeclaredRule(_Strict):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
    title: str = Field(min_length=1, max_length=200)
    severity: Severity
    category: Category = Category.security
    kinds: list[str] = Field(default_factory=list, max_length=50)
    types: list[str] = Field(default_factory=list, max_length=200)
    path: str = Field(min_length=1, max_length=300)
    expect: Condition
    default: Any = None
    when: dict[str, Condition] = Field(default_factory=dict, max_length=10)
    message: str = Field(default="{path} is {value}", max_length=500)
    remediation: str = Field(default="", max_length=1000)
    frameworks: list[str] = Field(default_factory=list, max_length=30)
    equivalents: dict[str, list[str]] = Field(default_factory=dict, max_length=10)


def read_rules(folder: Path, root: Path) -> tuple[list[Rule], list[SourceError]]:
    """The rules declared under `folder` (inside the repository `root`), and an error for
    each file or rule that could not be taken."""
    base = os.path.realpath(folder)
    if not os.path.isdir(base):
        return [], []
    if not safefile.is_within(base, os.path.realpath(root)):
        return [], [SourceError(file="purser.yaml", message=(
            "policies.rego: the policy folder resolves outside the repository; no YAML "
            "rule was read"))]
    found: list[Rule] = []
    errors: list[SourceError] = []
    taken = set(rules)
    for index, path in enumerate(_yaml_files(base)):
        file = Path(os.path.relpath(path, os.path.realpath(root))).as_posix()
        if index == MAX_FILES:
            errors.append(SourceError(file=file, line=1, message=(
                f"more than {MAX_FILES} YAML files in the policy folder; the rest were not read")))
            break
        try:
            text = safefile.read_text(root, file, MAX_FILE_BYTES)
            documents = load_documents(text)
        except safefile.Refused as refused:
            errors.append(SourceError(file=file, line=refused.line, message=refused.reason))
            continue
        except YamlError as error:
            errors.append(SourceError(file=file, line=error.line, message=error.message))
            continue
        for document in documents:
            declared = document.data.get("rules") if isinstance(document.data, dict) else None
            if not isinstance(declared, list):
                continue  # another kind of YAML (a Conftest data file, say)
            for position, entry in enumerate(declared):
                line = document.line_of(["rules", position])
                if len(found) == MAX_RULES:
                    errors.append(SourceError(file=file, line=line, message=(
                        f"more than {MAX_RULES} YAML rules; the rest were not loaded")))
                    return found, errors
                made = _rule(entry, file, line, taken)
                if isinstance(made, SourceError):
                    errors.append(made)
                else:
                    taken.add(made.id)
                    found.append(made)
    return found, errors


def _yaml_files(base: str) -> list[str]:
    """YAML files under `base` in path order, never following a symlinked folder."""
    files: list[str] = []
    for folder, subfolders, names in os.walk(base, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if name != ".git")
        files += [os.path.join(folder, n) for n in sorted(names)
                  if n.endswith((".yaml", ".yml"))]
        if len(files) > MAX_FILES:
            break
    return files


def _rule(entry: Any, file: str, line: int, taken: set[str]) -> Rule | SourceError:
    try:
        declared = DeclaredRule.model_validate(entry)
        expect = declared.expect.expect()
        when = {path: condition.expect() for path, condition in declared.when.items()}
        types = tuple(dict.fromkeys([*kinds.types(*declared.kinds), *declared.types]))
    except ValidationError as invalid:
        problem = invalid.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "rule"
        return SourceError(file=file, line=line, message=f"YAML rule: {where}: {problem['msg']}")
    except (ValueError, KeyError) as invalid:  # an unknown kind, a bad expectation or pattern
        text = f"unknown kind {invalid}" if isinstance(invalid, KeyError) else str(invalid)
        return SourceError(file=file, line=line, message=f"YAML rule: {text}")
    if declared.id.upper().startswith(RESERVED_PREFIX) or declared.id in taken:
        return SourceError(file=file, line=line, message=(
            f"YAML rule: id {declared.id} is taken (PUR- ids are purser's own)"))
    if not types:
        return SourceError(file=file, line=line, message="YAML rule: names no kinds or types")
    attributes = {
        "id": declared.id, "title": declared.title, "severity": declared.severity,
        "category": declared.category, "pack": "repository", "resource_types": types,
        "frameworks": tuple(declared.frameworks), "remediation": declared.remediation,
        "equivalents": {tool: tuple(ids) for tool, ids in declared.equivalents.items()},
        "path": declared.path, "expect": expect, "default": declared.default, "when": when,
        "message": declared.message, "source": f"{file}:{line}"}
    return type(f"Declared_{len(taken)}", (AttributeRule,), attributes)()


def evaluate(folder: Path, root: Path, resources: list[Resource],
             config: Config) -> tuple[list[Finding], list[SourceError]]:
    """Findings of the YAML rules under `folder` on `resources`; a rule that raises on a
    resource is an error naming both, and the rest still run."""
    declared, errors = read_rules(folder, root)
    if not declared:
        return [], errors
    context = RuleContext(resources, config)
    findings: list[Finding] = []
    for active in declared:
        wanted = set(active.resource_types)
        for resource in resources:
            if resource.type not in wanted:
                continue
            try:
                findings += [to_finding(active, resource, outcome)
                             for outcome in active.check(resource, context)]
            except Exception as exc:  # isolate the rule, report it, go on
                errors.append(rule_error(active, resource, exc))
    return findings, errors
