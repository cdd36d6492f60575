"""The offline parser: the field's vocabulary read into spec fields, refusals naming the
words it could not read."""

from __future__ import annotations

import re
from typing import Any

import pytest

from purser.generate.parse import (
    MAX_INTENT_CHARS,
    REQUESTS_PER_USER_DAY,
    Refused,
    parse_intent,
)

QUOTED = ("Deploy a secure, cost-optimized serverless API for user authentication in "
          "us-east-1, GDPR, at most $200 a month, using Lambda, API Gateway and DynamoDB")

# (intent, expected spec fields: dotted paths → values)
INTENTS: list[tuple[str, dict[str, Any]]] = [
    (QUOTED, {"pattern": "http-api", "name": "user-authentication", "region": "us-east-1",
              "budget_monthly_usd": 200.0, "compliance": ["gdpr"], "cost_optimized": True,
              "data_classification": "personal",
              "components": ["api-gateway", "lambda", "dynamodb"]}),
    ("REST API for orders in N. Virginia handling 5M requests a month, $150/month, "
     "highly available", {"pattern": "http-api", "region": "us-east-1", "name": "orders",
                          "traffic.monthly_requests": 5_000_000, "availability": "high",
                          "budget_monthly_usd": 150.0}),
    ("Low latency HTTP API for payments with 20M requests a month in Singapore, $100 a month",
     {"pattern": "http-api", "region": "ap-southeast-1", "network": ["low-latency"],
      "traffic.monthly_requests": 20_000_000}),
    ("a public api for status checks, 10 rps, in Oregon",
     {"authentication": "none", "traffic.monthly_requests": 26_280_000, "region": "us-west-2"}),
    ("A queue worker with a DLQ processing 2M messages a month in Frankfurt for the payments "
     "team", {"pattern": "queue-worker", "region": "eu-central-1", "team": "payments",
              "traffic.monthly_requests": 2_000_000}),
    ("SQS consumer for invoices, 300k messages per day, each message takes 400 ms, staging",
     {"pattern": "queue-worker", "traffic.monthly_requests": 9_120_000,
      "traffic.request_duration_ms": 400, "env": "staging", "name": "invoices"}),
    ("Run a scheduled job every 6 hours to compact reports, 30 seconds each, $5/month",
     {"pattern": "scheduled-job", "schedule": "rate(6 hours)",
      "traffic.request_duration_ms": 30_000, "budget_monthly_usd": 5.0}),
    ("nightly cron job for cleanup in London, HIPAA",
     {"pattern": "scheduled-job", "schedule": "cron(0 2 * * ? *)", "region": "eu-west-2",
      "compliance": ["hipaa"]}),
    ("Event-driven pipeline ingesting 50M events a month via EventBridge in Oregon",
     {"pattern": "event-pipeline", "region": "us-west-2", "traffic.monthly_requests": 50_000_000}),
    ("Static website for the marketing team in Ireland, $20 a month",
     {"pattern": "static-site", "region": "eu-west-1", "team": "marketing",
      "budget_monthly_usd": 20.0}),
    ("cheap landing page behind a CDN in Tokyo", {"pattern": "static-site",
                                                   "region": "ap-northeast-1",
                                                   "cost_optimized": True}),
    ("Nightly backups of 10 TB of backups a month to S3 with lifecycle tiers, minimise egress, "
     "budget $400/month", {"pattern": "s3-backup", "traffic.storage_gb": 10240.0,
                           "traffic.storage_per_month": True, "network": ["minimise-egress"],
                           "budget_monthly_usd": 400.0}),
    ("archive 500 GB of data in the EU, PCI DSS", {"pattern": "s3-backup",
                                                   "region": "eu-central-1",
                                                   "compliance": ["pci-dss"]}),
    ("Knative inference service serving model sentiment-bert@1.2 on Kubernetes, limited risk, "
     "model card at https://models.example.com/sentiment, 3M predictions a month",
     {"pattern": "ai-inference", "cloud": "kubernetes", "model": "sentiment-bert@1.2",
      "risk_level": "limited", "model_card_url": "https://models.example.com/sentiment"}),
    ("high-risk ML inference for credit scoring, model scorer@2.0, human review at "
     "https://review.example.com/queue, highly available",
     {"pattern": "ai-inference", "risk_level": "high", "availability": "high",
      "oversight_url": "https://review.example.com/queue"}),
    ("Kubernetes deployment with HPA for the checkout microservice, highly available, "
     "$300 a month, prod", {"pattern": "k8s-service", "name": "checkout", "env": "prod",
                            "availability": "high", "budget_monthly_usd": 300.0}),
    ("containerized k8s service named search-api for the search team, $1.5k per month",
     {"pattern": "k8s-service", "name": "search-api", "team": "search",
      "budget_monthly_usd": 1500.0}),
]


