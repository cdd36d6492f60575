from pathlib import Path

import pytest

from purser.config import ConfigError, load_config


def test_missing_config_gives_defaults_that_require_no_cost_tags(tmp_path: Path):
    config = load_config(tmp_path)
    assert config.defaults.required_tags == []
    assert config.policies.fail_on.value == "high"


def test_a_config_that_does_not_name_required_tags_requires_the_documented_ones(
        tmp_path: Path):
    (tmp_path / "purser.yaml").write_text("project: shop\n")
    assert load_config(tmp_path).defaults.required_tags == ["team", "env", "cost-center"]


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


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "purser.yaml").write_text(text)
    return tmp_path


def refused(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.file == "purser.yaml"
    return caught.value


@pytest.mark.parametrize(("text", "line", "where"), [
    ("cost:\n  usage: /etc/passwd\n", 2, "cost.usage"),
    ("policies:\n  rego: /\n", 2, "policies.rego"),
    ("applications:\n  - name: a\n    path: /srv\n", 3, "applications.0.path"),
    ("applications:\n  - name: a\n    usage: /tmp/u.yml\n", 3, "applications.0.usage"),
])
def test_absolute_paths_in_the_config_are_refused_at_their_line(tmp_path, text, line, where):
    error = refused(tmp_path, text)
    assert error.line == line
    assert error.message.startswith(f"{where}: absolute path")
    assert "--usage" in error.message


@pytest.mark.parametrize("path", ["..", "../shared/usage.yml", "apps/../../x", "./a/../.."])
def test_paths_leaving_the_repository_are_refused(tmp_path, path):
    error = refused(tmp_path, f"cost:\n  usage: '{path}'\n")
    assert error.line == 2 and "leaves the repository" in error.message


def test_a_nul_character_in_a_path_is_refused(tmp_path):
    assert "NUL" in refused(tmp_path, 'policies:\n  rego: "pol\\0icies"\n').message


def test_paths_inside_the_repository_are_kept_normalised(tmp_path):
    config = load_config(write(tmp_path, "applications:\n  - name: pay\n"
                                         "    path: ./apps/../apps/pay/\n"
                                         "    usage: apps/pay/usage.yml\n"))
    assert config.applications[0].path == "apps/pay"
    assert config.application_for("apps/pay/main.tf").name == "pay"


def test_a_config_symlinked_outside_the_repository_is_refused(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("project: elsewhere\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "purser.yaml").symlink_to(outside)
    with pytest.raises(ConfigError, match="outside the repository") as caught:
        load_config(repo)
    assert caught.value.file == "purser.yaml"


def test_a_config_that_is_a_folder_is_refused_not_ignored(tmp_path):
    (tmp_path / "purser.yaml").mkdir()
    with pytest.raises(ConfigError, match="not a regular file"):
        load_config(tmp_path)


def test_unknown_pack_is_refused_at_its_line(tmp_path):
    error = refused(tmp_path, "policies:\n  packs:\n    - security\n    - nonexistent\n")
    assert error.line == 4
    assert error.message.startswith("policies.packs.1: unknown pack 'nonexistent' (known: ")


def test_unknown_disabled_rule_is_refused_at_its_line(tmp_path):
    error = refused(tmp_path, "policies:\n  disabled:\n    - PUR-SEC-009\n    - PUR-SEC-999\n")
    assert error.line == 4 and "unknown rule 'PUR-SEC-999'" in error.message


def test_waiver_for_an_unknown_purser_rule_is_refused(tmp_path):
    error = refused(tmp_path, "policies:\n  waivers:\n    - rule: PUR-SEC-999\n"
                              "      reason: accepted\n")
    assert error.line == 3 and "policies.waivers.0.rule: unknown rule" in error.message


def test_waivers_may_name_rego_checkov_budget_ids_and_purser_globs(tmp_path):
    config = load_config(write(tmp_path, """policies:
  waivers:
    - {rule: CKV_AWS_20, reason: checkov id}
    - {rule: "REGO:team.tags", reason: rego package}
    - {rule: PUR-BUD-001, reason: budget}
    - {rule: PUR-FIN-*, reason: every finops rule}
    - {rule: "*", resource: aws_s3_bucket.site, reason: everything on one resource}
"""))
    assert len(config.policies.waivers) == 5


def test_an_invalid_waiver_date_is_refused_at_its_line(tmp_path):
    error = refused(tmp_path, "policies:\n  waivers:\n    - rule: PUR-SEC-009\n"
                              "      reason: accepted\n      expires: 2027-13-45\n")
    assert error.line == 5 and error.message.startswith("policies.waivers.0.expires:")


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_non_finite_numbers_are_refused(tmp_path, value):
    error = refused(tmp_path, f"budgets:\n  - tag: team\n    value: a\n    monthly_usd: {value}\n")
    assert error.line == 4 and "finite" in error.message


def test_importing_the_config_does_not_load_the_rule_packs():
    import subprocess
    import sys

    code = ("import sys, purser.config; "
            "print(any(m.startswith('purser.policy') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(("applications", "message"), [
    ("[{name: a}, {name: a}]", "a declared more than once"),
    ("[{name: a, depends_on: [b]}]", "a depends on b, which is not declared"),
    ("[{name: a, depends_on: [b]}, {name: b, depends_on: [a]}]", "goes round: a → b → a"),
    ('[{name: "a b"}]', "should match pattern"),
])
def test_applications_that_cannot_be_reconciled_are_refused(tmp_path, applications, message):
    (tmp_path / "purser.yaml").write_text(f"applications: {applications}\n")

    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


@pytest.mark.parametrize("endpoint", ["https://sqs.attacker.example", "http://127.0.0.1.nip.io",
                                      "file:///etc/passwd"])
def test_a_target_endpoint_in_the_repository_may_only_be_loopback(tmp_path, endpoint):
    (tmp_path / "purser.yaml").write_text(
        f"applications:\n  - name: a\n    target: {{endpoint: '{endpoint}'}}\n")

    with pytest.raises(ConfigError, match=r"only http\(s\)://127\.0\.0\.1, localhost or"):
        load_config(tmp_path)


def test_a_loopback_emulator_endpoint_is_accepted(tmp_path):
    (tmp_path / "purser.yaml").write_text(
        "applications:\n  - name: a\n    target: {endpoint: 'http://localhost:4566'}\n")

    assert load_config(tmp_path).application("a").target.endpoint == "http://localhost:4566"
