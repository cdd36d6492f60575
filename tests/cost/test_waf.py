import pytest

RATE_RULE = {"name": "rate", "statement": [{"rate_based_statement": [{"limit": 1000}]}]}
MANAGED = {"name": "common", "statement": [{"managed_rule_group_statement": [
    {"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS"}]}]}
GROUP = {"name": "mine", "statement": [{"rule_group_reference_statement": [
    {"arn": "${aws_wafv2_rule_group.mine.arn}"}]}]}


def test_web_acl_pays_its_month_its_rules_and_requests(resource, priced, lines):
    acl = resource("aws_wafv2_web_acl.api", "aws_wafv2_web_acl",
                   {"scope": "REGIONAL", "rule": [RATE_RULE, MANAGED, GROUP]})
    cost = priced(acl, {"rule_group_rules": 5, "managed_rule_group_rules": 10,
                        "monthly_requests": 3_000_000})
    by = lines(cost)
    assert by["Rules"].monthly_quantity == 1 + 5 + 10  # written, in my group, in AWS's group
    expected = (5.00  # the web ACL
                + 16 * 1.00  # rules
                + 1 * 1.00 + 1 * 1.00  # the rule group and the managed rule group
                + 3 * 0.60)  # 3 M requests
    assert cost.monthly_cost == pytest.approx(expected)


def test_without_usage_the_written_rules_are_still_priced(resource, priced, lines):
    acl = resource("aws_wafv2_web_acl.api", "aws_wafv2_web_acl", {"rule": [RATE_RULE, GROUP]})
    cost = priced(acl)
    assert cost.monthly_cost == pytest.approx(5.00 + 1 * 1.00 + 1 * 1.00)
    assert lines(cost)["Requests"].monthly_cost is None
    assert "Managed rule groups" not in lines(cost)


def test_rules_from_a_dynamic_block_stay_unknown(resource, estimate_of, lines):
    acl = resource("aws_wafv2_web_acl.api", "aws_wafv2_web_acl", {})
    acl = acl.model_copy(update={"unknown": ["rule"]})
    cost = estimate_of([acl]).resources[0]
    assert lines(cost)["Rules"].monthly_cost is None
    assert cost.monthly_cost == pytest.approx(5.00)


def test_cloudformation_web_acl_is_priced_through_its_kind(resource, priced, lines):
    template = resource("cfn:edge.yaml#Acl", "AWS::WAFv2::WebACL", {
        "Scope": "CLOUDFRONT",
        "Rules": [{"Name": "common", "Statement": {"ManagedRuleGroupStatement": {
            "Name": "AWSManagedRulesCommonRuleSet", "VendorName": "AWS"}}},
                  {"Name": "geo", "Statement": {"GeoMatchStatement": {"CountryCodes": ["US"]}}}]})
    cost = priced(template)
    assert lines(cost)["Managed rule groups"].monthly_quantity == 1
    assert cost.monthly_cost == pytest.approx(5.00 + 1 * 1.00 + 1 * 1.00)


def test_classic_web_acl_counts_group_rules_apart(resource, priced):
    rules = [{"type": "REGULAR"}, {"type": "RATE_BASED"}, {"type": "GROUP"}, {"type": "GROUP"}]
    acl = resource("aws_waf_web_acl.site", "aws_waf_web_acl", {"rules": rules},
                   region="us-west-1")
    cost = priced(acl, {"rule_group_rules": 5, "monthly_requests": 1_000_000})
    assert cost.monthly_cost == pytest.approx(5.00 + (2 + 5) * 1.00 + 2 * 1.00 + 1 * 0.60)


def test_regional_classic_web_acl_and_its_cloudformation_twin(resource, priced):
    acl = resource("aws_wafregional_web_acl.api", "aws_wafregional_web_acl",
                   {"rule": [{"type": "REGULAR", "rule_id": "r"}]})
    assert priced(acl).monthly_cost == pytest.approx(5.00 + 1.00)
    template = resource("cfn:api.yaml#Acl", "AWS::WAFRegional::WebACL",
                        {"Rules": [{"RuleId": "a", "Priority": 1},
                                   {"RuleId": "b", "Priority": 2}]})
    assert priced(template).monthly_cost == pytest.approx(5.00 + 2 * 1.00)


def test_rule_groups_ip_sets_and_associations_are_billed_on_the_web_acl(resource, estimate_of):
    parts = [resource("aws_wafv2_rule_group.mine", "aws_wafv2_rule_group", {"capacity": 50}),
             resource("aws_wafv2_ip_set.office", "aws_wafv2_ip_set", {}),
             resource("cfn:api.yaml#Assoc", "AWS::WAFv2::WebACLAssociation", {})]
    result = estimate_of(parts)
    assert len(result.free) == 3 and not result.unpriced and not result.resources
