"""The schema of `purser.yaml`, the repository's own settings file.

The file is written by whoever opens the pull request, so it is read like any other
repository file (confined, regular, bounded), every path in it stays inside the
repository (an outside file can only be named on the command line, as `--usage FILE`),
and a pack or rule name that does not exist is an error at its line, never a check that
silently checks nothing.
"""

from __future__ import annotations

import os
import posixpath
import urllib.parse
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    model_validator,
)

from purser import safefile
from purser.model import Severity
from purser.safeyaml import Document, YamlError, load_documents
from purser.tree import Tree

CONFIG_FILE = "purser.yaml"
DEFAULT_PACKS = ("security", "finops", "compliance", "responsible-ai")
PURSER_ID_PREFIX = "PUR-"


def _repository_path(path: str) -> str:
    """A path written in purser.yaml: relative to the repository root and staying inside."""
    if "\0" in path:
        raise ValueError("a path cannot contain a NUL character")
    if PurePosixPath(path).is_absolute():
        raise ValueError(f"absolute path {path!r} is not allowed: paths in {CONFIG_FILE} are "
                         "relative to the repository (an outside file can only be named on "
                         "the command line, e.g. --usage FILE)")
    normal = posixpath.normpath(path) if path else path
    if normal == ".." or normal.startswith("../"):
        raise ValueError(f"{path!r} leaves the repository: paths in {CONFIG_FILE} stay "
                         "inside it")
    return normal


RepositoryPath = Annotated[str, AfterValidator(_repository_path)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


class Defaults(_Strict):
    region: str = "us-east-1"
    required_tags: list[str] = Field(default_factory=lambda: ["team", "env", "cost-center"])


def _loopback_only(endpoint: str | None) -> str | None:
    """An endpoint written in the repository may only point at this machine (an emulator):
    purser signs its requests with the operator's credentials, and a file a pull request
    can change must not send them elsewhere. Real endpoints come from AWS_ENDPOINT_URL."""
    if endpoint is None:
        return None
    parsed = urllib.parse.urlsplit(endpoint)
    if parsed.scheme not in ("http", "https") or parsed.hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"endpoint {endpoint!r}: only http(s)://127.0.0.1, localhost or [::1] "
                         "may be written here; set AWS_ENDPOINT_URL for any other endpoint")
    return endpoint


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class Target(_Strict):
    kind: Literal["aws", "kubernetes", "terraform"] = "aws"
    region: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
    endpoint: Annotated[str | None, AfterValidator(_loopback_only)] = None
    context: str | None = None


class Sync(_Strict):
    auto: bool = False
    self_heal: bool = False
    prune: bool = False
    # Heals of one field within one synced revision before it counts as a fight with
    # another writer, and purser stops healing it until a human decides.
    fight_after: int = Field(default=3, ge=1, le=1000)


class Budget(_Strict):
    monthly_usd: float | None = Field(default=None, ge=0)
    max_increase_usd: float | None = Field(default=None, ge=0)
    max_increase_pct: float | None = Field(default=None, ge=0)
    severity: Severity = Severity.high


class Application(_Strict):
    # Written into tags, lease names and the ledger: letters, digits, `._-`, at most 100.
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
    path: RepositoryPath = "."
    environment: str = "dev"
    target: Target = Field(default_factory=Target)
    sync: Sync = Field(default_factory=Sync)
    budget: Budget | None = None
    usage: RepositoryPath | None = None
    # The CloudFormation stack its template deploys as: its resources' addresses become
    # `cfn:<stack>#<LogicalId>` (else the template's path stands for the stack).
    stack: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9-]{0,127}$")
    # Applications that must be synced and healthy before this one syncs.
    depends_on: list[str] = Field(default_factory=list, max_length=100)

    def contains(self, file: str) -> bool:
        """True when a repository-relative file lies under this application's path."""
        root = PurePosixPath(self.path)
        return str(root) == "." or PurePosixPath(file).is_relative_to(root)


class TagBudget(Budget):
    tag: str
    value: str


class Waiver(_Strict):
    rule: str
    resource: str = "*"
    reason: str
    expires: date | None = None


class Thresholds(RootModel[dict[str, int | float | str | bool]]):
    """Rule settings by name (`lambda_memory_mb: 2048`). The rules declare which names exist
    and their types (`Rule.settings`), so a new rule needs no edit here; `check` holds the
    file to what they declare."""

    root: dict[str, int | float | str | bool] = Field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.root.get(name, default)

    def check(self, document: Document) -> None:
        """An unknown name or a value of the wrong type is an error at its line."""
        if not self.root:
            return
        from purser.policy import engine  # here: importing the packs takes a while
        from purser.policy.rule import declared_settings

        engine.load_packs()
        declared = declared_settings()
        for name, value in self.root.items():
            where = ["policies", "thresholds", name]
            setting = declared.get(name)
            if setting is None:
                known = ", ".join(sorted(declared))
                raise ConfigError(CONFIG_FILE, document.line_of(where),
                                  f"policies.thresholds: unknown setting {name!r} "
                                  f"(known: {known})")
            typed = self._typed(value, setting.type)
            if typed is None:
                raise ConfigError(CONFIG_FILE, document.line_of(where),
                                  f"policies.thresholds.{name}: expected "
                                  f"{setting.type.__name__}, got {value!r}")
            self.root[name] = typed

    @staticmethod
    def _typed(value: Any, expected: type) -> Any:
        """`value` as `expected`, or None: a whole number is a float too, a bool no number."""
        if isinstance(value, bool) != (expected is bool):
            return None
        if expected is float and isinstance(value, int):
            return float(value)
        return value if isinstance(value, expected) else None


