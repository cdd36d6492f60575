"""The schema of `purser.yaml`, the repository's own settings file."""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from purser.model import Severity
from purser.safeyaml import YamlError, load_documents

CONFIG_FILE = "purser.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Defaults(_Strict):
    region: str = "us-east-1"
    required_tags: list[str] = Field(default_factory=lambda: ["team", "env", "cost-center"])


class Target(_Strict):
    kind: Literal["aws", "kubernetes", "terraform"] = "aws"
    region: str | None = None
    endpoint: str | None = None
    context: str | None = None


class Sync(_Strict):
    auto: bool = False
    self_heal: bool = False
    prune: bool = False


class Budget(_Strict):
    monthly_usd: float | None = Field(default=None, ge=0)
    max_increase_usd: float | None = Field(default=None, ge=0)
    max_increase_pct: float | None = Field(default=None, ge=0)
    severity: Severity = Severity.high


class Application(_Strict):
    name: str
    path: str = "."
    environment: str = "dev"
    target: Target = Field(default_factory=Target)
    sync: Sync = Field(default_factory=Sync)
    budget: Budget | None = None
    usage: str | None = None

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


class Thresholds(_Strict):
    lambda_memory_mb: int = 1024
    hpa_min_replicas: int = 3
    provisioned_concurrency_min_monthly_requests: int = 1_000_000


class Policies(_Strict):
    packs: list[str] = Field(
        default_factory=lambda: ["security", "finops", "compliance", "responsible-ai"])
    rego: str | None = "policies"
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


class CostSettings(_Strict):
    usage: str | None = None
    kubernetes: KubernetesRates = Field(default_factory=KubernetesRates)


class AutoMerge(_Strict):
    categories: list[str] = Field(default_factory=list)
    max_monthly_delta_usd: float = 0


class Approvals(_Strict):
    auto_merge: AutoMerge = Field(default_factory=AutoMerge)


class Config(_Strict):
    project: str = "default"
    defaults: Defaults = Field(default_factory=Defaults)
    applications: list[Application] = Field(default_factory=list)
    policies: Policies = Field(default_factory=Policies)
    residency: Residency = Field(default_factory=Residency)
    budgets: list[TagBudget] = Field(default_factory=list)
    cost: CostSettings = Field(default_factory=CostSettings)
    approvals: Approvals = Field(default_factory=Approvals)

    def application_for(self, file: str) -> Application | None:
        """The application with the longest path containing `file`."""
        matches = [a for a in self.applications if a.contains(file)]
        return max(matches, key=lambda a: len(a.path), default=None)


class ConfigError(ValueError):
    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.file, self.line, self.message = file, line, message


def load_config(repo: Path) -> Config:
    """Read `purser.yaml` at the repository root; a repository without one gets defaults."""
    path = repo / CONFIG_FILE
    if not path.is_file():
        return Config()
    try:
        documents = load_documents(path.read_text(encoding="utf-8"))
    except YamlError as exc:
        raise ConfigError(CONFIG_FILE, exc.line, exc.message) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(CONFIG_FILE, 0, f"cannot read: {exc}") from None
    if not documents or documents[0].data is None:
        return Config()
    document = documents[0]
    if not isinstance(document.data, dict):
        raise ConfigError(CONFIG_FILE, document.line, "expected a mapping at the top level")
    try:
        return Config.model_validate(document.data)
    except ValidationError as exc:
        error = exc.errors()[0]
        location: list[Any] = list(error["loc"])
        where = ".".join(str(part) for part in location)
        raise ConfigError(CONFIG_FILE, document.line_of(location),
                          f"{where}: {error['msg']}") from None
