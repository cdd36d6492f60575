import pytest

DISTRIBUTION = "aws_cloudfront_distribution"


def distribution(resource, attrs=None, address="aws_cloudfront_distribution.site"):
    return resource(address, DISTRIBUTION, attrs or {})


def test_egress_from_european_edges_fills_the_tiers_in_order(resource, priced, lines):
    cost = priced(distribution(resource), {
        "monthly_data_transfer_to_internet_gb.europe": 60_000,
        "monthly_data_transfer_to_origin_gb.europe": 500,
        "monthly_http_requests.europe": 2_000_000,
        "monthly_https_requests.europe": 30_000_000})
    by = lines(cost)
    # 10,240 GB at $0.085, the next 40,960 GB at $0.08, the remaining 8,800 GB at $0.06
    assert by["Data transfer out to internet (Europe, Israel; next 100 TB)"] \
        .monthly_quantity == 8_800
    expected = (10_240 * 0.085 + 40_960 * 0.08 + 8_800 * 0.06  # to the internet
                + 500 * 0.02  # to the origin
                + 200 * 0.009  # 2 M HTTP requests: 200 × 10k at $0.009
                + 3_000 * 0.012  # 30 M HTTPS requests: 3,000 × 10k at $0.012
                + 0)  # invalidations: none known, so not counted
    assert cost.monthly_cost == pytest.approx(expected)
    assert not any("US, Mexico" in name for name in by)  # only the groups the usage names


def test_each_edge_group_has_its_own_rates(resource, priced):
    cost = priced(distribution(resource), {
        "monthly_data_transfer_to_internet_gb.india": 1_000,
        "monthly_data_transfer_to_origin_gb.south_america": 100,
        "monthly_https_requests.australia": 1_000_000})
    # India's first tier $0.109/GB; South America's origin fetches $0.125/GB;
    # Australia's HTTPS requests $0.0125 per 10k
    assert cost.monthly_cost == pytest.approx(1_000 * 0.109 + 100 * 0.125 + 100 * 0.0125)


def test_without_usage_the_us_group_shows_its_unit_prices(resource, priced, lines):
    cost = priced(distribution(resource))
    by = lines(cost)
    assert cost.monthly_cost == 0 and cost.usage_unknown
    egress = by["Data transfer out to internet (US, Mexico, Canada; first 10 TB)"]
    assert (egress.unit_price, egress.monthly_quantity, egress.monthly_cost) == (0.085, None, None)
    assert by["HTTP requests (US, Mexico, Canada)"].unit_price == 0.0075
    assert by["HTTPS requests (US, Mexico, Canada)"].unit_price == 0.01
    assert by["Data transfer out to origin (US, Mexico, Canada)"].unit_price == 0.02
    assert by["Invalidation requests (first 1k paths)"].usage_origin == "unknown"


def test_the_first_thousand_invalidation_paths_are_free(resource, priced, lines):
    cost = priced(distribution(resource), {"monthly_invalidation_requests": 1_500})
    by = lines(cost)
    assert by["Invalidation requests (first 1k paths)"].monthly_cost == 0
    assert cost.monthly_cost == pytest.approx(1_000 * 0 + 500 * 0.005)


def test_origin_shield_is_billed_at_its_own_regions_rate(resource, priced, lines):
    shielded = distribution(resource, {"origin": [
        {"origin_id": "a", "origin_shield": [{"enabled": True,
                                              "origin_shield_region": "sa-east-1"}]}]})
    cost = priced(shielded, {"monthly_shield_requests.south_america": 1_000_000,
                             "monthly_shield_requests.us": 5_000_000})
    # the South American shield reads its group's key only: 100 × 10k at $0.016
    assert lines(cost)["Origin Shield requests (sa-east-1)"].monthly_cost == \
        pytest.approx(100 * 0.016)


def test_a_disabled_origin_shield_costs_nothing(resource, priced, lines):
    off = distribution(resource, {"origin": [{"origin_shield": [
        {"enabled": False, "origin_shield_region": "sa-east-1"}]}]})
    assert not [n for n in lines(priced(off)) if n.startswith("Origin Shield")]


@pytest.mark.parametrize("region, reason", [
    ("${var.shield_region}", "not known statically"),
    ("mars-north-1", "no Origin Shield price for region 'mars-north-1'")])
def test_an_origin_shield_region_without_a_price_leaves_the_distribution_unpriced(
        resource, estimate_of, region, reason):
    shielded = distribution(resource, {"origin": [{"origin_shield": [
        {"enabled": True, "origin_shield_region": region}]}]})
    result = estimate_of([shielded])
    assert not result.resources and reason in result.unpriced[0].reason


