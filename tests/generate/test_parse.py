"""The offline parser: the field's vocabulary read into spec fields, refusals naming the
words it could not read."""

from __future__ import annotations

from typing import Any

import pytest

from purser.generate.parse import MAX_INTENT_CHARS, Refused, parse_intent

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
     {"pattern": "scheduled-job", "schedule": "rate(1 day)", "region": "eu-west-2",
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


def _field(spec: Any, path: str) -> Any:
    value = spec
    for part in path.split("."):
        value = getattr(value, part)
    return value


@pytest.mark.parametrize(("intent", "expected"), INTENTS, ids=[i[:40] for i, _ in INTENTS])
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
    ("HTTP API backed by RDS Postgres", ['"rds"', '"postgres"']),
    ("HTTP API in mars-north-7", ['"mars-north-7"']),
    ("static site for €200 a month", ["US dollars"]),
    ("HTTP API in ap-mars-9", ['unknown AWS region "ap-mars-9"']),
    ("backups at $100/month and $200/month", ["given twice"]),
    ("", ["no workload"]),
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
