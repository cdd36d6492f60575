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
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from purser.generate.egress import read_egress
from purser.generate.filler import ACTIVITIES, FILLER
from purser.generate.model_names import read_model
from purser.generate.names import read_names, safe_name
from purser.generate.reading import Reading, Refused
from purser.generate.regions import ALIASES, GDPR_DEFAULT, REGIONS
from purser.generate.schedules import read_schedule
from purser.generate.spec import Decision, IntentSpec, Traffic
from purser.generate.unsupported import read_unsupported

__all__ = ["MAX_INTENT_CHARS", "PARSER_NAME", "Parsed", "Refused", "parse_intent"]

MAX_INTENT_CHARS = 2000
PARSER_NAME = "purser-rules"
HOURS_A_MONTH = 730
SECONDS_A_MONTH = HOURS_A_MONTH * 3600


@dataclass
class Parsed:
    spec: IntentSpec
    decisions: list[Decision]


def parse_intent(intent: str) -> Parsed:
    """The spec an intent states; `Refused` naming what could not be read."""
    if len(intent) > MAX_INTENT_CHARS:
        raise Refused(f"the intent is {len(intent)} characters; at most {MAX_INTENT_CHARS} "
                      "are read")
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in intent)
    reading = Reading(lowered.replace("\u2011", "-").replace("\u2013", "-"), intent)
    for reader in _READERS:
        reader(reading)
    _purpose(reading)
    leftovers = _leftovers(reading)
    if leftovers:
        reading.problems.append("not understood: " + ", ".join(f'"{w}"' for w in leftovers)
                                + " (purser's parser reads services, regions, budgets, traffic, "
                                "compliance regimes and availability; --llm-url may read more)")
    pattern = _pattern(reading)
    if "egress_gb" in reading.fields and pattern not in EGRESS_PATTERNS:
        reading.problems.append(
            f"an egress volume is read for {', '.join(EGRESS_PATTERNS)} only: the {pattern} "
            "blueprint does not model data transfer out, and purser never counts it as zero")
    if pattern == "ai-inference" and "model" not in reading.fields:
        reading.problems.append(
            "an AI inference service needs the model it serves: name it (\"serving "
            "mistral-7b\", \"a llama model\", \"model sentiment-bert@1.2\"); purser never "
            "invents one")
    if reading.problems:
        raise Refused("; ".join(reading.problems))
    return _spec(reading, pattern)


# Readers, applied in order: each marks what it read.

def _urls(r: Reading) -> None:
    keyed = {"model_card_url": r"model[- ]card", "data_lineage_url": r"(?:data )?lineage|dataset",
             "oversight_url": r"human (?:oversight|review)|oversight|review queue|runbook"}
    for name, key in keyed.items():
        for match in r.find(rf"\b(?:{key})\s*(?:at|:|is|=|in)?\s*(https://[^\s,;\"'<>]+)"):
            url = r.original[match.start(1):match.end(1)].rstrip(".")
            r.set(name, url, match, name.replace("_", " "))


def _money(r: Reading) -> None:
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
          r"predictions?|inferences?|logins?|sign-?ins?|uploads?|page ?views?|visits?|visitors?|"
          r"transactions?|api calls?|queries|query|records?|rows?|files?|webhooks?|"
          r"deliveries|notifications?|emails?|payments?|checkouts?|pings?|executions?|runs?")


def _traffic(r: Reading) -> None:
    number = r"(?<![\w.])(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<m>k|thousand|mn|m|million|bn|b|" \
             r"billion)?\s*"
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
    for match in r.find(number + r"(?:rps|req/s|reqs/s|requests/s|qps|tps)\b"):
        count = _count(match)
        r.set("monthly_requests", round(count * SECONDS_A_MONTH), match, "the traffic")
    for match in r.find(number + r"(?:rpm|req/min|reqs/min|requests/min)\b"):
        count = _count(match)
        r.set("monthly_requests", round(count * SECONDS_A_MONTH / 60), match, "the traffic")
    _users(r, number)


#: Requests a user is assumed to make, when the intent counts users rather than requests.
REQUESTS_PER_USER_DAY = 20