class Policies(_Strict):
    packs: list[str] = Field(default_factory=lambda: list(DEFAULT_PACKS))
    rego: RepositoryPath | None = "policies"
    fail_on: Severity = Severity.high
    waivers: list[Waiver] = Field(default_factory=list)
    disabled: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    checkov: bool = True
    on_input_error: Literal["fail", "warn"] = "fail"  # warn: report input errors, exit 0


class Residency(_Strict):
    """Regions where data of a classification may live (e.g. `personal: [eu-west-1]`)."""

    tag: str = "data-classification"
    allowed_regions: dict[str, list[str]] = Field(default_factory=dict)


class KubernetesRates(_Strict):
    vcpu_hour_usd: float = Field(default=0.04048, ge=0)
    gb_hour_usd: float = Field(default=0.004445, ge=0)
    # One GPU's share of a GPU node: AWS's g4dn.xlarge (1 NVIDIA T4, 4 vCPU, 16 GiB) at
    # $0.526/h on-demand in us-east-1, less its 4 vCPU and 16 GiB at the two rates above
    # (see purser.cost.pricers.kubernetes).
    gpu_hour_usd: float = Field(default=0.29296, ge=0)


class CostSettings(_Strict):
    usage: RepositoryPath | None = None
    kubernetes: KubernetesRates = Field(default_factory=KubernetesRates)


class AutoMerge(_Strict):
    categories: list[str] = Field(default_factory=list)
    max_monthly_delta_usd: float = 0


class Approvals(_Strict):
    auto_merge: AutoMerge = Field(default_factory=AutoMerge)


class InsightSettings(_Strict):
    # A day's spend this many dollars above the expected is worth a look; low, so that a
    # small estate's anomalies (the demo shop's are $0.30 to $6 a day) are found. Raise it
    # to the size of change that is worth a person's time.
    anomaly_min_impact_usd: float = Field(default=0.25, ge=0)
    # `purser spend --estimate-vs-actual` flags an application whose billed month and
    # pre-merge estimate differ by more than this factor, either way.
    estimate_ratio: float = Field(default=1.5, gt=1)
    # `purser forecast` tries every model (AutoETS, AutoARIMA, MSTL: about a second each a
    # series) on this many of the largest series; the rest choose between the naive ones.
    forecast_full_search: int = Field(default=20, ge=0, le=10_000)


class IngestLimits(_Strict):
    """Bounds on one file given to `purser ingest`: input is hostile until read, so neither its
    size, its row count nor one line of it may take the machine's memory or time."""

    max_file_mb: int = Field(default=16384, gt=0)  # on disk, and inflated for gzip
    max_rows: int = Field(default=100_000_000, gt=0)
    # A longer line (CSV record) is a refused row; one over 15 times this refuses the file.
    max_line_kb: int = Field(default=1024, gt=0, le=65536)


class WarehouseSettings(_Strict):
    # The engine that runs the warehouse queries: DuckDB on this machine, or Apache Spark
    # for estates with billions of billing rows (`--engine` overrides it).
    engine: Literal["duckdb", "spark"] = "duckdb"
    ingest: IngestLimits = Field(default_factory=IngestLimits)


class Config(_Strict):
    project: str = "default"
    defaults: Defaults = Field(default_factory=Defaults)
    applications: list[Application] = Field(default_factory=list)
    policies: Policies = Field(default_factory=Policies)
    residency: Residency = Field(default_factory=Residency)
    budgets: list[TagBudget] = Field(default_factory=list)
    cost: CostSettings = Field(default_factory=CostSettings)
    approvals: Approvals = Field(default_factory=Approvals)
    insight: InsightSettings = Field(default_factory=InsightSettings)
    warehouse: WarehouseSettings = Field(default_factory=WarehouseSettings)

    @model_validator(mode="after")
    def _applications_fit_together(self) -> Config:
        """Names are unique, and `depends_on` names declared applications without a cycle
        (a controller would otherwise wait forever)."""
        names = [a.name for a in self.applications]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"applications: {', '.join(twice)} declared more than once")
        needs = {a.name: a.depends_on for a in self.applications}
        for application in self.applications:
            unknown = [d for d in application.depends_on if d not in needs]
            if unknown:
                raise ValueError(f"applications: {application.name} depends on "
                                 f"{', '.join(unknown)}, which is not declared")
        cycle = _cycle(needs)
        if cycle:
            raise ValueError(f"applications: depends_on goes round: {' → '.join(cycle)}")
        return self

    def application(self, name: str) -> Application:
        """The application called `name`; KeyError naming the ones there are."""
        for application in self.applications:
            if application.name == name:
                return application
        known = ", ".join(a.name for a in self.applications) or "none"
        raise KeyError(f"no application {name!r} in {CONFIG_FILE} (applications: {known})")

    def application_for(self, file: str) -> Application | None:
        """The application with the longest path containing `file`."""
        matches = [a for a in self.applications if a.contains(file)]
        return max(matches, key=lambda a: len(a.path), default=None)