# How platform engineers phrase intents: verbs of asking, workload words, names, traffic,
# egress, schedules, availability, compliance and environments said in many ways.
PHRASINGS: list[tuple[str, dict[str, Any]]] = [
    ("nightly job that exports the orders table to S3 in N. Virginia, at most $5/month",
     {"pattern": "scheduled-job", "schedule": "cron(0 2 * * ? *)", "name": "orders-export",
      "components": ["s3"], "region": "us-east-1", "budget_monthly_usd": 5.0}),
    ("static website for marketing in eu-west-2 with 10 TB of egress a month, at most $20 a "
     "month", {"pattern": "static-site", "name": "marketing", "region": "eu-west-2",
               "traffic.egress_gb": 10240.0, "budget_monthly_usd": 20.0}),
    ("Knative inference service for a llama model in Frankfurt, GDPR, at most $800 a month",
     {"pattern": "ai-inference", "model": "llama", "region": "eu-central-1",
      "compliance": ["gdpr"], "budget_monthly_usd": 800.0}),
    ("Please set up a webhook backend for Stripe payments in Ireland, 50 req/s, $120/month",
     {"pattern": "http-api", "name": "stripe-payments", "region": "eu-west-1",
      "traffic.monthly_requests": 131_400_000, "budget_monthly_usd": 120.0}),
    ("I need a microservice called checkout on Kubernetes, 2,000 requests per minute, "
     "multi-AZ, prod", {"pattern": "k8s-service", "name": "checkout", "env": "prod",
                        "traffic.monthly_requests": 87_600_000, "availability": "high"}),
    ("spin up a cron that cleans up stale sessions every 15 minutes in staging",
     {"pattern": "scheduled-job", "schedule": "rate(15 minutes)", "env": "staging",
      "name": "cleans-up-stale-sessions"}),
    ("deploy an ETL job that ingests 1 TB/day of clickstream data in Oregon",
     {"pattern": "event-pipeline", "region": "us-west-2", "traffic.storage_gb": 31129.6,
      "traffic.storage_per_month": True}),
    ("hourly batch job to aggregate metrics, SOC 2 Type II, dev environment",
     {"pattern": "scheduled-job", "schedule": "rate(1 hour)", "compliance": ["soc2"],
      "env": "dev", "name": "aggregate-metrics"}),
    ("Expose a REST API for the inventory team with 100k users, 99.95% uptime SLA, under $250 "
     "a month", {"pattern": "http-api", "team": "inventory", "availability": "high",
                 "traffic.monthly_requests": 20_000_000, "budget_monthly_usd": 250.0}),
    ("host a React frontend for the docs team behind CloudFront, 5 TB of bandwidth a month",
     {"pattern": "static-site", "team": "docs", "traffic.egress_gb": 5120.0}),
    ("create an S3 bucket to archive 2 TB of logs a month in Stockholm, ISO 27001",
     {"pattern": "s3-backup", "region": "eu-north-1", "compliance": ["iso27001"],
      "traffic.storage_gb": 2048.0, "traffic.storage_per_month": True}),
    ("we want a consumer that processes 1M orders a day from SQS, each taking 200 ms, in "
     "Sydney", {"pattern": "queue-worker", "region": "ap-southeast-2",
                "traffic.monthly_requests": 30_400_000, "traffic.request_duration_ms": 200}),
    ("run a job at 2am UTC that exports the invoices table to S3",
     {"pattern": "scheduled-job", "schedule": "cron(0 2 * * ? *)", "name": "invoices-export"}),
    ("daily job at 03:30 to compact reports, cost-optimized",
     {"pattern": "scheduled-job", "schedule": "cron(30 3 * * ? *)", "cost_optimized": True}),
    ("serving mistral-7b on Knative in Paris, GDPR, high risk, human review at "
     "https://review.example.com/q", {"pattern": "ai-inference", "model": "mistral-7b",
                                      "region": "eu-west-3", "risk_level": "high",
                                      "oversight_url": "https://review.example.com/q"}),
    ("model gpt2 inference endpoint with 500k predictions a month, minimal risk",
     {"pattern": "ai-inference", "model": "gpt2", "traffic.monthly_requests": 500_000,
      "risk_level": "minimal"}),
    ("host the meta-llama/Llama-3-8B model on Knative, limited risk, 1M inferences a month",
     {"model": "meta-llama/Llama-3-8B", "name": "llama-3-8b",
      "traffic.monthly_requests": 1_000_000}),
    ("Spin up a Knative service serving whisper for transcription, $500 a month",
     {"pattern": "ai-inference", "model": "whisper", "name": "transcription"}),
    ("an event-driven pipeline to process uploads, 10 TPS, HIPAA-compliant, in Ohio",
     {"pattern": "event-pipeline", "compliance": ["hipaa"], "region": "us-east-2",
      "traffic.monthly_requests": 26_280_000, "name": "process-uploads"}),
    ("Build a serverless API backend for payments across three availability zones, PCI DSS, "
     "$400 a month", {"pattern": "http-api", "name": "payments", "availability": "high",
                      "compliance": ["pci-dss"]}),
    ("stand up a blog for the growth team in Tokyo, cheap, 200 GB of data transfer out a month",
     {"pattern": "static-site", "team": "growth", "cost_optimized": True,
      "traffic.egress_gb": 200.0}),
    ("spin up an SQS worker for notifications, 300 rpm, in the staging environment",
     {"pattern": "queue-worker", "name": "notifications", "env": "staging",
      "traffic.monthly_requests": 13_140_000}),
    ("create a queue-backed worker called email-sender, 5k emails per hour",
     {"pattern": "queue-worker", "name": "email-sender", "traffic.monthly_requests": 3_650_000}),
    ("An internal API for payroll data in London, SOC2, zero downtime, $300/mo",
     {"pattern": "http-api", "name": "payroll", "compliance": ["soc2"],
      "availability": "high"}),
    ("a static site for docs in eu-west-3 with egress of 3 TB per month",
     {"pattern": "static-site", "name": "docs", "traffic.egress_gb": 3072.0}),
    ("nightly at 1am backup of the customers database to S3 with lifecycle tiers, 500 GB a "
     "night", {"pattern": "s3-backup", "schedule": "cron(0 1 * * ? *)", "name": "customers",
               "components": ["s3"], "traffic.storage_gb": 15200.0}),
    ("Please create a Kubernetes deployment for the billing microservice, 50k daily active "
     "users, stg", {"pattern": "k8s-service", "name": "billing", "env": "staging",
                    "traffic.monthly_requests": 30_400_000}),
    ("set up weekly cron job to rotate keys in Frankfurt",
     {"pattern": "scheduled-job", "schedule": "rate(7 days)", "name": "rotate-keys"}),
    ("deploy a GraphQL API for search, 20M requests a month, lowest latency, in Singapore",
     {"pattern": "http-api", "name": "search", "network": ["low-latency"]}),
    ("I'd like a landing page for the launch campaign, 10k visitors a month, under $10",
     {"pattern": "static-site", "name": "launch-campaign", "budget_monthly_usd": 10.0}),
    ("create a microservice on EKS named payments-api for the payments team, 99.9%, prod, "
     "$2k a month", {"pattern": "k8s-service", "name": "payments-api", "team": "payments",
                     "availability": "high", "budget_monthly_usd": 2000.0}),
    ("every 5 minutes poll the partner feed and write to DynamoDB",
     {"pattern": "scheduled-job", "schedule": "rate(5 minutes)", "components": ["dynamodb"]}),
]