def test_a_dedicated_ip_certificate_costs_600_a_month(resource, priced, lines):
    vip = distribution(resource, {"viewer_certificate": [{"ssl_support_method": "vip"}]})
    one = lines(priced(vip))["Dedicated IP custom SSL certificates"]
    assert (one.monthly_quantity, one.usage_origin, one.monthly_cost) == (1, "fixed", 600)
    assert priced(vip, {"custom_ssl_certificates": 3}).monthly_cost == pytest.approx(3 * 600)


def test_sni_certificates_cost_nothing(resource, priced, lines):
    sni = distribution(resource, {"viewer_certificate": [{"ssl_support_method": "sni-only"}]})
    assert "Dedicated IP custom SSL certificates" not in lines(priced(sni))


def test_field_level_encryption_and_real_time_logs_follow_the_cache_behaviors(
        resource, priced, lines):
    configured = distribution(resource, {
        "default_cache_behavior": [{"field_level_encryption_id": "fle-1"}],
        "ordered_cache_behavior": [{"path_pattern": "/api/*",
                                    "realtime_log_config_arn": "arn:aws:cloudfront::1:x"}]})
    cost = priced(configured, {"monthly_encryption_requests": 500_000,
                               "monthly_log_lines": 40_000_000})
    by = lines(cost)
    assert by["Field-level encryption requests"].monthly_cost == pytest.approx(50 * 0.02)
    assert by["Real-time log lines"].monthly_cost == pytest.approx(40 * 0.01)
    plain = lines(priced(distribution(resource)))
    assert "Field-level encryption requests" not in plain and "Real-time log lines" not in plain


def test_cloudformation_distribution_is_priced_through_its_kind(resource, priced, lines):
    template = resource("cfn:site.yaml#Cdn", "AWS::CloudFront::Distribution", {
        "DistributionConfig": {
            "Origins": [{"Id": "s3", "OriginShield": {"Enabled": True,
                                                     "OriginShieldRegion": "eu-west-1"}}],
            "DefaultCacheBehavior": {"FieldLevelEncryptionId": "fle-1"},
            "ViewerCertificate": {"SslSupportMethod": "vip"}}})
    cost = priced(template, {"monthly_data_transfer_to_internet_gb.us": 100,
                             "monthly_shield_requests.europe": 10_000,
                             "monthly_encryption_requests": 10_000})
    by = lines(cost)
    assert by["Origin Shield requests (eu-west-1)"].monthly_cost == pytest.approx(1 * 0.009)
    expected = 100 * 0.085 + 1 * 0.009 + 1 * 0.02 + 600
    assert cost.monthly_cost == pytest.approx(expected)


def test_cloudfront_prices_do_not_depend_on_the_providers_region(resource, priced):
    usage = {"monthly_data_transfer_to_internet_gb.us": 100}
    tokyo = resource("aws_cloudfront_distribution.s", DISTRIBUTION, region="ap-northeast-1")
    assert priced(tokyo, usage).monthly_cost == pytest.approx(100 * 0.085)


def test_cloudfront_function_costs_per_million_invocations(resource, priced, lines):
    function = resource("aws_cloudfront_function.rewrite", "aws_cloudfront_function",
                        {"name": "rewrite", "runtime": "cloudfront-js-2.0"})
    cost = priced(function, {"monthly_requests": 2_500_000})
    assert cost.monthly_cost == pytest.approx(2.5 * 0.10)
    template = resource("cfn:site.yaml#Rewrite", "AWS::CloudFront::Function",
                        {"Name": "rewrite", "FunctionConfig": {"Runtime": "cloudfront-js-2.0"}})
    unknown = lines(priced(template))["Invocations"]
    assert (unknown.unit_price, unknown.monthly_cost) == (0.10, None)


def test_origin_access_and_cache_policies_are_free(resource, estimate_of):
    settings = [resource("aws_cloudfront_origin_access_control.site",
                         "aws_cloudfront_origin_access_control", {"signing_behavior": "always"}),
                resource("cfn:site.yaml#Policy", "AWS::CloudFront::CachePolicy", {})]
    result = estimate_of(settings)
    assert sorted(result.free) == sorted(s.address for s in settings) and not result.unpriced


def test_every_origin_shield_region_has_its_groups_rate(resource, priced, lines):
    # N. California is an Origin Shield region too, at the US rate of $0.0075 per 10k
    shielded = distribution(resource, {"origin": [{"origin_shield": [
        {"enabled": True, "origin_shield_region": "us-west-1"}]}]})
    cost = priced(shielded, {"monthly_shield_requests.us": 2_000_000})
    assert lines(cost)["Origin Shield requests (us-west-1)"].monthly_cost == \
        pytest.approx(200 * 0.0075)