def _cycle(needs: dict[str, list[str]]) -> list[str]:
    """A dependency cycle among applications (its names, first repeated last), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> list[str]:
        if state.get(name) == 1:
            return [*path[path.index(name):], name]
        if state.get(name) == 2:
            return []
        state[name] = 1
        for dependency in needs.get(name, []):
            found = visit(dependency, [*path, name])
            if found:
                return found
        state[name] = 2
        return []

    for name in needs:
        found = visit(name, [])
        if found:
            return found
    return []


def _config_bytes(repo: Path | Tree) -> bytes | None:
    """The bytes of purser.yaml; None when there is none (a link, even broken, is one)."""
    if isinstance(repo, Path):
        return safefile.read(repo, CONFIG_FILE) if os.path.lexists(repo / CONFIG_FILE) else None
    return repo.read(CONFIG_FILE) if repo.exists(CONFIG_FILE) else None


def defaults() -> Config:
    """The settings of a repository without purser.yaml: every pack, but no cost tags
    required (nobody chose them: a newcomer's first run is not a wall of missing tags)."""
    return Config(defaults=Defaults(required_tags=[]))


class ConfigError(ValueError):
    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.file, self.line, self.message = file, line, message


def load_config(repo: Path | Tree) -> Config:
    """Read `purser.yaml` at the root of a repository folder or a `purser.tree.Tree` (a git
    revision's own file, never the work tree's).

    A repository without one gets `defaults()`. One that has a file but does not set
    `defaults.required_tags` requires the documented tags (team, env, cost-center): writing
    purser.yaml is how a team adopts the gate, and `purser init` writes the key out."""
    try:
        data = _config_bytes(repo)
        if data is None:
            return defaults()
        text = safefile.decode(data)
    except safefile.Refused as refused:
        raise ConfigError(CONFIG_FILE, refused.line, refused.reason) from None
    try:
        documents = load_documents(text)
    except YamlError as exc:
        raise ConfigError(CONFIG_FILE, exc.line, exc.message) from None
    if not documents or documents[0].data is None:
        return Config()  # an empty purser.yaml: the file is there, so are its defaults
    document = documents[0]
    if not isinstance(document.data, dict):
        raise ConfigError(CONFIG_FILE, document.line, "expected a mapping at the top level")
    try:
        config = Config.model_validate(document.data)
    except ValidationError as exc:
        error = exc.errors()[0]
        location: list[Any] = list(error["loc"])
        where = ".".join(str(part) for part in location)
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(CONFIG_FILE, document.line_of(location), f"{where}: {message}") from None
    config.policies.thresholds.check(document)
    _check_names(config, document)
    return config


def _check_names(config: Config, document: Document) -> None:
    """Every pack and rule that `policies` names must exist: a misspelt name would check (or
    waive) nothing without a word. Rule ids of Rego and Checkov cannot be known here, so a
    waiver's `rule` is checked only when it is one of purser's own (`PUR-…`)."""
    policies = config.policies
    if tuple(policies.packs) == DEFAULT_PACKS and not policies.disabled \
            and not policies.waivers:
        return  # nothing named: the rule packs need not be loaded
    from purser.policy import engine, waivers  # here: importing the packs takes a while

    packs = engine.pack_names()
    for index, pack in enumerate(policies.packs):
        if pack not in packs:
            raise _unknown(document, ["policies", "packs", index], "pack", pack, packs)
    rule_ids = engine.rule_ids()
    for index, rule_id in enumerate(policies.disabled):
        if rule_id not in rule_ids:
            raise _unknown(document, ["policies", "disabled", index], "rule", rule_id, set())
    waivable = waivers.waivable_ids()
    for index, waiver in enumerate(policies.waivers):
        if waiver.rule.upper().startswith(PURSER_ID_PREFIX) and not any(
                waivers.matches(waiver.rule, known) for known in waivable):
            raise _unknown(document, ["policies", "waivers", index, "rule"], "rule",
                           waiver.rule, set())


def _unknown(document: Document, path: list[str | int], kind: str, name: str,
             known: set[str]) -> ConfigError:
    where = ".".join(str(part) for part in path)
    listed = f" (known: {', '.join(sorted(known))})" if known else (
        " (`purser rules` lists them)" if kind == "rule" else "")
    return ConfigError(CONFIG_FILE, document.line_of(path),
                       f"{where}: unknown {kind} {name!r}{listed}")
