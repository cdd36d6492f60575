"""A new user's first intents, generated (dry run) into an empty repository: what the
parser reads reaches the rendered files, the decisions and the gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from purser.generate.parse import parse_intent
from purser.generate.pipeline import Generation, GenerationRefused, generate
from purser.git import commit_work_tree


@pytest.fixture(scope="module")
def empty_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("first-intents")
    commit_work_tree(repo, "empty")
    return repo


def _run(intent: str, repo: Path) -> Generation:
    return generate(intent, repo=repo, read=parse_intent, dry_run=True)


def test_a_named_model_becomes_the_model_id_annotation_and_passes_the_gate(
        empty_repo: Path) -> None:
    result = _run("Knative inference service for a llama model in Frankfurt, GDPR, at most "
                  "$800 a month", empty_repo)
    manifest = next(t for p, t in result.files.items() if p.endswith(".yaml")
                    and "serving.knative.dev" in t)
    assert "purser.dev/model-id: llama" in manifest
    assert not [f for f in result.findings if f.rule_id == "PUR-AI-001"]
    assert result.accepted, result.problems


def test_an_ai_intent_naming_no_model_is_refused_before_rendering(empty_repo: Path) -> None:
    with pytest.raises(GenerationRefused, match="needs the model it serves"):
        _run("Knative inference service in Frankfurt, at most $800 a month", empty_repo)


def test_egress_reaches_the_usage_and_its_origin_is_said(empty_repo: Path) -> None:
    result = _run("static website for marketing in eu-west-2 with 10 TB of egress a month, "
                  "at most $2000 a month", empty_repo)
    usage = next(t for p, t in result.files.items() if p.endswith("usage.yml"))
    assert "monthly_data_transfer_to_internet_gb:\n      us: 10240.0" in usage
    [egress] = [d for d in result.decisions if "data transfer out" in d.choice]
    assert egress.source == "blueprint" and "from the intent" in egress.reason
    # 10 TB: 10,240 GB at CloudFront's first-tier $0.085 (US, Mexico, Canada).
    assert result.report.cost is not None
    lines = [c for r in result.report.cost.resources
             if r.address == "aws_cloudfront_distribution.site" for c in r.components
             if c.component.startswith("Data transfer out")]
    assert round(sum(c.monthly_cost or 0 for c in lines), 2) == round(10240 * 0.085, 2)


def test_a_static_site_without_egress_assumes_an_average_response_and_says_so(
        empty_repo: Path) -> None:
    result = _run("static website for docs in us-east-1, at most $20 a month", empty_repo)
    [egress] = [d for d in result.decisions if "data transfer out" in d.choice]
    # 100,000 requests (the default) × 100 KB = 9.5 GB.
    assert egress.source == "assumed" and "100 KB per request" in egress.reason
    assert egress.choice.startswith("9.5 GB")