def _field(spec: Any, path: str) -> Any:
    value = spec
    for part in path.split("."):
        value = getattr(value, part)
    return value


@pytest.mark.parametrize(("intent", "expected"), INTENTS + PHRASINGS,
                         ids=[i[:48] for i, _ in INTENTS + PHRASINGS])
def test_intent_is_read_into_the_spec_fields_it_states(intent: str,
                                                        expected: dict[str, Any]) -> None:
    parsed = parse_intent(intent)
    for path, value in expected.items():
        assert _field(parsed.spec, path) == value, path
    assert parsed.decisions[0].choice == f"pattern = {parsed.spec.pattern}"


def test_every_stated_field_is_a_decision_that_quotes_the_intent() -> None:
    parsed = parse_intent(QUOTED)
    reasons = {d.choice: d.reason for d in parsed.decisions}
    assert reasons["budget_monthly_usd = 200.0"] == 'the intent says "at most $200 a month"'
    assert any(d.source == "assumed" and "personal" in d.choice for d in parsed.decisions)


@pytest.mark.parametrize(("intent", "words"), [
    ("Build me a blockchain quantum thing", ['"blockchain"', '"quantum"', "no workload"]),
    ("HTTP API backed by RDS Postgres", ['"RDS"', '"Postgres"', "blueprints build"]),
    ("HTTP API in mars-north-7", ['"mars-north-7"']),
    ("static site for €200 a month", ["US dollars"]),
    ("HTTP API in ap-mars-9", ['unknown AWS region "ap-mars-9"']),
    ("backups at $100/month and $200/month", ["given twice"]),
    ("", ["no workload"]),
    ("Knative inference service in Frankfurt, GDPR, at most $800 a month",
     ["needs the model it serves", "never invents"]),
    ("an ML model behind an inference endpoint", ["needs the model it serves"]),
    ("an API backed by Kinesis and Redis", ['"Kinesis"', '"Redis"', "blueprints build"]),
    ("an HTTP API that uses MongoDB", ['"MongoDB"']),
    ("a worker that writes to Cassandra", ['"Cassandra"']),
    ("a static site with a blockchain ledger", ['"blockchain"', '"ledger"']),
    ("run the nightly export at 2am PST", ["read in UTC"]),
    ("cron job at 25:00 UTC", ['"at 25:00 utc" is not a time of day']),
    ("a site called ---", ['"---" cannot be a name']),
    ("REST API for search with 4 TB of egress a month", ["does not model data transfer out"]),
])
def test_an_intent_it_cannot_read_is_refused_naming_the_words(intent: str,
                                                                words: list[str]) -> None:
    with pytest.raises(Refused) as refused:
        parse_intent(intent)
    for word in words:
        assert word in str(refused.value)


