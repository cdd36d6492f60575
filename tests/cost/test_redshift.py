import pytest

CLUSTER = "aws_redshift_cluster"


def test_multi_node_cluster_pays_every_node_hour(resource, priced, lines):
    cluster = resource("aws_redshift_cluster.dw", CLUSTER,
                       {"node_type": "dc2.large", "cluster_type": "multi-node",
                        "number_of_nodes": 4})
    cost = priced(cluster)
    assert cost.monthly_cost == pytest.approx(4 * 730 * 0.25)  # dc2.large $0.25 per node-hour
    assert "Managed storage" not in lines(cost)  # dc2 nodes keep their data locally


def test_usage_prices_scaling_spectrum_and_tiered_backups(resource, priced, lines):
    cluster = resource("aws_redshift_cluster.dw", CLUSTER,
                       {"node_type": "ds2.8xlarge", "cluster_type": "single-node"})
    cost = priced(cluster, {"excess_concurrency_scaling_secs": 4321,
                            "spectrum_data_scanned_tb": 0.5, "backup_storage_gb": 612_000})
    # node $6.80/h; scaling $0.00189 per node-second; Spectrum $5 per TB; backups
    # $0.023 for the first 51,200 GB, $0.022 up to 512,000 GB, $0.021 beyond
    backups = 51_200 * 0.023 + (512_000 - 51_200) * 0.022 + (612_000 - 512_000) * 0.021
    assert cost.monthly_cost == pytest.approx(730 * 6.80 + 4321 * 0.00189 + 0.5 * 5.00
                                              + backups)
    assert len([n for n in lines(cost) if n.startswith("Backup storage")]) == 3


def test_ra3_cluster_adds_managed_storage(resource, priced, lines):
    cluster = resource("aws_redshift_cluster.dw", CLUSTER,
                       {"node_type": "ra3.16xlarge", "cluster_type": "single-node"})
    cost = priced(cluster, {"managed_storage_gb": 321})
    assert cost.monthly_cost == pytest.approx(730 * 13.04 + 321 * 0.024)
    assert lines(cost)["Spectrum"].monthly_cost is None  # no usage: unit price only


def test_unknown_node_count_leaves_the_node_hours_unknown(resource, priced, lines):
    cluster = resource("aws_redshift_cluster.dw", CLUSTER,
                       {"node_type": "ra3.4xlarge", "cluster_type": "multi-node"})
    cluster.unknown = ["number_of_nodes"]
    line = next(v for k, v in lines(priced(cluster)).items() if k.startswith("Cluster usage"))
    assert line.monthly_cost is None and line.unit_price == 3.26


def test_unknown_node_type_is_unpriced(resource, estimate_of):
    cluster = resource("aws_redshift_cluster.dw", CLUSTER, {})
    cluster.unknown = ["node_type"]
    assert estimate_of([cluster]).unpriced


def test_cloudformation_cluster_is_priced_through_its_kind(resource, priced):
    cluster = resource("cfn:dw.yaml#Cluster", "AWS::Redshift::Cluster",
                       {"NodeType": "ra3.4xlarge", "ClusterType": "multi-node",
                        "NumberOfNodes": 6, "DBName": "dw", "MasterUsername": "admin"})
    assert priced(cluster).monthly_cost == pytest.approx(6 * 730 * 3.26)
