"""A team's one-attribute rules written in YAML beside its Rego policies (issue 15)."""

from pathlib import Path

from purser.config import Config
from purser.gate import run_check
from purser.model import Severity
from purser.policy import userrules

MAIN_TF = """
resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t4g.micro"
  backup_retention_period = 3
  storage_encrypted       = true
}
resource "aws_db_instance" "reports" {
  identifier              = "reports"
  engine                  = "mysql"
  instance_class          = "db.t4g.micro"
  storage_encrypted       = true
}
variable "days" {}
resource "aws_db_instance" "ledger" {
  identifier              = "ledger"
  engine                  = "postgres"
  instance_class          = "db.t4g.micro"
  backup_retention_period = var.days
  storage_encrypted       = true
}
"""

RULES = """
rules:
  - id: ACME-DB-001
    title: Postgres databases keep two weeks of backups
    severity: high
    category: security
    kinds: [aws.rds.instance]
    path: backup_retention_period
    expect: {at_least: 14}
    default: 1
    when: {engine: {matches: "^postgres"}}
    message: "backups are kept {value} days, {path} must be 14 or more"
    remediation: Set backup_retention_period = 14.
    frameworks: [SOC 2 A1.2]
    equivalents: {checkov: [CKV_AWS_133]}
"""


def repository(tmp_path: Path, rules: str) -> Path:
    (tmp_path / "main.tf").write_text(MAIN_TF)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "acme.yaml").write_text(rules)
    return tmp_path


def test_a_yaml_rule_judges_like_a_built_in_one_through_the_gate(tmp_path: Path):
    report = run_check(repository(tmp_path, RULES), Config())
    found = [f for f in report.findings if f.rule_id == "ACME-DB-001"]
    by_resource = {f.resource.rsplit(".", 1)[-1]: f for f in found}
    assert set(by_resource) == {"orders", "ledger"}  # reports runs mysql: the rule skips it
    orders = by_resource["orders"]
    assert orders.severity is Severity.high and orders.frameworks == ["SOC 2 A1.2"]
    assert orders.message == ("backups are kept 3 days, backup_retention_period must be "
                              "14 or more")
    ledger = by_resource["ledger"]  # a variable without a default: unknown, said so
    assert ledger.severity is Severity.info and "not known before deployment" in ledger.message
    assert report.failed


def test_a_waiver_in_purser_yaml_sets_a_yaml_rule_finding_aside(tmp_path: Path):
    root = repository(tmp_path, RULES)
    (root / "purser.yaml").write_text(
        "policies:\n  waivers:\n    - {rule: ACME-DB-001, resource: '*orders', "
        "reason: migrating, expires: 2099-01-01}\n")
    report = run_check(root)
    assert {f.resource.rsplit(".", 1)[-1] for f in report.findings
            if f.rule_id == "ACME-DB-001"} == {"ledger"}


def test_a_bad_rule_is_an_error_at_its_line_and_the_good_ones_still_run(tmp_path: Path):
    rules = RULES + """
  - id: ACME-DB-002
    title: two conditions
    severity: low
    kinds: [aws.rds.instance]
    path: engine
    expect: {equals: postgres, present: true}
  - id: PUR-SEC-999
    title: takes a reserved id
    severity: low
    types: [aws_db_instance]
    path: engine
    expect: {present: true}
  - id: ACME-DB-003
    title: unknown kind
    severity: low
    kinds: [aws.nothing]
    path: engine
    expect: {present: true}
  - id: ACME-DB-004
    title: a pattern RE2 refuses
    severity: low
    types: [aws_db_instance]
    path: engine
    expect: {matches: "(a"}
"""
    found, errors = userrules.read_rules(repository(tmp_path, rules) / "policies", tmp_path)
    assert [rule.id for rule in found] == ["ACME-DB-001"]
    assert [(e.file, e.line) for e in errors] == [
        ("policies/acme.yaml", 17), ("policies/acme.yaml", 23), ("policies/acme.yaml", 29),
        ("policies/acme.yaml", 35)]
    assert "exactly one" in errors[0].message and "taken" in errors[1].message
    assert "unknown kind" in errors[2].message and "invalid pattern" in errors[3].message


def test_a_message_is_substituted_never_formatted(tmp_path: Path):
    rules = RULES.replace('message: "backups are kept {value} days, {path} must be 14 or more"',
                          'message: "{value.__class__.__mro__} {0} {value}"')
    report = run_check(repository(tmp_path, rules), Config())
    [orders] = [f for f in report.findings
                if f.rule_id == "ACME-DB-001" and f.resource.endswith("orders")]
    assert orders.message == "{value.__class__.__mro__} {0} 3"


def test_broken_yaml_is_reported_and_other_files_still_load(tmp_path: Path):
    root = repository(tmp_path, RULES)
    (root / "policies" / "broken.yaml").write_text("rules: [\n")
    found, errors = userrules.read_rules(root / "policies", root)
    assert [rule.id for rule in found] == ["ACME-DB-001"]
    assert errors and errors[0].file == "policies/broken.yaml"


def test_a_yaml_rule_can_ask_a_list_to_contain_an_item(tmp_path: Path):
    (tmp_path / "main.tf").write_text('''
resource "aws_db_instance" "orders" {
  identifier                      = "orders"
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
}
resource "aws_db_instance" "reports" {
  identifier                      = "reports"
  enabled_cloudwatch_logs_exports = ["error", "audit"]
}
''')
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "acme.yaml").write_text('''
rules:
  - id: ACME-LOG-001
    title: Databases export an audit log
    severity: low
    kinds: [aws.rds.instance]
    path: enabled_cloudwatch_logs_exports
    expect: {contains: audit}
    message: "exports {value}, no audit"
''')
    report = run_check(tmp_path, Config())
    [finding] = [f for f in report.findings if f.rule_id == "ACME-LOG-001"]
    assert finding.resource.endswith("orders") and finding.message == \
        "exports postgresql, upgrade, no audit"
