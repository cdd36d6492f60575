"""The offline intent parser: deterministic, with the field's vocabulary, refusing what it
cannot read.

Each phrase it understands (a service and its synonyms, "$500/month", "5M requests a
month", "10 TB of backups a month", "Frankfurt", "GDPR", "highly available", "lowest
latency", "every night", ...) is matched, turned into a spec field and marked as read.
What is left must be ordinary words ("deploy", "a", "secure") or the application's
purpose ("for user authentication"); any other word is named in the refusal rather than
guessed at. Every field the intent does not state keeps the spec's default, and the
pipeline says so as an assumed decision.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from purser.generate.regions import ALIASES, GDPR_DEFAULT, REGIONS
from purser.generate.spec import Decision, IntentSpec, Traffic

MAX_INTENT_CHARS = 2000
PARSER_NAME = "purser-rules"
HOURS_A_MONTH = 730
SECONDS_A_MONTH = HOURS_A_MONTH * 3600


class Refused(Exception):
    """An intent that cannot be turned into a spec; the message says what was not
    understood and how to say it."""


@dataclass
class Parsed:
    spec: IntentSpec
    decisions: list[Decision]


@dataclass
class _Reading:
    """The intent while it is read: what each phrase said, and which characters are read."""

    text: str  # lower-cased, same length as the intent
    original: str
    read: list[bool] = field(init=False)
    fields: dict[str, Any] = field(default_factory=dict)
    said: list[Decision] = field(default_factory=list)
    cues: dict[str, list[str]] = field(default_factory=dict)  # pattern → words
    components: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.read = [False] * len(self.text)

    def find(self, pattern: str) -> list[re.Match[str]]:
        """Matches of `pattern` over characters not read yet."""
        found = []
        for match in re.finditer(pattern, self.text):
            if not any(self.read[match.start():match.end()]):
                found.append(match)
        return found

    def take(self, match: re.Match[str]) -> str:
        for index in range(match.start(), match.end()):
            self.read[index] = True
        return self.original[match.start():match.end()].strip()

    def set(self, name: str, value: Any, match: re.Match[str], what: str) -> None:
        words = self.take(match)
        if name in self.fields and self.fields[name] != value:
            self.problems.append(f"{what} is given twice ({self.fields[name]!r} and "
                                 f"{value!r}); say it once")
            return
        self.fields[name] = value
        self.said.append(Decision(choice=f"{name} = {value}", reason=f'the intent says "{words}"',
                                  source="intent"))


def parse_intent(intent: str) -> Parsed:
    """The spec an intent states; `Refused` naming what could not be read."""
    if len(intent) > MAX_INTENT_CHARS:
        raise Refused(f"the intent is {len(intent)} characters; at most {MAX_INTENT_CHARS} "
                      "are read")
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in intent)
    reading = _Reading(lowered.replace("\u2011", "-").replace("\u2013", "-"), intent)
    for reader in _READERS:
        reader(reading)
    _purpose(reading)
    leftovers = _leftovers(reading)
    if leftovers:
        reading.problems.append("not understood: " + ", ".join(f'"{w}"' for w in leftovers)
                                + " (purser's parser reads services, regions, budgets, traffic, "
                                "compliance regimes and availability; --llm-url may read more)")
    pattern = _pattern(reading)
    if reading.problems:
        raise Refused("; ".join(reading.problems))
    return _spec(reading, pattern)


# Readers, applied in order: each marks what it read.

def _urls(r: _Reading) -> None:
    keyed = {"model_card_url": r"model[- ]card", "data_lineage_url": r"(?:data )?lineage|dataset",
             "oversight_url": r"human (?:oversight|review)|oversight|review queue|runbook"}
    for name, key in keyed.items():
        for match in r.find(rf"\b(?:{key})\s*(?:at|:|is|=|in)?\s*(https://[^\s,;\"'<>]+)"):
            url = r.original[match.start(1):match.end(1)].rstrip(".")
            r.set(name, url, match, name.replace("_", " "))


def _money(r: _Reading) -> None:
    for match in r.find(r"(?:€|£|\beur\b|\bgbp\b|\beuros?\b|\bpounds?\b)"):
        r.take(match)
        r.problems.append(f'budgets are read in US dollars only ("{match.group(0)}")')
    amount = r"(?:\$\s?(?P<a>\d[\d,]*(?:\.\d+)?)\s*(?P<ak>k)?|(?P<b>\d[\d,]*(?:\.\d+)?)\s*" \
             r"(?P<bk>k)?\s*(?:usd|dollars?|\$))"
    lead = r"(?:(?:at most|under|below|no more than|up to|max(?:imum)?|within|less than|" \
           r"budget(?: of| is)?|costing|spend(?:ing)?|<=?|≤)\s*)?"
    period = r"(?P<p>\s*(?:(?:/|per|a|an|each|every)\s*(?:month|mo|year|yr)|monthly|yearly|" \
             r"annually|/mo))?"
    for match in r.find(lead + amount + period):
        value = float((match.group("a") or match.group("b")).replace(",", ""))
        if match.group("ak") or match.group("bk"):
            value *= 1000
        per = (match.group("p") or "").strip()
        if re.search(r"year|yr|annual", per):
            value /= 12
        r.set("budget_monthly_usd", round(value, 2), match, "the budget")
        if not per:
            r.said.append(Decision(choice="the budget is monthly",
                                   reason="the intent gives an amount without a period",
                                   source="assumed"))


_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9,
                "bn": 1e9, "billion": 1e9}
_PER_MONTH = {"second": SECONDS_A_MONTH, "sec": SECONDS_A_MONTH, "s": SECONDS_A_MONTH,
              "minute": SECONDS_A_MONTH / 60, "min": SECONDS_A_MONTH / 60,
              "hour": HOURS_A_MONTH, "hourly": HOURS_A_MONTH, "day": 30.4, "daily": 30.4,
              "week": 4.35, "month": 1, "mo": 1, "monthly": 1}
_UNITS = (r"requests?|req|calls?|invocations?|hits?|events?|messages?|jobs?|images?|orders?|"
          r"predictions?|inferences?|logins?|sign-?ins?|uploads?|page ?views?|visits?|visitors?")


def _traffic(r: _Reading) -> None:
    number = r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<m>k|thousand|mn|m|million|bn|b|billion)?\s*"
    per = r"(?:\s*(?:a|per|/|each|every|an)\s*(?P<p>second|sec|s|minute|min|hour|day|week|" \
          r"month|mo)\b|\s*(?P<q>monthly|daily|hourly))?"
    for match in r.find(number + rf"(?:{_UNITS})\b" + per):
        count = _count(match)
        unit = match.group("p") or match.group("q")
        if unit is None:
            r.said.append(Decision(choice="the traffic is monthly",
                                   reason="the intent gives a count without a period",
                                   source="assumed"))
        monthly = round(count * _PER_MONTH[unit or "month"])
        r.set("monthly_requests", monthly, match, "the traffic")
    for match in r.find(number + r"(?:rps|req/s|requests/s|qps)\b"):
        count = _count(match)
        r.set("monthly_requests", round(count * SECONDS_A_MONTH), match, "the traffic")


def _count(match: re.Match[str]) -> float:
    return float(match.group("n").replace(",", "")) * _MULTIPLIERS.get(match.group("m") or "", 1)


def _duration(r: _Reading) -> None:
    value = r"(?P<v>\d+(?:\.\d+)?)\s*(?P<u>ms|milliseconds?|seconds?|secs?|s|minutes?|mins?)\b"
    before = (r"(?:taking|takes|take|lasting|lasts|running for|runs for|run for|"
              r"duration(?: of)?|(?:each|every) (?:request|call|run|job|message|event) takes)"
              r"\s*(?:about|around|~)?\s*")
    after = r"\s*(?:each|per (?:request|call|run|invocation|job|event|message)|long|of " \
            r"(?:compute|processing|work))"
    for match in r.find(before + value) + r.find(value + after):
        number, unit = float(match.group("v")), match.group("u")
        factor = 1 if unit.startswith("m") and not unit.startswith("min") else \
            60_000 if unit.startswith("min") else 1000
        r.set("request_duration_ms", max(1, round(number * factor)), match, "the duration")


def _storage(r: _Reading) -> None:
    size = r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>mb|gb|gib|tb|tib|pb)\b"
    what = r"(?:\s*(?:of\s+)?(?:new\s+)?(?:backups?|data|files|objects|assets|content|storage|" \
           r"snapshots|logs|archives?))?"
    per = r"(?P<p>\s*(?:(?:a|per|/|each|every)\s*(?:month|mo|day|night)|monthly|nightly|daily))?"
    scale = {"mb": 1 / 1024, "gb": 1, "gib": 1, "tb": 1024, "tib": 1024, "pb": 1024**2}
    for match in r.find(size + what + per):
        gb = float(match.group("n").replace(",", "")) * scale[match.group("u")]
        period = (match.group("p") or "").strip()
        if re.search(r"day|night|daily|nightly", period):
            gb *= 30.4
        r.set("storage_gb", round(gb, 3), match, "the storage")
        if period:
            r.fields["storage_per_month"] = True


def _schedule(r: _Reading) -> None:
    for match in r.find(r"\bevery\s+(?:(?P<n>\d{1,3})\s+)?(?P<u>minute|hour|day|night|week)s?\b"):
        count, unit = int(match.group("n") or 1), match.group("u")
        unit, count = {"night": ("day", count), "week": ("day", count * 7)}.get(unit, (unit, count))
        r.set("schedule", f"rate({count} {unit}{'s' if count > 1 else ''})", match, "the schedule")
        r.cues.setdefault("scheduled-job", []).append(match.group(0))
    words = {"nightly": "rate(1 day)", "daily": "rate(1 day)", "once a day": "rate(1 day)",
             "hourly": "rate(1 hour)", "once an hour": "rate(1 hour)", "weekly": "rate(7 days)"}
    for word, rate in words.items():
        for match in r.find(rf"\b{word}\b"):
            r.set("schedule", rate, match, "the schedule")
            r.cues.setdefault("scheduled-job", []).append(word)


def _region(r: _Reading) -> None:
    for match in r.find(r"\b[a-z]{2}-(?:[a-z]+-)+\d\b"):
        code = match.group(0)
        if code not in REGIONS:
            r.take(match)
            r.problems.append(f'unknown AWS region "{code}"')
            continue
        r.set("region", code, match, "the region")
    for alias in sorted(ALIASES, key=len, reverse=True):
        for match in r.find(rf"(?<![\w-]){re.escape(alias)}(?![\w-])"):
            r.set("region", ALIASES[alias], match, "the region")
    for match in r.find(r"\b(?:in |within )?(?:the )?(?:eu|europe|european union)\b"):
        r.take(match)
        if "region" not in r.fields:
            r.fields["region"] = GDPR_DEFAULT
            r.said.append(Decision(choice=f"region = {GDPR_DEFAULT}",
                                   reason=f'the intent asks for "{match.group(0).strip()}"; '
                                          f"{GDPR_DEFAULT} ({REGIONS[GDPR_DEFAULT]}) is the EU "
                                          "region assumed", source="assumed"))


def _vocabulary(table: dict[str, tuple[str, Any]]) -> Callable[[_Reading], None]:
    """A reader for phrases that each set one field to one value."""

    def read(r: _Reading) -> None:
        for phrase, (name, value) in sorted(table.items(), key=lambda kv: -len(kv[0])):
            for match in r.find(rf"(?<![\w-]){phrase}(?![\w-])"):
                if name == "compliance":
                    r.take(match)
                    if value not in r.fields.setdefault("compliance", []):
                        r.fields["compliance"].append(value)
                        r.said.append(Decision(choice=f"compliance includes {value}",
                                               reason=f'the intent says "{match.group(0)}"',
                                               source="intent"))
                elif name == "network":
                    r.take(match)
                    if value not in r.fields.setdefault("network", []):
                        r.fields["network"].append(value)
                        r.said.append(Decision(choice=f"network intent: {value}",
                                               reason=f'the intent says "{match.group(0)}"',
                                               source="intent"))
                else:
                    r.set(name, value, match, name.replace("_", " "))

    return read


_SETTINGS: dict[str, tuple[str, Any]] = {
    "gdpr": ("compliance", "gdpr"), "hipaa": ("compliance", "hipaa"),
    "pci[- ]?dss": ("compliance", "pci-dss"), "pci": ("compliance", "pci-dss"),
    "soc ?2": ("compliance", "soc2"),
    "personal data": ("data_classification", "personal"),
    "pii": ("data_classification", "personal"),
    "personally identifiable information": ("data_classification", "personal"),
    "customer data": ("data_classification", "personal"),
    "user data": ("data_classification", "personal"),
    "health data": ("data_classification", "confidential"),
    "patient data": ("data_classification", "confidential"),
    "confidential(?: data)?": ("data_classification", "confidential"),
    "sensitive data": ("data_classification", "confidential"),
    "internal data": ("data_classification", "internal"),
    "public data": ("data_classification", "public"),
    "highly[- ]available": ("availability", "high"),
    "high[- ]availability": ("availability", "high"),
    "ha": ("availability", "high"), "multi-az": ("availability", "high"),
    "fault[- ]tolerant": ("availability", "high"), "99\\.9+ ?%?(?: uptime| availability)?":
        ("availability", "high"),
    "public(?= apis?)": ("authentication", "none"), "unauthenticated": ("authentication", "none"),
    "no auth(?:entication)?": ("authentication", "none"), "anonymous": ("authentication", "none"),
    "iam auth(?:entication|orization)?": ("authentication", "iam"),
    "sigv4": ("authentication", "iam"),
    "jwt": ("authentication", "jwt"), "oauth ?2?": ("authentication", "jwt"),
    "oidc": ("authentication", "jwt"), "openid connect": ("authentication", "jwt"),
    "cognito": ("authentication", "jwt"), "bearer tokens?": ("authentication", "jwt"),
    "minimi[sz]e egress": ("network", "minimise-egress"),
    "minimal egress": ("network", "minimise-egress"), "low egress": ("network", "minimise-egress"),
    "no nat(?: gateway)?": ("network", "minimise-egress"),
    "egress costs? (?:kept )?low": ("network", "minimise-egress"),
    "low(?:est)?[- ]latency": ("network", "low-latency"),
    "latency[- ]sensitive": ("network", "low-latency"),
    "cost[- ]optimi[sz]ed": ("cost_optimized", True), "cost[- ]effective": ("cost_optimized", True),
    "cost[- ]efficient": ("cost_optimized", True), "cheap(?:est)?": ("cost_optimized", True),
    "low[- ]cost": ("cost_optimized", True), "frugal": ("cost_optimized", True),
    "inexpensive": ("cost_optimized", True), "optimi[sz]ed for cost": ("cost_optimized", True),
    "(?:high|limited|minimal)[- ]risk": ("risk_level", None),
}


def _settings(r: _Reading) -> None:
    table = dict(_SETTINGS)
    del table["(?:high|limited|minimal)[- ]risk"]
    _vocabulary(table)(r)
    for match in r.find(r"(?<![\w-])(high|limited|minimal)[- ]risk(?![\w-])"):
        r.set("risk_level", match.group(1), match, "the risk level")


_ENVS = {"prod": "prod", "production": "prod", "staging": "staging", "stage": "staging",
         "dev": "dev", "development": "dev", "test": "test", "testing": "test", "qa": "qa",
         "sandbox": "sandbox"}


def _owner(r: _Reading) -> None:
    word = r"([a-z][a-z0-9-]{1,30})"
    for pattern in (rf"\b(?:for|by|of)\s+the\s+{word}\s+team\b", rf"\b{word}\s+team\b",
                    rf"\b(?:team|owned by|owner)\s*[:=]?\s*(?:the\s+)?{word}\b"):
        for match in r.find(pattern):
            if match.group(1) not in _FILLER:
                r.set("team", match.group(1), match, "the team")
    envs = "|".join(_ENVS)
    for match in r.find(rf"\b(?:in\s+|for\s+)?({envs})(?:\s+environment)?\b"):
        r.set("env", _ENVS[match.group(1)], match, "the environment")
    for match in r.find(r"\b(?:named|called)\s+['\"]?([a-z][a-z0-9-]{0,38}[a-z0-9])['\"]?"):
        r.set("name", match.group(1), match, "the name")


def _model(r: _Reading) -> None:
    token = r"([a-z0-9][a-z0-9._/:-]*@[a-z0-9._-]+|[a-z0-9][a-z0-9._/:-]*\d[a-z0-9._/:-]*)"
    for match in r.find(rf"\b(?:model|serving|serve|serves|runs?)\s+(?:named\s+|called\s+|id\s+)?"
                        rf"['\"]?{token}"):
        model = r.original[match.start(1):match.end(1)].rstrip(".")
        r.set("model", model, match, "the model")
        r.cues.setdefault("ai-inference", []).append(match.group(0))


#: Service names and synonyms → (component, pattern cue or None).
_SERVICES: dict[str, tuple[str | None, str | None]] = {
    "aws lambda": ("lambda", None), "lambda functions?": ("lambda", None),
    "lambdas?": ("lambda", None), "serverless functions?": ("lambda", None),
    "functions?": ("lambda", None), "faas": ("lambda", None),
    "amazon api gateway": ("api-gateway", "http-api"), "api gateway": ("api-gateway", "http-api"),
    "apigateway": ("api-gateway", "http-api"), "http apis?": ("api-gateway", "http-api"),
    "rest apis?": ("api-gateway", "http-api"), "apis?": ("api-gateway", "http-api"),
    "endpoints?": ("api-gateway", "http-api"), "webhooks?": ("api-gateway", "http-api"),
    "backend": (None, "http-api"),
    "amazon dynamodb": ("dynamodb", None), "dynamodb": ("dynamodb", None),
    "dynamo": ("dynamodb", None), "nosql(?: database| table)?": ("dynamodb", None),
    "key[- ]value store": ("dynamodb", None), "tables?": ("dynamodb", None),
    "database": ("dynamodb", None),
    "amazon sqs": ("sqs", "queue-worker"), "sqs": ("sqs", "queue-worker"),
    "dead[- ]letter queues?": ("sqs", "queue-worker"), "dlqs?": ("sqs", "queue-worker"),
    "message queues?": ("sqs", "queue-worker"), "queues?": ("sqs", "queue-worker"),
    "workers?": (None, "queue-worker"), "background jobs?": (None, "queue-worker"),
    "consumers?": (None, "queue-worker"),
    "eventbridge": ("eventbridge", "event-pipeline"),
    "event bus": ("eventbridge", "event-pipeline"),
    "event[- ]driven": (None, "event-pipeline"), "pipelines?": (None, "event-pipeline"),
    "etl": (None, "event-pipeline"),
    "ingest(?:ion|s|ing|ed)?": (None, "event-pipeline"),
    "cron(?: jobs?)?": ("eventbridge", "scheduled-job"),
    "scheduled(?: jobs?| tasks?| functions?)?": ("eventbridge", "scheduled-job"),
    "batch jobs?": (None, "scheduled-job"), "reports?": (None, None),
    "amazon s3": ("s3", None), "s3 buckets?": ("s3", None), "s3": ("s3", None),
    "buckets?": ("s3", None), "object storage": ("s3", None),
    "backups?": ("s3", "s3-backup"), "back up": ("s3", "s3-backup"),
    "archives?": ("s3", "s3-backup"), "archival": ("s3", "s3-backup"),
    "lifecycle(?: tiers?| rules?)?": ("s3", "s3-backup"),
    "static (?:web)?sites?": ("s3", "static-site"), "websites?": ("s3", "static-site"),
    "landing pages?": ("s3", "static-site"),
    "single[- ]page app(?:lication)?": ("s3", "static-site"),
    "spa": ("s3", "static-site"), "cloudfront": ("cloudfront", "static-site"),
    "cdn": ("cloudfront", "static-site"),
    "knative(?: service)?": ("knative", "ai-inference"), "inference": (None, "ai-inference"),
    "model serving": (None, "ai-inference"), "ai": (None, "ai-inference"),
    "ml": (None, "ai-inference"), "llm": (None, "ai-inference"),
    "machine learning": (None, "ai-inference"),
    "kubernetes": ("kubernetes", "k8s-service"), "k8s": ("kubernetes", "k8s-service"),
    "deployment": ("kubernetes", "k8s-service"), "hpa": ("kubernetes", "k8s-service"),
    "horizontal pod autoscal(?:er|ing)": ("kubernetes", "k8s-service"),
    "autoscal(?:ed|ing|er)": (None, None), "containers?": ("kubernetes", "k8s-service"),
    "containeri[sz]ed": ("kubernetes", "k8s-service"), "microservices?": (None, "k8s-service"),
    "pods?": ("kubernetes", "k8s-service"),
}


def _services(r: _Reading) -> None:
    for phrase, (component, cue) in sorted(_SERVICES.items(), key=lambda kv: -len(kv[0])):
        for match in r.find(rf"(?<![\w-]){phrase}(?![\w-])"):
            r.take(match)
            if component and component not in r.components:
                r.components.append(component)
            if cue:
                r.cues.setdefault(cue, []).append(match.group(0))


_READERS: tuple[Callable[[_Reading], None], ...] = (
    _urls, _money, _traffic, _duration, _storage, _schedule, _region, _settings, _owner,
    _model, _services)

#: Which pattern wins when the intent has cues for several (most specific first).
PRIORITY = ("ai-inference", "s3-backup", "static-site", "k8s-service", "scheduled-job",
            "event-pipeline", "queue-worker", "http-api")

_FILLER_WORDS = (
        "a an the and or but with without using use uses used via on in into onto to of for "
        "from by at as be is are was it its this that which who we our us i my me you your "
        "please need needs want wants would like should must can could will shall make create "
        "build deploy deploys deploying set up provision provisioned spin stand run runs "
        "running host hosted hosting serve serves serving served give gives new simple small "
        "tiny basic minimal secure securely safe private managed fully serverless cloud aws "
        "amazon application applications app apps service services system infrastructure stack "
        "platform solution workload project thing something code iac terraform manifests month "
        "monthly year per each every about around roughly approximately some most more less "
        "than under below over above within max maximum least budget cost costs costing spend "
        "spending traffic load handle handles handling process processes processing store "
        "stores storing save saves keep keeps kept write writes read reads expected expect "
        "expecting peak average so also plus both all any only just very well good fast quick "
        "quickly reliable scalable storage data events requests request message messages that's "
        "it's one two three eu region regions located based near close target behind "
        "through across between after before then while when where "
)
_FILLER = frozenset(_FILLER_WORDS.split())


def _purpose(r: _Reading) -> None:
    """`for <a few words>` or `to <a few words>`: what the application is for (its name
    when none is given). Read over what is left, so a phrase already read ends it."""
    unread = "".join(c if not done else "|" for c, done in zip(r.text, r.read, strict=True))
    stops = _FILLER - {"a", "the", "an"}
    for match in re.finditer(r"\b(?:for|to)\s+((?:[a-z][a-z0-9'-]*[ \t]*){1,6})", unread):
        words: list[str] = []
        end = match.start(1)
        for word in re.finditer(r"[a-z][a-z0-9'-]*", match.group(1)):
            if word.group(0) in stops or word.group(0) in _ENVS:
                break
            if word.group(0) not in ("a", "an", "the"):
                words.append(word.group(0))
            end = match.start(1) + word.end()
        if not words:
            continue
        for index in range(match.start(), end):
            r.read[index] = True
        r.fields.setdefault("purpose", " ".join(words))


def _leftovers(r: _Reading) -> list[str]:
    unread = "".join(c if not done else " " for c, done in zip(r.text, r.read, strict=True))
    words = re.findall(r"[^\s,.;:!?()\[\]\"']+", unread)
    unknown = [w for w in words if w.strip("-'") and w.strip("-'") not in _FILLER]
    return list(dict.fromkeys(unknown))[:20]


def _pattern(r: _Reading) -> str:
    found = [p for p in PRIORITY if p in r.cues]
    if not found:
        r.problems.append("no workload recognised: say what to build (an HTTP API, a queue "
                          "worker, a scheduled job, an event pipeline, a static site, S3 "
                          "backups, an AI inference service, a Kubernetes deployment)")
        return ""
    return found[0]


def _spec(r: _Reading, pattern: str) -> Parsed:
    fields = dict(r.fields)
    traffic = {key: fields.pop(key) for key in ("monthly_requests", "request_duration_ms",
                                                 "storage_gb", "storage_per_month")
               if key in fields}
    purpose = fields.pop("purpose", None)
    fields.setdefault("name", _slug(purpose) or pattern)
    if "compliance" in fields and "gdpr" in fields["compliance"]:
        if "data_classification" not in fields:
            fields["data_classification"] = "personal"
            r.said.append(Decision(choice="data classification = personal",
                                   reason="GDPR is named and no classification is: GDPR "
                                          "governs personal data", source="assumed"))
        if "region" not in fields:
            fields["region"] = GDPR_DEFAULT
            r.said.append(Decision(choice=f"region = {GDPR_DEFAULT}",
                                   reason="GDPR is named and no region is: an EU region "
                                          f"({REGIONS[GDPR_DEFAULT]}) is assumed",
                                   source="assumed"))
    if purpose:
        r.said.append(Decision(choice=f"name = {fields['name']}",
                               reason=f'from the purpose "{purpose}"', source="intent"))
    cloud = "kubernetes" if pattern in ("ai-inference", "k8s-service") else "aws"
    try:
        spec = IntentSpec(pattern=pattern, cloud=cloud, components=r.components,  # type: ignore[arg-type]
                          traffic=Traffic(**traffic), **fields)
    except ValidationError as invalid:
        raise Refused("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                for e in invalid.errors())) from None
    cues = ", ".join(f'"{w}"' for w in dict.fromkeys(r.cues[pattern]))
    others = [p for p in PRIORITY if p in r.cues and p != pattern]
    reason = f"the intent says {cues}" + (f" (also read as {', '.join(others)}: the more "
                                          f"specific blueprint wins)" if others else "")
    decisions = [Decision(choice=f"pattern = {pattern}", reason=reason, source="intent"),
                 *r.said]
    return Parsed(spec=spec, decisions=decisions)


def _slug(text: str | None) -> str:
    if not text:
        return ""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return slug if re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", slug) else ""