def _users(r: Reading, number: str) -> None:
    """"100k users", "50k daily active users", "2M MAU": requests at an assumed rate per
    user, said as assumed so that the intent can give requests instead."""
    daily = r"(?P<d>daily(?: active)?|dau)"
    for match in r.find(number + rf"(?:{daily}\s*users?|dau\b|(?:monthly(?: active)?|"
                                 rf"active|registered)?\s*users?\b|mau\b)"
                                 r"(?:\s*(?:a|per|/|each|every)\s*month)?"):
        users = _count(match)
        active_days = 30.4 if match.group("d") or "dau" in match.group(0) else 10
        monthly = round(users * active_days * REQUESTS_PER_USER_DAY)
        r.set("monthly_requests", monthly, match, "the traffic")
        r.assume(f"{REQUESTS_PER_USER_DAY} requests per active user a day, "
                 f"{active_days:g} active days a month",
                 f'the intent counts users ("{match.group(0).strip()}"), not requests; '
                 "give requests a month or a second to replace this")


def _count(match: re.Match[str]) -> float:
    return float(match.group("n").replace(",", "")) * _MULTIPLIERS.get(match.group("m") or "", 1)


def _duration(r: Reading) -> None:
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


def _storage(r: Reading) -> None:
    size = r"(?<![\w.])(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>mb|gb|gib|tb|tib|pb)\b"
    # "of new backups", "of clickstream data": one word may say what kind of data it is
    what = r"(?:\s*(?:of\s+)?(?:new\s+)?(?:[a-z][a-z0-9-]{1,30}\s+)?(?:backups?|data|files|" \
           r"objects|assets|content|storage|snapshots|logs|archives?|events|records|images|" \
           r"videos|documents))?"

    def per(tag: str) -> str:
        return rf"(?P<{tag}>\s*(?:(?:a|per|/|each|every)\s*(?:month|mo|day|night)|monthly|" \
               rf"nightly|daily))?"

    scale = {"mb": 1 / 1024, "gb": 1, "gib": 1, "tb": 1024, "tib": 1024, "pb": 1024**2}
    for match in r.find(size + per("p1") + what + per("p2")):
        gb = float(match.group("n").replace(",", "")) * scale[match.group("u")]
        period = (match.group("p1") or match.group("p2") or "").strip()
        if re.search(r"day|night|daily|nightly", period):
            gb *= 30.4
        r.set("storage_gb", round(gb, 3), match, "the storage")
        if period:
            r.fields["storage_per_month"] = True


def _region(r: Reading) -> None:
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


def _vocabulary(table: dict[str, tuple[str, Any]]) -> Callable[[Reading], None]:
    """A reader for phrases that each set one field to one value."""

    def read(r: Reading) -> None:
        for phrase, (name, value) in sorted(table.items(), key=lambda kv: -len(kv[0])):
            suffix = r"(?:[- ](?:compliant|compliance|ready|aligned|certified|audited))?" \
                if name == "compliance" else ""
            for match in r.find(rf"(?<![\w-]){phrase}{suffix}(?![\w-])"):
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
    "soc ?2(?: type (?:ii|2|i|1))?": ("compliance", "soc2"),
    "iso(?:/iec)?[- ]?27001(?::20(?:13|22))?": ("compliance", "iso27001"),
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
    "ha": ("availability", "high"), "multi[- ]?az": ("availability", "high"),
    "(?:across|in|over) (?:two|three|multiple|several|2|3) (?:azs|availability zones)":
        ("availability", "high"),
    "multiple availability zones": ("availability", "high"),
    "(?:three|four) nines": ("availability", "high"), "redundant": ("availability", "high"),
    "no single point of failure": ("availability", "high"),
    "zero[- ]downtime": ("availability", "high"),
    "fault[- ]tolerant": ("availability", "high"),
    "99\\.9\\d* ?%?(?: uptime| availability)?(?: sla)?": ("availability", "high"),
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


def _settings(r: Reading) -> None:
    table = dict(_SETTINGS)
    del table["(?:high|limited|minimal)[- ]risk"]
    _vocabulary(table)(r)
    for match in r.find(r"(?<![\w-])(high|limited|minimal)[- ]risk(?![\w-])"):
        r.set("risk_level", match.group(1), match, "the risk level")


_ENVS = {"prod": "prod", "production": "prod", "staging": "staging", "stage": "staging",
         "dev": "dev", "development": "dev", "test": "test", "testing": "test", "qa": "qa",
         "sandbox": "sandbox", "prd": "prod", "stg": "staging", "uat": "uat",
         "pre-?prod": "preprod", "preproduction": "preprod", "non-?prod": "nonprod"}


