"""Amazon OpenSearch Service. Unit prices are opensearch.yaml's (us-east-1): c4.2xlarge.search
$0.587/h, c4.8xlarge.search $2.347/h, ultrawarm1.medium.search $0.238/h; storage gp2 $0.135,
gp3 $0.122, io1 $0.169, magnetic $0.067 per GB; io1 $0.088 per IOPS, gp3 $0.064 per MiB/s;
Serverless $0.24 per OCU-hour and $0.024 per GB."""

import pytest


def domain(resource, cluster, ebs=None, type_="aws_opensearch_domain"):
    attrs = {"domain_name": "logs", "cluster_config": [cluster]}
    if ebs is not None:
        attrs["ebs_options"] = [{"ebs_enabled": True, **ebs}]
    return resource(f"{type_}.logs", type_, attrs)


def test_data_master_and_warm_nodes_and_a_volume_per_data_node(resource, priced):
    cost = priced(domain(resource, {
        "instance_type": "c4.2xlarge.search", "instance_count": 3,
        "dedicated_master_enabled": True, "dedicated_master_type": "c4.8xlarge.search",
        "dedicated_master_count": 1, "warm_enabled": True, "warm_count": 2,
        "warm_type": "ultrawarm1.medium.search"}, {"volume_size": 400, "volume_type": "gp2"}))
    assert cost.monthly_cost == pytest.approx(
        3 * 730 * 0.587 + 1 * 730 * 2.347 + 2 * 730 * 0.238 + 3 * 400 * 0.135)


def test_io1_volumes_pay_their_iops_on_every_data_node(resource, priced):
    cost = priced(domain(resource, {"instance_type": "c4.2xlarge.search", "instance_count": 3},
                         {"volume_size": 1000, "volume_type": "io1", "iops": 10}))
    assert cost.monthly_cost == pytest.approx(3 * 730 * 0.587 + 3 * 1000 * 0.169 + 3 * 10 * 0.088)


@pytest.mark.parametrize(("size", "throughput", "billed"), [
    (150, 125, 0),  # up to 170 GB, 125 MiB/s are included
    (150, 200, 75),
    (3500, 250, 0),  # 250 MiB/s per started 3,000 GB: 2 × 250 = 500 included
    (4000, 700, 200),
])
def test_gp3_throughput_above_the_included_is_billed(resource, priced, lines, size, throughput,
                                                     billed):
    cost = priced(domain(resource, {"instance_type": "c4.2xlarge.elasticsearch"},
                         {"volume_size": size, "volume_type": "gp3", "throughput": throughput},
                         type_="aws_elasticsearch_domain"))
    assert cost.monthly_cost == pytest.approx(730 * 0.587 + size * 0.122 + billed * 0.064)


def test_masters_default_to_three_and_storage_to_gp2(resource, priced):
    cost = priced(domain(resource, {"instance_type": "c4.2xlarge.search",
                                    "dedicated_master_enabled": True,
                                    "dedicated_master_type": "c4.2xlarge.search"},
                         {"volume_size": 10}))
    assert cost.monthly_cost == pytest.approx(730 * 0.587 + 3 * 730 * 0.587 + 10 * 0.135)


def test_unknown_volume_size_stays_unknown(resource, estimate_of):
    unknown = domain(resource, {"instance_type": "c4.2xlarge.search"}, {"volume_type": "gp2"})
    unknown.unknown = ["ebs_options.volume_size"]
    cost = estimate_of([unknown]).resources[0]
    storage = next(line for line in cost.components if line.component.startswith("Storage"))
    assert storage.monthly_cost is None and storage.unit_price == 0.135


def test_domain_without_an_instance_type_is_unpriced(resource, estimate_of):
    result = estimate_of([domain(resource, {"instance_count": 2})])
    assert [u.reason for u in result.unpriced] == [
        "cluster_config.instance_type not known statically"]


def test_cloudformation_domains_of_both_names(resource, priced):
    opensearch = resource("cfn:s.yaml#Search", "AWS::OpenSearchService::Domain",
                          {"ClusterConfig": {"InstanceType": "c4.2xlarge.search",
                                             "InstanceCount": "2"},
                           "EBSOptions": {"EBSEnabled": "true", "VolumeSize": "100",
                                          "VolumeType": "gp3"}})
    assert priced(opensearch).monthly_cost == pytest.approx(2 * 730 * 0.587 + 2 * 100 * 0.122)
    legacy = resource("cfn:s.yaml#Legacy", "AWS::Elasticsearch::Domain",
                      {"ElasticsearchClusterConfig": {"InstanceType": "c4.2xlarge.elasticsearch"}})
    assert priced(legacy).monthly_cost == pytest.approx(730 * 0.587)


def test_serverless_collection_pays_ocu_hours_and_storage_from_usage(resource, priced):
    collection = resource("aws_opensearchserverless_collection.c",
                          "aws_opensearchserverless_collection", {"name": "c"})
    cost = priced(collection, {"indexing_ocus": 2, "search_ocus": 1, "storage_gb": 100})
    assert cost.monthly_cost == pytest.approx((2 + 1) * 730 * 0.24 + 100 * 0.024)
