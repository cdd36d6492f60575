import pytest

RECORD = "aws_route53_record"


def test_hosted_zone_costs_fifty_cents_a_month_anywhere(resource, priced, lines):
    zone = priced(resource("aws_route53_zone.main", "aws_route53_zone", {"name": "x.com"},
                           region="eu-central-1"))
    line = lines(zone)["Hosted zone"]
    assert (line.monthly_quantity, line.usage_origin, line.monthly_cost) == (1, "fixed", 0.50)
    template = resource("cfn:dns.yaml#Zone", "AWS::Route53::HostedZone", {"Name": "x.com"})
    assert priced(template).monthly_cost == pytest.approx(0.50)


def test_record_queries_past_a_billion_cost_half(resource, priced, lines):
    record = resource("aws_route53_record.www", RECORD, {"type": "A", "records": ["10.0.0.1"]})
    cost = priced(record, {"monthly_standard_queries": 1_100_000_000})
    by = lines(cost)
    assert by["Standard queries (first 1B queries)"].monthly_quantity == 1_000
    # 1,000 M queries at $0.40 per million, the next 100 M at $0.20
    assert cost.monthly_cost == pytest.approx(1_000 * 0.40 + 100 * 0.20)


def test_every_query_kind_the_usage_gives_is_priced(resource, priced):
    record = resource("aws_route53_record.www", RECORD, {"type": "A"})
    cost = priced(record, {"monthly_standard_queries": 10_000_000,
                           "monthly_latency_based_queries": 20_000_000,
                           "monthly_geo_queries": 1_500_000_000})
    expected = 10 * 0.40 + 20 * 0.60 + (1_000 * 0.70 + 500 * 0.35)
    assert cost.monthly_cost == pytest.approx(expected)


def test_without_usage_the_records_routing_policy_names_the_query_price(resource, priced,
                                                                         lines):
    latency = resource("aws_route53_record.api", RECORD,
                       {"latency_routing_policy": [{"region": "eu-west-1"}]})
    line = lines(priced(latency))["Latency-based routing queries (first 1B queries)"]
    assert (line.unit_price, line.monthly_cost) == (0.60, None)
    template = resource("cfn:dns.yaml#Api", "AWS::Route53::RecordSet",
                        {"Name": "api.x.com", "Type": "A",
                         "GeoLocation": {"CountryCode": "DE"}})
    assert "Geo DNS queries (first 1B queries)" in lines(priced(template))


def test_alias_records_answer_for_free(resource, estimate_of):
    alias = resource("aws_route53_record.cdn", RECORD,
                     {"alias": [{"name": "d1.cloudfront.net", "zone_id": "Z2FDTNDATAQYW2"}]})
    result = estimate_of([alias], {alias.address: {"monthly_standard_queries": 1e9}})
    assert result.free == [alias.address]


def test_ip_based_routing_is_unpriced_rather_than_guessed(resource, estimate_of):
    cidr = resource("aws_route53_record.r", RECORD,
                    {"cidr_routing_policy": [{"collection_id": "c", "location_name": "l"}]})
    assert "IP-based routing" in estimate_of([cidr]).unpriced[0].reason


def test_resolver_endpoint_pays_each_ip_address_by_the_hour(resource, priced):
    endpoint = resource("aws_route53_resolver_endpoint.in", "aws_route53_resolver_endpoint",
                        {"direction": "INBOUND",
                         "ip_address": [{"subnet_id": "a"}, {"subnet_id": "b"}]})
    cost = priced(endpoint, {"monthly_queries": 2_000_000_000})
    expected = 2 * 730 * 0.125 + 1_000 * 0.40 + 1_000 * 0.20
    assert cost.monthly_cost == pytest.approx(expected)


def test_cloudformation_resolver_endpoint_is_priced_through_its_kind(resource, priced, lines):
    template = resource("cfn:dns.yaml#Outbound", "AWS::Route53Resolver::ResolverEndpoint",
                        {"Direction": "OUTBOUND",
                         "IpAddresses": [{"SubnetId": "a"}, {"SubnetId": "b"},
                                         {"SubnetId": "c"}]})
    assert priced(template).monthly_cost == pytest.approx(3 * 730 * 0.125)
    unknown = resource("aws_route53_resolver_endpoint.x", "aws_route53_resolver_endpoint", {})
    line = lines(priced(unknown))["Resolver endpoint IP addresses"]
    assert (line.unit_price, line.monthly_cost) == (0.125, None)


def health_check(resource, **attrs):
    return resource("aws_route53_health_check.site", "aws_route53_health_check",
                    {"fqdn": "example.com", "port": 443, **attrs})


def test_health_check_without_an_endpoint_type_assumes_an_aws_endpoint(resource, priced,
                                                                       lines):
    cost = priced(health_check(resource, type="HTTP", request_interval="30"))
    line = lines(cost)["Health check (AWS endpoint, assumed)"]
    assert (line.monthly_cost, line.usage_origin) == (0.50, "default")
    assert len(cost.components) == 1  # plain HTTP every 30 s: no optional feature


def test_each_optional_feature_costs_a_month(resource, priced, lines):
    check = health_check(resource, type="HTTPS_STR_MATCH", search_string="ok",
                         request_interval="10", measure_latency=True)
    cost = priced(check)
    features = lines(cost)["Optional features (HTTPS, string matching, fast interval, "
                           "latency measurement)"]
    assert features.monthly_quantity == 4
    assert cost.monthly_cost == pytest.approx(0.50 + 4 * 1.00)


def test_a_non_aws_endpoint_from_the_usage_file_costs_more(tmp_path, resource):
    from purser.config import Config
    from purser.cost import estimate
    from purser.cost.usage import load_usage_file

    path = tmp_path / "usage.yml"
    path.write_text("version: 0.1\nresource_usage:\n"
                    "  aws_route53_health_check.site: {endpoint_type: Non_AWS}\n")
    check = health_check(resource, type="HTTPS", request_interval=30)
    [cost] = estimate([check], Config(), usage=load_usage_file(path)).resources
    # non-AWS endpoint: $0.75 a month and $2.00 for HTTPS
    assert cost.monthly_cost == pytest.approx(0.75 + 1 * 2.00)
    assert cost.components[0].component == "Health check (non-AWS endpoint)"


def test_cloudformation_health_check_is_priced_through_its_kind(resource, priced):
    template = resource("cfn:dns.yaml#Check", "AWS::Route53::HealthCheck", {
        "HealthCheckConfig": {"Type": "HTTPS", "FullyQualifiedDomainName": "x.com",
                              "RequestInterval": 10, "MeasureLatency": True}})
    assert priced(template).monthly_cost == pytest.approx(0.50 + 3 * 1.00)


def test_a_calculated_health_check_pays_the_basic_rate(resource, priced):
    calculated = resource("aws_route53_health_check.all", "aws_route53_health_check",
                          {"type": "CALCULATED", "child_health_threshold": 1})
    assert priced(calculated).monthly_cost == pytest.approx(0.50)
