"""The typed intent: what a team asked for, in fields a blueprint can act on.

Both the offline parser and the optional LLM produce an `IntentSpec`; the LLM's JSON is
validated against this very model (`IntentSpec.model_json_schema()`), so whatever the
source, a blueprint only ever sees values inside these bounds.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from purser.generate.regions import REGIONS

Pattern = Literal["http-api", "queue-worker", "scheduled-job", "event-pipeline", "static-site",
                  "s3-backup", "ai-inference", "k8s-service"]
Component = Literal["lambda", "api-gateway", "dynamodb", "sqs", "eventbridge", "s3",
                    "cloudfront", "knative", "kubernetes"]
Regime = Literal["gdpr", "hipaa", "pci-dss", "soc2", "iso27001"]
Classification = Literal["public", "internal", "confidential", "personal"]
NetworkIntent = Literal["minimise-egress", "low-latency"]

SLUG = r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$"
LABEL = r"^[a-z0-9][a-z0-9._-]{0,62}$"
MAX_MONTHLY = 10**13  # requests or runs a month: beyond any real workload
#: An EventBridge schedule: a rate, or a cron expression that runs once a day at a set time.
SCHEDULE = (r"^(rate\((1 (minute|hour|day)|([2-9]|[1-9][0-9]{1,2}) (minutes|hours|days))\)|"
            r"cron\(([0-9]|[1-5][0-9]) ([0-9]|1[0-9]|2[0-3]) \* \* \? \*\))$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Traffic(_Strict):
    """Expected load; None where the intent says nothing (the blueprint then states its
    assumption)."""

    monthly_requests: int | None = Field(default=None, ge=0, le=MAX_MONTHLY)
    request_duration_ms: int | None = Field(default=None, ge=1, le=900_000)
    storage_gb: float | None = Field(default=None, ge=0, le=10**9)  # held, or added a month
    storage_per_month: bool = False  # True: storage_gb arrives every month (backups)
    egress_gb: float | None = Field(default=None, ge=0, le=10**9)  # out to the internet a month


class IntentSpec(_Strict):
    """One application to generate."""

    name: str = Field(pattern=SLUG, description="short slug naming the application")
    pattern: Pattern = Field(description="the workload pattern (one blueprint each)")
    components: list[Component] = Field(default_factory=list, max_length=12)
    cloud: Literal["aws", "kubernetes"] = "aws"
    region: str = Field(default="us-east-1", description="AWS region code")
    budget_monthly_usd: float | None = Field(default=None, gt=0, le=10**8)
    traffic: Traffic = Field(default_factory=Traffic)
    compliance: list[Regime] = Field(default_factory=list, max_length=4)
    data_classification: Classification = "internal"
    availability: Literal["standard", "high"] = "standard"
    authentication: Literal["jwt", "iam", "none"] = "jwt"
    team: str = Field(default="platform", pattern=LABEL)
    env: str = Field(default="prod", pattern=LABEL)
    network: list[NetworkIntent] = Field(default_factory=list, max_length=2)
    cost_optimized: bool = False
    schedule: str | None = Field(default=None, pattern=SCHEDULE)
    model: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/@:-]{0,99}$")
    risk_level: Literal["minimal", "limited", "high"] | None = None
    oversight_url: str | None = Field(default=None, pattern=r"^https://[^\s\"'`$%{}<>\\]{1,200}$")
    model_card_url: str | None = Field(default=None,
                                       pattern=r"^https://[^\s\"'`$%{}<>\\]{1,200}$")
    data_lineage_url: str | None = Field(default=None,
                                         pattern=r"^https://[^\s\"'`$%{}<>\\]{1,200}$")

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        if value not in REGIONS:
            raise ValueError(f"unknown AWS region {value!r}; known: {', '.join(sorted(REGIONS))}")
        return value

    @model_validator(mode="after")
    def _served_model_named(self) -> IntentSpec:
        if self.pattern == "ai-inference" and not self.model:
            raise ValueError("an AI inference service needs the model it serves (its id, e.g. "
                             "mistral-7b or sentiment-bert@1.2); purser does not invent one")
        return self

    def digest(self) -> str:
        """SHA-256 of the spec's canonical JSON: the provenance trailer names it."""
        return hashlib.sha256(canonical(self.model_dump(mode="json"))).hexdigest()


class Decision(_Strict):
    """One choice the generator made, and why: from the intent, an assumed default, the
    repository's conventions, the blueprint, or a cost lever."""

    choice: str
    reason: str
    source: Literal["intent", "assumed", "convention", "blueprint", "lever"]


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")