def _env(word: str) -> str | None:
    return next((env for spelling, env in _ENVS.items() if re.fullmatch(spelling, word)), None)


def _owner(r: Reading) -> None:
    word = r"([a-z][a-z0-9-]{1,30})"
    for pattern in (rf"\b(?:for|by|of)\s+the\s+{word}\s+team\b", rf"\b{word}\s+team\b",
                    rf"\b(?:team|owned by|owner)\s*[:=]?\s*(?:the\s+)?{word}\b"):
        for match in r.find(pattern):
            if match.group(1) not in FILLER:
                r.set("team", match.group(1), match, "the team")
    envs = "|".join(_ENVS)
    for match in r.find(rf"(?<![\w-])(?:in\s+|for\s+)?(?:the\s+)?({envs})(?:\s+(?:environment|"
                        rf"env|account|stage))?(?![\w-])"):
        r.set("env", _env(match.group(1)) or match.group(1), match, "the environment")


def _reserved(word: str) -> bool:
    """A word the vocabulary already reads (a service, a region, an environment, filler),
    so never a name or a model id."""
    return (word in FILLER or _env(word) is not None or word in ALIASES or word in REGIONS
            or any(re.fullmatch(phrase, word) for phrase in _SERVICES)
            or any(re.fullmatch(phrase, word) for phrase in _SETTINGS))


def _model(r: Reading) -> None:
    read_model(r, reserved=_reserved)


def _names(r: Reading) -> None:
    read_names(r, reserved=_reserved)


