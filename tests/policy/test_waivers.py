"""Waivers from purser.yaml (with expiry) and inline `purser:ignore` comments."""

from datetime import date
from pathlib import Path

from purser.config import load_config
from purser.model import Category, Finding, Resource, Severity, SourceRef
from purser.policy import waivers
from purser.sources.worktree import WorkTree

TODAY = date(2026, 3, 1)

CONFIG = """project: shop
policies:
  waivers:
    - rule: PUR-SEC-014
      resource: aws_s3_bucket.site
      reason: public website
      expires: 2027-01-31
    - rule: PUR-FIN-012
      resource: aws_s3_bucket.site
      reason: cleaned by the pipeline
      expires: 2025-01-31
    - rule: PUR-FIN-001
      resource: aws_lambda_function.fn[*]
      reason: tagged by the account
"""

MAIN_TF = """resource "aws_s3_bucket" "site" {
  bucket = "site"
}

# purser:ignore PUR-FIN-004 audit trail is kept ten years
resource "aws_cloudwatch_log_group" "audit" {
  retention_in_days = 3653
}

resource "aws_cloudwatch_log_group" "other" {
  retention_in_days = 3653 // purser:ignore PUR-FIN-004
}
"""


def resource(address: str, line: int, end_line: int) -> Resource:
    kind, name = address.split(".")[:2]
    return Resource(address=address, type=kind, provider="aws", name=name, format="terraform",
                    source=SourceRef(file="main.tf", line=line, end_line=end_line))


def finding(rule_id: str, address: str, line: int = 1) -> Finding:
    return Finding(rule_id=rule_id, severity=Severity.high, category=Category.security,
                   resource=address, message="m", source=SourceRef(file="main.tf", line=line))


def repo(tmp_path: Path) -> Path:
    (tmp_path / "purser.yaml").write_text(CONFIG)
    (tmp_path / "main.tf").write_text(MAIN_TF)
    return tmp_path


RESOURCES = [resource("aws_s3_bucket.site", 1, 3),
             resource("aws_cloudwatch_log_group.audit", 6, 8),
             resource("aws_cloudwatch_log_group.other", 10, 12)]


