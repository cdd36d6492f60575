from pathlib import Path

import pytest

from purser.config import ConfigError, load_config


def test_missing_config_gives_defaults(tmp_path: Path):
    config = load_config(tmp_path)
    assert config.defaults.required_tags == ["team", "env", "cost-center"]
    assert config.policies.fail_on.value == "high"


def test_application_for_picks_the_longest_containing_path(tmp_path: Path):
    (tmp_path / "purser.yaml").write_text(
        "project: shop\napplications:\n  - {name: all, path: .}\n"
        "  - {name: pay, path: apps/pay, budget: {monthly_usd: 500}}\n")
    config = load_config(tmp_path)
    assert config.application_for("apps/pay/main.tf").name == "pay"
    assert config.application_for("apps/other/main.tf").name == "all"
    assert config.applications[1].budget.monthly_usd == 500


def test_invalid_value_is_reported_with_its_line(tmp_path: Path):
    (tmp_path / "purser.yaml").write_text(
        "project: shop\npolicies:\n  fail_on: severe\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 3
    assert "policies.fail_on" in str(caught.value)


def test_unknown_key_is_refused_with_its_line(tmp_path: Path):
    (tmp_path / "purser.yaml").write_text("project: shop\ndefaults:\n  regoin: eu-west-1\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 3
    assert "regoin" in caught.value.message


def test_malformed_yaml_is_reported_with_its_line(tmp_path: Path):
    (tmp_path / "purser.yaml").write_text("project: shop\napplications: [\n  - a\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.file == "purser.yaml"
    assert caught.value.line >= 2