#: Service names and synonyms → (component, pattern cue or None).
_SERVICES: dict[str, tuple[str | None, str | None]] = {
    "aws lambda": ("lambda", None), "lambda functions?": ("lambda", None),
    "lambdas?": ("lambda", None), "serverless functions?": ("lambda", None),
    "functions?": ("lambda", None), "faas": ("lambda", None),
    "amazon api gateway": ("api-gateway", "http-api"), "api gateway": ("api-gateway", "http-api"),
    "apigateway": ("api-gateway", "http-api"), "http apis?": ("api-gateway", "http-api"),
    "rest apis?": ("api-gateway", "http-api"), "apis?": ("api-gateway", "http-api"),
    "endpoints?": ("api-gateway", "http-api"), "webhooks?": ("api-gateway", "http-api"),
    "backend": (None, "http-api"), "back-end": (None, "http-api"),
    "(?:web )?apis? backend": (None, "http-api"), "graphql(?: apis?)?": ("api-gateway", "http-api"),
    "web ?hooks? (?:receiver|handler|endpoint)s?": ("api-gateway", "http-api"),
    "crud(?: apis?)?": (None, "http-api"),
    "amazon dynamodb": ("dynamodb", None), "dynamodb": ("dynamodb", None),
    "dynamo": ("dynamodb", None), "nosql(?: database| table)?": ("dynamodb", None),
    "key[- ]value store": ("dynamodb", None), "tables?": ("dynamodb", None),
    "database": ("dynamodb", None),
    "amazon sqs": ("sqs", "queue-worker"), "sqs": ("sqs", "queue-worker"),
    "dead[- ]letter queues?": ("sqs", "queue-worker"), "dlqs?": ("sqs", "queue-worker"),
    "message queues?": ("sqs", "queue-worker"), "queues?": ("sqs", "queue-worker"),
    "workers?": (None, "queue-worker"), "background jobs?": (None, "queue-worker"),
    "consumers?": (None, "queue-worker"), "task queues?": ("sqs", "queue-worker"),
    "job queues?": ("sqs", "queue-worker"),
    "(?:queue|sqs)[- ](?:backed|driven|based|triggered)": ("sqs", "queue-worker"),
    "async(?:hronous)? (?:processing|jobs?|tasks?)": (None, "queue-worker"),
    "eventbridge": ("eventbridge", "event-pipeline"),
    "event bus": ("eventbridge", "event-pipeline"),
    "event[- ]driven": (None, "event-pipeline"), "pipelines?": (None, "event-pipeline"),
    "etl": (None, "event-pipeline"),
    "ingest(?:ion|s|ing|ed)?": (None, "event-pipeline"),
    "cron(?: jobs?)?": ("eventbridge", "scheduled-job"),
    "scheduled(?: jobs?| tasks?| functions?)?": ("eventbridge", "scheduled-job"),
    "batch jobs?": (None, "scheduled-job"), "reports?": (None, None),
    "batch(?: processing)?": (None, "scheduled-job"), "jobs?": (None, "scheduled-job"),
    "export jobs?": (None, "scheduled-job"), "periodic(?: jobs?| tasks?)?": (None, "scheduled-job"),
    "recurring(?: jobs?| tasks?)?": (None, "scheduled-job"),
    "etl jobs?": (None, "event-pipeline"), "data pipelines?": (None, "event-pipeline"),
    "stream processing": (None, "event-pipeline"), "event processing": (None, "event-pipeline"),
    "event handlers?": (None, "event-pipeline"),
    "amazon s3": ("s3", None), "s3 buckets?": ("s3", None), "s3": ("s3", None),
    "buckets?": ("s3", None), "object storage": ("s3", None),
    "backups?": ("s3", "s3-backup"), "back up": ("s3", "s3-backup"),
    "archives?": ("s3", "s3-backup"), "archival": ("s3", "s3-backup"),
    "lifecycle(?: tiers?| rules?)?": ("s3", "s3-backup"),
    "static (?:web)?sites?": ("s3", "static-site"), "websites?": ("s3", "static-site"),
    "landing pages?": ("s3", "static-site"), "sites?": ("s3", "static-site"),
    "front-?ends?": ("s3", "static-site"),
    "(?:react|vue|angular|svelte|gatsby|hugo|jekyll|astro)(?: apps?| front-?ends?| sites?)?":
        ("s3", "static-site"), "web front-?ends?": ("s3", "static-site"),
    "docs sites?": ("s3", "static-site"), "documentation sites?": ("s3", "static-site"),
    "blogs?": ("s3", "static-site"), "marketing sites?": ("s3", "static-site"),
    "static assets": ("s3", "static-site"), "react apps?": ("s3", "static-site"),
    "single[- ]page app(?:lication)?": ("s3", "static-site"),
    "spa": ("s3", "static-site"), "cloudfront": ("cloudfront", "static-site"),
    "cdn": ("cloudfront", "static-site"),
    "knative(?: service)?": ("knative", "ai-inference"), "inference": (None, "ai-inference"),
    "model serving": (None, "ai-inference"), "ai": (None, "ai-inference"),
    "ml": (None, "ai-inference"), "llm": (None, "ai-inference"),
    "machine learning": (None, "ai-inference"), "models?": (None, "ai-inference"),
    "inference (?:endpoints?|apis?|servers?)": (None, "ai-inference"),
    "predictions? (?:endpoints?|apis?|services?)": (None, "ai-inference"),
    "llm (?:endpoints?|apis?|gateway)": (None, "ai-inference"),
    "(?:gen(?:erative)? ?)?ai (?:endpoints?|apis?)": (None, "ai-inference"),
    "embeddings?(?: endpoints?| services?)?": (None, "ai-inference"),
    "gpus?": (None, "ai-inference"),
    "kubernetes": ("kubernetes", "k8s-service"), "k8s": ("kubernetes", "k8s-service"),
    "deployment": ("kubernetes", "k8s-service"), "hpa": ("kubernetes", "k8s-service"),
    "horizontal pod autoscal(?:er|ing)": ("kubernetes", "k8s-service"),
    "autoscal(?:ed|ing|er)": (None, None), "containers?": ("kubernetes", "k8s-service"),
    "containeri[sz]ed": ("kubernetes", "k8s-service"), "microservices?": (None, "k8s-service"),
    "pods?": ("kubernetes", "k8s-service"), "eks": ("kubernetes", "k8s-service"),
    "helm(?: charts?)?": ("kubernetes", "k8s-service"),
    "docker(?: images?| containers?)?": ("kubernetes", "k8s-service"),
}


def _services(r: Reading) -> None:
    for phrase, (component, cue) in sorted(_SERVICES.items(), key=lambda kv: -len(kv[0])):
        for match in r.find(rf"(?<![\w-]){phrase}(?![\w-])"):
            r.take(match)
            if component and component not in r.components:
                r.components.append(component)
            if cue:
                r.cues.setdefault(cue, []).append(match.group(0))


_READERS: tuple[Callable[[Reading], None], ...] = (
    read_unsupported, _urls, _money, read_egress, _traffic, _duration, _storage,
    read_schedule, _region, _settings, _owner, _model, _names, _services)