def test_an_oversized_intent_is_refused_before_it_is_read() -> None:
    with pytest.raises(Refused, match=f"at most {MAX_INTENT_CHARS}"):
        parse_intent("api " * MAX_INTENT_CHARS)


@pytest.mark.parametrize("filler", [
    "Please, I need you to", "Hey, could you please", "We'd like to", "I want that", "Let's"])
def test_filler_and_politeness_never_cause_a_refusal(filler: str) -> None:
    parsed = parse_intent(f"{filler} deploy the queue worker for invoices in Ireland")
    assert (parsed.spec.pattern, parsed.spec.name) == ("queue-worker", "invoices")


@pytest.mark.parametrize("written", [
    "Checkout_API", "checkout.api", "'Checkout API v2'", "x" * 90, "9lives-service"])
def test_a_name_taken_from_the_intent_is_a_bounded_safe_identifier(written: str) -> None:
    parsed = parse_intent(f"a REST API called {written}")
    assert re.fullmatch(r"[a-z][a-z0-9-]{0,38}[a-z0-9]", parsed.spec.name), parsed.spec.name


def test_nightly_without_a_time_is_a_cron_at_two_utc_said_as_assumed() -> None:
    parsed = parse_intent("nightly job that exports the orders table to S3")
    assert parsed.spec.schedule == "cron(0 2 * * ? *)"
    assumed = [d for d in parsed.decisions if d.source == "assumed"]
    assert any("02:00 UTC" in d.choice and '"nightly"' in d.reason for d in assumed)


def test_a_time_of_day_and_nightly_are_one_schedule_not_two() -> None:
    parsed = parse_intent("a nightly cron job at 01:15 UTC for cleanup")
    assert parsed.spec.schedule == "cron(15 1 * * ? *)"


def test_users_become_requests_at_a_stated_rate() -> None:
    parsed = parse_intent("REST API for search with 100k users")
    assert parsed.spec.traffic.monthly_requests == 100_000 * 10 * REQUESTS_PER_USER_DAY
    assert any(d.source == "assumed" and "per active user" in d.choice
               for d in parsed.decisions)


def test_a_digit_inside_a_model_name_is_not_traffic() -> None:
    parsed = parse_intent("model gpt2 inference endpoint")
    assert (parsed.spec.model, parsed.spec.traffic.monthly_requests) == ("gpt2", None)


def test_the_egress_volume_is_a_decision_quoting_the_intent() -> None:
    parsed = parse_intent("static site for docs with bandwidth of 2 TB/month")
    assert parsed.spec.traffic.egress_gb == 2048.0
    assert any(d.choice == "egress_gb = 2048.0" and "2 TB/month" in d.reason
               for d in parsed.decisions)