def apply(root: Path, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    return waivers.apply(findings, RESOURCES, load_config(root), WorkTree(root), today=TODAY)


def checked(kept: list[Finding]) -> list[Finding]:
    """The kept findings of the checks, without those about the waivers themselves."""
    return [f for f in kept if f.origin != "waivers"]


def test_config_waiver_moves_the_finding_to_waived_with_its_reason(tmp_path):
    root = repo(tmp_path)
    kept, waived = apply(root, [finding("PUR-SEC-014", "aws_s3_bucket.site")])
    assert [f.key for f in waived] == [("PUR-SEC-014", "aws_s3_bucket.site")]
    assert waived[0].evidence["waiver_reason"] == "public website"
    assert waived[0].evidence["waiver_source"] == "purser.yaml:4"
    assert checked(kept) == []


def test_waiver_for_another_resource_does_not_apply(tmp_path):
    kept, waived = apply(repo(tmp_path), [finding("PUR-SEC-014", "aws_s3_bucket.logs")])
    assert [f.key for f in checked(kept)] == [("PUR-SEC-014", "aws_s3_bucket.logs")]
    assert waived == []


def test_star_matches_instance_keys_and_brackets_stay_literal(tmp_path):
    kept, waived = apply(repo(tmp_path), [
        finding("PUR-FIN-001", 'aws_lambda_function.fn["a"]'),
        finding("PUR-FIN-001", "aws_lambda_function.other")])
    assert [f.resource for f in waived] == ['aws_lambda_function.fn["a"]']
    assert [f.resource for f in checked(kept)] == ["aws_lambda_function.other"]


def test_expired_waiver_waives_nothing_and_is_reported_at_its_line(tmp_path):
    kept, waived = apply(repo(tmp_path), [finding("PUR-FIN-012", "aws_s3_bucket.site")])
    assert waived == []
    rules = {f.rule_id: f for f in kept}
    assert "PUR-FIN-012" in rules
    expired = rules["PUR-WVR-001"]
    assert expired.message == (
        "waiver for PUR-FIN-012 on aws_s3_bucket.site expired on 2025-01-31")
    assert (expired.severity, expired.category) == (Severity.medium, Category.compliance)
    assert expired.source == SourceRef(file="purser.yaml", line=8)


def test_expired_waiver_is_reported_even_without_a_matching_finding(tmp_path):
    kept, _ = apply(repo(tmp_path), [])
    assert [f.rule_id for f in kept if f.rule_id == "PUR-WVR-001"] == ["PUR-WVR-001"]


def test_a_waiver_whose_resource_is_here_but_whose_finding_is_gone_is_reported(tmp_path):
    # The shop's PUR-SEC-017 waiver outlived the false alarm it was written for.
    kept, _ = apply(repo(tmp_path), [finding("PUR-FIN-001", 'aws_lambda_function.fn["a"]')])
    [unused] = [f for f in kept if f.rule_id == "PUR-WVR-003"]
    assert unused.message.startswith("waiver for PUR-SEC-014 on aws_s3_bucket.site matches "
                                     "no finding")
    assert (unused.resource, unused.source) == ("aws_s3_bucket.site",
                                                SourceRef(file="purser.yaml", line=4))
    assert unused.severity is Severity.low
    # The function waiver names no resource of this check (a scoped one, say): not judged.
    kept, _ = apply(repo(tmp_path), [finding("PUR-SEC-014", "aws_s3_bucket.site")])
    assert [f for f in kept if f.rule_id == "PUR-WVR-003"] == []


def test_inline_ignore_above_the_block_waives_that_rule_for_that_resource(tmp_path):
    root = repo(tmp_path)
    kept, waived = apply(root, [finding("PUR-FIN-004", "aws_cloudwatch_log_group.audit", 6),
                                finding("PUR-SEC-024", "aws_cloudwatch_log_group.audit", 6)])
    assert [f.key for f in waived] == [("PUR-FIN-004", "aws_cloudwatch_log_group.audit")]
    assert waived[0].evidence["waiver_reason"] == "audit trail is kept ten years"
    assert waived[0].evidence["waiver_source"] == "main.tf:5"
    assert ("PUR-SEC-024", "aws_cloudwatch_log_group.audit") in {f.key for f in kept}


def test_inline_ignore_does_not_reach_a_neighbouring_resource(tmp_path):
    _, waived = apply(repo(tmp_path), [finding("PUR-FIN-004", "aws_s3_bucket.site", 1)])
    assert waived == []


def test_inline_ignore_without_reason_waives_nothing_and_is_reported(tmp_path):
    kept, waived = apply(repo(tmp_path), [
        finding("PUR-FIN-004", "aws_cloudwatch_log_group.other", 10)])
    assert waived == []
    reasonless = [f for f in kept if f.rule_id == "PUR-WVR-002"]
    assert len(reasonless) == 1
    assert reasonless[0].severity is Severity.low
    assert reasonless[0].resource == "aws_cloudwatch_log_group.other"
    assert reasonless[0].source == SourceRef(file="main.tf", line=11)
    assert ("PUR-FIN-004", "aws_cloudwatch_log_group.other") in {f.key for f in kept}


def test_repository_without_config_or_comments_keeps_everything(tmp_path):
    from purser.config import Config

    findings = [finding("PUR-SEC-001", "aws_iam_policy.p")]
    kept, waived = waivers.apply(findings, [], Config(), WorkTree(tmp_path), today=TODAY)
    assert (kept, waived) == (findings, [])


def test_glob_matching_is_whole_string():
    assert waivers.matches("aws_s3_bucket.*", "aws_s3_bucket.a")
    assert not waivers.matches("aws_s3_bucket.a", "aws_s3_bucket.ab")
    assert waivers.matches("*", 'module.x.aws_y.z["k"]')
    assert not waivers.matches("aws_y.z[0]", "aws_y.z0")


def test_many_stars_against_a_long_value_answer_at_once():
    value = "a" * 200_000
    assert not waivers.matches("*a" * 64 + "*b", value)
    assert waivers.matches("*a" * 64 + "*", value)
    assert not waivers.matches("a*a", "a")


def test_glob_parts_are_found_in_order():
    assert waivers.matches("aws_*.fn[*]", 'aws_lambda_function.fn["x"]')
    assert waivers.matches("*.b*.b", "a.b.c.b")
    assert not waivers.matches("*c*b*a", "abc")


def test_inline_reason_drops_a_closing_comment_mark(tmp_path):
    root = repo(tmp_path)
    (root / "main.tf").write_text(MAIN_TF.replace(
        "# purser:ignore PUR-FIN-004 audit trail is kept ten years",
        "# purser:ignore PUR-FIN-004 audit trail   -->"))
    _, waived = apply(root, [finding("PUR-FIN-004", "aws_cloudwatch_log_group.audit", 6)])
    assert waived[0].evidence["waiver_reason"] == "audit trail"


def test_inline_directives_are_not_read_through_a_link_out_of_the_repository(tmp_path):
    outside = tmp_path / "outside.tf"
    outside.write_text(MAIN_TF)
    root = tmp_path / "repo"
    root.mkdir()
    (root / "purser.yaml").write_text(CONFIG)
    (root / "main.tf").symlink_to(outside)
    _, waived = apply(root, [finding("PUR-FIN-004", "aws_cloudwatch_log_group.audit", 6)])
    assert waived == []


def test_a_directive_written_or_removed_between_checks_in_one_process_is_seen(tmp_path):
    root = repo(tmp_path)
    audit = [finding("PUR-FIN-004", "aws_cloudwatch_log_group.audit", 6)]
    assert [f.key for f in apply(root, audit)[1]] == [
        ("PUR-FIN-004", "aws_cloudwatch_log_group.audit")]
    without = MAIN_TF.replace("# purser:ignore PUR-FIN-004 audit trail is kept ten years", "#")
    (root / "main.tf").write_text(without)
    assert apply(root, audit)[1] == []
    (root / "main.tf").write_text(MAIN_TF)
    assert len(apply(root, audit)[1]) == 1


def test_a_file_without_directives_waives_nothing_and_reports_nothing(tmp_path):
    root = repo(tmp_path)
    (root / "main.tf").write_text(MAIN_TF.replace("purser:ignore", "purser-ignore"))
    findings = [finding("PUR-FIN-004", "aws_cloudwatch_log_group.audit", 6)]
    kept, waived = apply(root, findings)
    assert waived == [] and checked(kept) == findings
    assert "PUR-WVR-002" not in {f.rule_id for f in kept}