#: Blueprints that put the intent's data transfer out in their usage (or say it is unpriced).
EGRESS_PATTERNS = ("static-site",)

#: Which pattern wins when the intent has cues for several (most specific first).
PRIORITY = ("ai-inference", "s3-backup", "static-site", "k8s-service", "scheduled-job",
            "event-pipeline", "queue-worker", "http-api")

def _purpose(r: Reading) -> None:
    """`for <a few words>`, or `to|that <activity> <a few words>` ("to aggregate metrics",
    "that cleans up stale sessions"): what the application is for (its name when none is
    given). Read over what is left, so a phrase already read ends it."""
    unread = "".join(c if not done else "|" for c, done in zip(r.text, r.read, strict=True))
    for match in re.finditer(r"\b(for|to|that|which)\s+((?:[a-z][a-z0-9'-]*[ \t]*){1,6})",
                             unread):
        tokens = re.findall(r"[a-z][a-z0-9'-]*", match.group(2))
        words = _purpose_words(tokens, opened_by_for=match.group(1) == "for")
        if not [w for w in words if w not in FILLER]:
            continue
        spans = list(re.finditer(r"[a-z][a-z0-9'-]*", match.group(2)))
        end = match.start(2) + spans[len(words) - 1].end()
        for index in range(match.start(), end):
            r.read[index] = True
        r.fields.setdefault("purpose", " ".join(w for w in words if w not in ARTICLES))


ARTICLES = ("a", "an", "the")


def _purpose_words(tokens: list[str], *, opened_by_for: bool) -> list[str]:
    """The words of a purpose, up to the first word that is not part of it. After "for",
    a filler word may open a compound ("the launch campaign"); after "to"/"that", only an
    activity may ("to aggregate metrics"), since "writes to X" is wiring, not a purpose."""
    words: list[str] = []
    for index, token in enumerate(tokens):
        content = [w for w in words if w not in ARTICLES]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in ARTICLES:
            words.append(token)
        elif not content and not opened_by_for:
            if token not in ACTIVITIES:
                break
            words.append(token)
        elif content and content[-1] in ACTIVITIES and token == "up":
            words.append(token)
        elif token in FILLER or _env(token):
            if opened_by_for and not content and following and following not in FILLER:
                words.append(token)  # "for the launch campaign"
                continue
            break
        else:
            words.append(token)
    return words


def _leftovers(r: Reading) -> list[str]:
    unread = "".join(c if not done else " " for c, done in zip(r.text, r.read, strict=True))
    words = re.findall(r"[^\s,.;:!?()\[\]\"']+", unread)
    unknown = [w for w in words if w.strip("-'") and w.strip("-'") not in FILLER]
    return list(dict.fromkeys(unknown))[:20]


def _pattern(r: Reading) -> str:
    found = [p for p in PRIORITY if p in r.cues]
    if not found:
        r.problems.append("no workload recognised: say what to build (an HTTP API, a queue "
                          "worker, a scheduled job, an event pipeline, a static site, S3 "
                          "backups, an AI inference service, a Kubernetes deployment)")
        return ""
    return found[0]


def _spec(r: Reading, pattern: str) -> Parsed:
    fields = dict(r.fields)
    traffic = {key: fields.pop(key) for key in ("monthly_requests", "request_duration_ms",
                                                 "storage_gb", "storage_per_month", "egress_gb")
               if key in fields}
    purpose = fields.pop("purpose", None)
    subject = fields.pop("subject", None)
    if "name" not in fields:
        fields["name"] = _name(r, purpose, subject, fields.get("model")) or pattern
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


def _name(r: Reading, purpose: str | None, subject: tuple[str, str] | None,
          model: str | None) -> str:
    """The application's name when the intent gives none: from its purpose ("for
    payments"), the thing it works on ("the orders table"), or the model it serves."""
    candidates = [(safe_name(purpose or ""), f'from the purpose "{purpose}"'),
                  (subject[0] if subject else "", f'from "{subject[1]}"' if subject else ""),
                  (safe_name((model or "").rpartition("/")[2].partition("@")[0]),
                   f'from the model "{model}"')]
    for name, reason in candidates:
        if name:
            r.said.append(Decision(choice=f"name = {name}", reason=reason, source="intent"))
            return name
    return ""
