"""Every blueprint end to end into a real git repository: rendered, parsed back by
purser.sources, priced, fitted to the budget, gated (no finding at or above high),
committed on purser/gen-<slug> with provenance trailers and a ledger entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from purser import ledger
from purser.config import Config
from purser.generate import GENERATOR, Generation, GenerationRefused, generate, parse_intent
from purser.generate.blueprints import blueprints
from purser.git import commit_trailers, commit_work_tree, read_file
from purser.model import Severity
from purser.sources import LoadContext, load_files
from purser.store import database_url, open_database
from purser.tree import RepoFile

# One intent per blueprint, worded differently, across several regions and budgets.
ACCEPTED = {
    "http-api": ("Deploy a secure, cost-optimized serverless API for user authentication in "
                 "us-east-1, GDPR, at most $200 a month, using Lambda, API Gateway and DynamoDB"),
    "queue-worker": "A queue worker with a DLQ processing 2M messages a month in Frankfurt "
                    "for the payments team, $50 a month",
    "scheduled-job": "Run a scheduled job every 6 hours to compact reports, 30 seconds each, "
                     "$5/month, in Ireland",
    "event-pipeline": "Event-driven pipeline ingesting 50M events a month via EventBridge in "
                      "Oregon, budget $250 per month",
    "static-site": "Static website for the marketing team in Singapore, $20 a month",
    "s3-backup": "Backups of 10 TB of backups a month to S3 with lifecycle tiers, minimise "
                 "egress, budget $400/month",
    "ai-inference": "Knative inference service serving model sentiment-bert@1.2, limited risk, "
                    "model card at https://models.example.com/sentiment, data lineage at "
                    "https://lineage.example.com/reviews, 3M predictions a month, $60 a month",
    "k8s-service": "Kubernetes deployment with HPA for the checkout microservice, highly "
                   "available, $300 a month, prod",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("empty-repo")
    (root / "README.md").write_text("infrastructure\n")
    commit_work_tree(root, "start")
    return root


@pytest.fixture(scope="module")
def generated(repo: Path) -> dict[str, Generation]:
    return {pattern: generate(intent, repo=repo, read=parse_intent)
            for pattern, intent in ACCEPTED.items()}


def test_the_intents_cover_every_blueprint() -> None:
    assert set(ACCEPTED) == set(blueprints)


@pytest.mark.parametrize("pattern", sorted(ACCEPTED))
def test_each_blueprint_parses_back_passes_the_gate_and_fits_its_budget(
        pattern: str, generated: dict[str, Generation]) -> None:
    result = generated[pattern]
    assert result.spec.pattern == pattern
    assert result.accepted, result.problems
    assert result.report.resources and not result.report_errors
    assert not [f for f in result.report.findings if f.severity.at_least(Severity.high)]
    assert result.fit.within_budget and result.spec.budget_monthly_usd is not None
    assert result.fit.fits and not result.fit.unverified
    assert 0 < result.fit.priced.total <= result.spec.budget_monthly_usd
    sources = [RepoFile(path=Path(rel), rel=rel, data=text.encode())
               for rel, text in result.files.items() if not rel.endswith("usage.yml")]
    loaded = load_files(sources, LoadContext(root=Path("."), config=Config()))
    assert loaded.resources and not loaded.errors


@pytest.mark.parametrize("pattern", sorted(ACCEPTED))
def test_each_generation_is_committed_with_provenance_and_a_ledger_entry(
        pattern: str, generated: dict[str, Generation], repo: Path) -> None:
    result = generated[pattern]
    assert result.branch == f"purser/gen-{result.spec.name}"
    trailers = commit_trailers(repo, result.branch)
    assert trailers["Generated-By"] == GENERATOR
    assert trailers["Parser"] == "purser-rules"
    assert trailers["Spec-Digest"] == "sha256:" + result.spec.digest()
    assert trailers["Prompt-Digest"] == result.intent_digest
    for rel, text in result.files.items():
        assert read_file(repo, result.branch, rel) == text.encode()
    with open_database(database_url(repo)) as db:
        entry = next(e for e in ledger.entries(db, application=result.spec.name))
    assert entry.outcome == "proposed" and entry.revision == result.commit
    assert f'"pattern":"{pattern}"'.replace(":", ": ") in entry.explanation \
        or f'"pattern": "{pattern}"' in entry.explanation


def test_the_quoted_intent_becomes_arm64_lambda_with_a_jwt_route_and_scoped_iam(
        generated: dict[str, Generation]) -> None:
    main = next(t for p, t in generated["http-api"].files.items() if p.endswith("main.tf"))
    assert 'architectures                  = ["arm64"]' in main
    assert 'authorization_type = "JWT"' in main
    assert '"*"' not in main.split('resource "aws_iam_role_policy" "fn"')[1].split("resource")[0]


def test_levers_are_turned_in_order_and_each_says_what_it_saved(
        generated: dict[str, Generation]) -> None:
    backup = generated["s3-backup"]
    assert [s.lever for s in backup.fit.steps] == ["lifecycle tiers"]
    step = backup.fit.steps[0]
    assert step.saved_usd > 100 and step.after_usd <= 400 < step.before_usd
    assert any(d.source == "lever" and "saves $" in d.reason for d in backup.decisions)


def test_a_budget_that_cannot_be_met_is_explained_and_nothing_is_committed(repo: Path) -> None:
    result = generate("Backups of 10 TB a month to S3 with lifecycle tiers, budget $100/month",
                      repo=repo, read=parse_intent, app="cold-backups")
    assert not result.accepted and result.branch is None and result.commit is None
    assert "over the $100.00 budget with every lever turned" in result.problems[0]
    assert result.fit.steps  # the levers were tried before giving up
    with open_database(database_url(repo)) as db:
        assert ledger.entries(db, application="cold-backups")[-1].outcome == "refused"


def test_a_public_api_is_refused_by_the_gate_not_by_the_generator(repo: Path) -> None:
    result = generate("a public api for status checks in Oregon", repo=repo,
                      read=parse_intent, dry_run=True)
    assert not result.accepted
    assert any("PUR-SEC-031" in p for p in result.problems)


def test_regions_follow_the_intent(generated: dict[str, Generation]) -> None:
    regions = {p: g.spec.region for p, g in generated.items() if g.spec.cloud == "aws"}
    assert regions["queue-worker"] == "eu-central-1"
    assert regions["scheduled-job"] == "eu-west-1"
    assert regions["event-pipeline"] == "us-west-2"
    assert regions["static-site"] == "ap-southeast-1"
    variables = next(t for p, t in generated["queue-worker"].files.items()
                     if p.endswith("variables.tf"))
    assert 'default     = "eu-central-1"' in variables


def test_ai_inference_carries_its_responsible_ai_annotations(
        generated: dict[str, Generation]) -> None:
    manifest = next(t for p, t in generated["ai-inference"].files.items() if p.endswith(".yaml")
                    and "usage" not in p)
    for annotation in ("purser.dev/model-id: sentiment-bert@1.2",
                       "purser.dev/model-card-url: https://models.example.com/sentiment",
                       "purser.dev/risk-level: limited"):
        assert annotation in manifest


def test_a_component_outside_the_blueprint_is_refused(repo: Path) -> None:
    with pytest.raises(GenerationRefused, match="has no dynamodb"):
        generate("static website with a DynamoDB table", repo=repo, read=parse_intent,
                 dry_run=True)


def test_an_existing_folder_is_never_overwritten(repo: Path) -> None:
    (repo / "apps" / "taken").mkdir(parents=True)
    (repo / "apps" / "taken" / "main.tf").write_text("# mine\n")
    with pytest.raises(GenerationRefused, match="already holds files"):
        generate("queue worker", repo=repo, read=parse_intent, app="taken", dry_run=True)
