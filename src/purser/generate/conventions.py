"""The habits of the repository code is generated into, read through the IR.

Names (`shop-prod-orders` → prefix `shop-{env}`), cost-allocation tag keys and their usual
values, the default region, Lambda memory, architecture and runtime, log retention come
from the resources `purser.sources` loads; provider version constraints and the module
sources the team calls come from the Terraform files' `terraform` and `module` blocks
(parsed with the same HCL parser). Each learned value says where it came from; a repository
with nothing to learn from gives the documented defaults. Examples, tests and fixtures
demonstrate code rather than deploy it: they are learned from only when the repository has
nothing else, and the conventions then say so.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from purser.config import CONFIG_FILE, Config
from purser.identity import TerraformId
from purser.model import Resource
from purser.sources import Loaded, load_repository
from purser.sources.hcl import parse as hcl
from purser.sources.worktree import WorkTree

#: The defaults for a repository with nothing to learn from.
DEFAULT_AWS_PROVIDER = "~> 5.0"
DEFAULT_TERRAFORM = ">= 1.6"
DEFAULT_LOG_RETENTION_DAYS = 30
DEFAULT_MEMORY_MB = 512
DEFAULT_RUNTIME = "python3.12"
DEFAULT_ARCHITECTURE = "x86_64"
DEFAULT_TAG_KEYS = ("team", "env", "cost-center", "managed-by")

#: Tags that describe one resource, never a habit to copy onto another.
_PER_RESOURCE_TAGS = frozenset({"Name", "name", "data-classification", "purser.dev/justification",
                                "purser.dev/expected-monthly-requests", "purser:address",
                                "purser:application", "service", "app", "application",
                                "component"})
_NAME_ATTRIBUTES = ("function_name", "bucket", "name")
_MAX_LEARNED_TAGS = 12
#: Folders whose code demonstrates or tests rather than deploys (`examples/complete`,
#: `tests/sources/fixtures/...`).
EXAMPLE_FOLDERS = frozenset({"example", "examples", "test", "tests", "testdata", "fixtures",
                             "samples", "demo", "demos"})
_ONLY_EXAMPLES = " (only examples, tests and fixtures to learn from)"


def is_example_path(path: str) -> bool:
    """A path under an example, test or fixture folder."""
    return any(part in EXAMPLE_FOLDERS for part in path.split("/"))


@dataclass
class Conventions:
    """What generated code follows; `learned` says, per field, where the value came from
    (absent: the documented default)."""

    name_prefix: str = ""  # e.g. "shop-{env}"; "" → "{app}-{env}"
    tag_keys: list[str] = field(default_factory=lambda: list(DEFAULT_TAG_KEYS))
    tag_values: dict[str, str] = field(default_factory=dict)
    required_tags: list[str] = field(default_factory=list)
    region: str | None = None
    aws_provider_version: str = DEFAULT_AWS_PROVIDER
    terraform_version: str = DEFAULT_TERRAFORM
    module_sources: list[str] = field(default_factory=list)
    module_parent: str | None = None  # where the repository keeps its local modules
    module_calls: set[tuple[str, str]] = field(default_factory=set)  # (folder, call label)
    # Terraform root folders that declare resources → their usual region (None: not known)
    terraform_roots: dict[str, str | None] = field(default_factory=dict)
    terraform_folders: set[str] = field(default_factory=set)  # every folder with a .tf file
    # What was learned from examples, tests and fixtures because nothing else had it.
    examples_only: list[str] = field(default_factory=list)
    log_retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    memory_mb: int = DEFAULT_MEMORY_MB
    architecture: str = DEFAULT_ARCHITECTURE
    runtime: str = DEFAULT_RUNTIME
    learned: dict[str, str] = field(default_factory=dict)

    def says(self, name: str) -> str:
        """Where a field's value came from, for a decision's reason."""
        return self.learned.get(name, "purser's default (nothing to learn it from)")


def learn(root: Path, config: Config, loaded: Loaded | None = None) -> Conventions:
    """The conventions of the repository at `root` (its work tree); `loaded`: its resources
    when the caller has read them already."""
    found = Conventions(required_tags=list(config.defaults.required_tags))
    tree = WorkTree(root)
    loaded = load_repository(tree, config) if loaded is None else loaded
    aws = _deployed([r for r in loaded.resources if r.provider == "aws"], found,
                    "resources")
    _names(found, aws)
    _tags(found, aws, config)
    _region(found, aws, config, (root / CONFIG_FILE).is_file())
    _habits(found, aws)
    _roots(found, loaded.resources)
    _terraform_blocks(found, tree)
    if found.examples_only:
        found.learned = {name: says if says.startswith(CONFIG_FILE) else says + _ONLY_EXAMPLES
                         for name, says in found.learned.items()}
    return found


def _is_example(resource: Resource) -> bool:
    folder = resource.id.folder if isinstance(resource.id, TerraformId) else ""
    return is_example_path(folder) or is_example_path(resource.source.file)


def _deployed(resources: list[Resource], found: Conventions, what: str) -> list[Resource]:
    """The resources outside example, test and fixture folders; all of them (noted in
    `found.examples_only`) when there are no others."""
    kept = [r for r in resources if not _is_example(r)]
    if kept or not resources:
        return kept
    found.examples_only.append(what)
    return resources


def _roots(found: Conventions, resources: list[Resource]) -> None:
    regions: dict[str, Counter[str]] = {}
    for resource in resources:
        if isinstance(resource.id, TerraformId):
            seen = regions.setdefault(resource.id.folder or ".", Counter())
            if resource.region:
                seen[resource.region] += 1
    found.terraform_roots = {root: (seen.most_common(1)[0][0] if seen else None)
                             for root, seen in sorted(regions.items())}


def _names(found: Conventions, resources: list[Resource]) -> None:
    names = [str(value) for r in resources for key in _NAME_ATTRIBUTES
             if isinstance(value := r.attrs.get(key), str) and "/" not in value and value][:500]
    prefixes = Counter("-".join(name.split("-")[:size]) for name in names
                       for size in (1, 2) if name.count("-") >= size)
    if not prefixes:
        return
    # The longest prefix shared by at least half the names.
    shared = [p for p, n in prefixes.items() if n * 2 >= len(names) and n >= 2]
    if not shared:
        return
    prefix = max(shared, key=lambda p: (p.count("-"), prefixes[p]))
    envs = Counter(r.tags.get("env", "") for r in resources if r.tags.get("env"))
    env = envs.most_common(1)[0][0] if envs else ""
    parts = ["{env}" if env and part == env else part for part in prefix.split("-")]
    if any(not re.fullmatch(r"[a-z0-9]+|\{env\}", part) for part in parts):
        return
    found.name_prefix = "-".join(parts)
    found.learned["name_prefix"] = (f"{prefixes[prefix]} of {len(names)} resource names "
                                    f"start with {prefix}-")


def _tags(found: Conventions, resources: list[Resource], config: Config) -> None:
    tagged = [r for r in resources if r.tags]
    if not tagged:
        return
    keys = Counter(k for r in tagged for k in r.tags if k not in _PER_RESOURCE_TAGS
                   and not k.startswith(("aws:", "purser:")))
    common = [k for k, n in keys.most_common(_MAX_LEARNED_TAGS) if n * 2 >= len(tagged)]
    for key in config.defaults.required_tags:
        if key not in common:
            common.append(key)
    found.tag_keys = common
    for key in common:
        values = Counter(r.tags[key] for r in tagged if isinstance(r.tags.get(key), str))
        if values:
            found.tag_values[key] = values.most_common(1)[0][0][:256]
    found.learned["tags"] = (f"tag keys on at least half of {len(tagged)} tagged resources"
                             + (", plus purser.yaml's required_tags" if
                                config.defaults.required_tags else ""))


def _region(found: Conventions, resources: list[Resource], config: Config,
            has_config: bool) -> None:
    if has_config:
        found.region = config.defaults.region
        found.learned["region"] = f"{CONFIG_FILE} defaults.region"
        return
    regions = Counter(r.region for r in resources if r.region)
    if regions:
        region, count = regions.most_common(1)[0]
        found.region = region
        found.learned["region"] = f"{count} of {len(resources)} AWS resources are in {region}"


def _habits(found: Conventions, resources: list[Resource]) -> None:
    functions = [r for r in resources if r.kind == "aws.lambda.function"]
    logs = [r for r in resources if r.kind == "aws.logs.log_group"]
    _most_common(found, "memory_mb", [r.attrs.get("memory_size") for r in functions],
                 "Lambda memory", int)
    _most_common(found, "architecture", [_first(r.attrs.get("architectures")) for r in functions],
                 "Lambda architecture", str)
    _most_common(found, "runtime", [r.attrs.get("runtime") for r in functions],
                 "Lambda runtime", str)
    _most_common(found, "log_retention_days",
                 [r.attrs.get("retention_in_days") for r in logs], "log retention", int)


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _most_common(found: Conventions, name: str, values: list[Any], what: str,
                 kind: type) -> None:
    usable: list[Any] = [v for v in values if isinstance(v, kind) and not isinstance(v, bool)
                         and v]
    if kind is str:
        usable = [v for v in usable if re.fullmatch(r"[a-z0-9._-]{1,40}", v)]
    if kind is int:
        usable = [v for v in usable if 1 <= v <= 10240]
    if not usable:
        return
    value, count = Counter(usable).most_common(1)[0]
    setattr(found, name, value)
    found.learned[name] = f"{what} {value}: {count} of {len(usable)} in the repository"


def _terraform_blocks(found: Conventions, tree: WorkTree) -> None:
    providers: Counter[str] = Counter()
    versions: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    parents: Counter[str] = Counter()
    files = [f for f in tree.files().files if f.rel.endswith(".tf")]
    found.terraform_folders = {posixpath.dirname(f.rel) or "." for f in files}
    examples = {f.rel for f in files if is_example_path(f.rel)}
    if files and len(examples) == len(files):
        found.examples_only.append("Terraform files")
        examples = set()
    for file in files:
        body, error = hcl.parse_hcl(file.data)
        if body is None or error:
            continue
        for block in body[1]:
            if block[0] == "module" and block[1]:  # every call: a new one must not clash
                found.module_calls.add((posixpath.dirname(file.rel) or ".", str(block[1][0])))
            if file.rel in examples:
                continue
            if block[0] == "terraform":
                _terraform(block[2], providers, versions)
            elif block[0] == "module":
                source = _literal(block[2][0].get("source"))
                if source and not source.startswith(("./", "../")):
                    sources[source] += 1
                elif source:
                    _local_module(parents, posixpath.dirname(file.rel), source)
    if providers:
        found.aws_provider_version = providers.most_common(1)[0][0]
        found.learned["aws_provider_version"] = "required_providers.aws.version in the repository"
    if versions:
        found.terraform_version = versions.most_common(1)[0][0]
        found.learned["terraform_version"] = "required_version in the repository"
    found.module_sources = [s for s, _ in sources.most_common(10)]
    parents = Counter({p: n for p, n in parents.items() if not is_example_path(p)}) or parents
    if parents:
        parent, count = parents.most_common(1)[0]
        found.module_parent = parent
        found.learned["module_parent"] = (f"{count} of {sum(parents.values())} local module "
                                          f"calls use a module folder in {parent}/")


def _local_module(parents: Counter[str], folder: str, source: str) -> None:
    """Count the folder holding the module a local call names (`./modules/network` from
    `terraform/` → `terraform/modules`), when it stays inside the repository."""
    target = posixpath.normpath(posixpath.join(folder, source))
    parent = posixpath.dirname(target)
    if target.startswith("../") or target == ".." or not parent or parent == ".":
        return
    if re.fullmatch(r"[A-Za-z0-9._/-]{1,200}", parent):
        parents[parent] += 1


def _terraform(body: Any, providers: Counter[str], versions: Counter[str]) -> None:
    version = _literal(body[0].get("required_version"))
    if version and _constraint(version):
        versions[version] += 1
    for inner in body[1]:
        if inner[0] != "required_providers":
            continue
        aws = inner[2][0].get("aws")
        if aws and aws[0][0] == hcl.LIT and isinstance(aws[0][1], dict):
            constraint = aws[0][1].get("version")
            if isinstance(constraint, str) and _constraint(constraint):
                providers[constraint] += 1


def _constraint(text: str) -> bool:
    return bool(re.fullmatch(r"[~><=!, .0-9a-z-]{1,40}", text))


def _literal(attribute: Any) -> str | None:
    if attribute is None or attribute[0][0] != hcl.LIT or not isinstance(attribute[0][1], str):
        return None
    value: str = attribute[0][1]
    return value if len(value) <= 300 else None
