import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app
from purser.config import ConfigError, load_config
from purser.model import Category, Resource, Severity, SourceRef
from purser.policy import checkov
from purser.policy.engine import load_packs
from purser.policy.rule import Rule, RuleContext, Setting, rules


class QueueRetention(Rule):
    """A team's own rule with a setting of its own: nothing in purser.config names it."""

    id = "ACME-001"
    title = "Queue keeps messages too long"
    severity = Severity.low
    category = Category.finops
    pack = "acme"
    resource_types = ("aws_sqs_queue",)
    settings = {"queue_retention_days_max": Setting(4, "days a queue may keep a message")}
    equivalents = {"checkov": ("CKV_ACME_1",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        days = resource.get("message_retention_seconds", 0) / 86400
        limit = self.setting("queue_retention_days_max", context)
        if days > limit:
            yield f"keeps messages {days:g} days (over {limit})"


@pytest.fixture
def acme_rule(monkeypatch: pytest.MonkeyPatch) -> type[Rule]:
    load_packs()
    monkeypatch.setitem(rules._items, QueueRetention.id, QueueRetention)
    return QueueRetention


def queue(seconds: int) -> Resource:
    return Resource(address="aws_sqs_queue.q", type="aws_sqs_queue", provider="aws", name="q",
                    attrs={"message_retention_seconds": seconds},
                    source=SourceRef(file="main.tf", line=1))


def config_file(root: Path, thresholds: str) -> Path:
    (root / "purser.yaml").write_text(f"policies:\n  thresholds:\n{thresholds}")
    return root


def messages(rule: type[Rule], resource: Resource, root: Path) -> list[str]:
    context = RuleContext([resource], load_config(root))
    return [str(m) for m in rule().check(resource, context)]


def test_a_rule_declaring_a_new_setting_is_configurable_from_purser_yaml(
        tmp_path: Path, acme_rule: type[Rule]) -> None:
    six_days = queue(6 * 86400)
    assert messages(acme_rule, six_days, tmp_path) == ["keeps messages 6 days (over 4)"]
    config_file(tmp_path, "    queue_retention_days_max: 7\n")
    assert messages(acme_rule, six_days, tmp_path) == []


def test_an_unknown_setting_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    config_file(tmp_path, "    lambda_memory_mb: 2048\n    lambda_memroy_mb: 4096\n")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert raised.value.line == 4
    assert "unknown setting 'lambda_memroy_mb'" in raised.value.message
    assert "lambda_memory_mb" in raised.value.message  # the known ones are listed


@pytest.mark.parametrize("value", ['"big"', "true", "1.5"])
def test_a_setting_of_the_wrong_type_is_a_config_error_at_its_line(
        tmp_path: Path, value: str) -> None:
    config_file(tmp_path, f"    hpa_min_replicas: {value}\n")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert raised.value.line == 3 and "expected int" in raised.value.message


def test_settings_from_purser_yaml_reach_the_built_in_rules(tmp_path: Path) -> None:
    config = load_config(config_file(tmp_path, "    lambda_memory_mb: 4096\n"))
    assert config.policies.thresholds.get("lambda_memory_mb") == 4096
    fin_005 = rules.get("PUR-FIN-005")()
    assert fin_005.setting("lambda_memory_mb", RuleContext([], config)) == 4096


def test_the_checkov_overlap_table_is_read_from_the_rules_equivalents(
        acme_rule: type[Rule]) -> None:
    table = checkov.overlaps()
    assert table["CKV_ACME_1"] == checkov.Overlap(("ACME-001",), Category.finops)
    assert table["CKV_AWS_45"] == checkov.Overlap(("PUR-SEC-008",))
    # Several rules, two categories: the check takes that of the first rule in pack order.
    assert table["CKV_K8S_43"] == checkov.Overlap(("PUR-SEC-038", "PUR-SEC-039", "PUR-AI-005"),
                                                  Category.supply_chain)


def test_purser_rules_json_shows_settings_and_equivalents() -> None:
    result = CliRunner().invoke(app, ["rules", "--json"])
    assert result.exit_code == 0, result.output
    listed = {row["id"]: row for row in json.loads(result.stdout)}
    assert listed["PUR-FIN-005"]["settings"]["lambda_memory_mb"]["default"] == 1024
    assert listed["PUR-FIN-005"]["settings"]["lambda_memory_mb"]["type"] == "int"
    assert listed["PUR-SEC-034"]["equivalents"] == {"checkov": ["CKV_K8S_16"]}
