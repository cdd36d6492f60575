"""Amazon MSK. Unit prices are msk.yaml's (us-east-1): kafka.t3.small $0.0456/h,
kafka.m5.24xlarge $10.08/h, broker storage $0.10/GB; Serverless $0.75 per cluster-hour,
$0.0015 per partition-hour, $0.10/GB stored, $0.10/GB in, $0.05/GB out."""

import pytest

from purser.model import Ref


def cluster(resource, name="events", brokers=2, instance_type="kafka.t3.small", size=500):
    return resource(f"aws_msk_cluster.{name}", "aws_msk_cluster",
                    {"cluster_name": name, "number_of_broker_nodes": brokers,
                     "broker_node_group_info": [{
                         "instance_type": instance_type,
                         "storage_info": [{"ebs_storage_info": [{"volume_size": size}]}]}]})


def test_brokers_and_each_brokers_storage(resource, priced):
    cost = priced(cluster(resource, brokers=4, instance_type="kafka.m5.24xlarge", size=1000))
    assert cost.monthly_cost == pytest.approx(4 * 730 * 10.08 + 4 * 1000 * 0.10)


def test_storage_auto_scaling_minimum_raises_but_never_shrinks_storage(resource, priced):
    def target(name, minimum):
        return resource(f"aws_appautoscaling_target.{name}", "aws_appautoscaling_target",
                        {"resource_id": Ref(address=f"aws_msk_cluster.{name}", attribute="arn"),
                         "scalable_dimension": "kafka:broker-storage:VolumeSize",
                         "min_capacity": minimum})
    grows = priced(cluster(resource, "grows", size=1000), others=[target("grows", 1500)])
    assert grows.monthly_cost == pytest.approx(2 * 730 * 0.0456 + 2 * 1500 * 0.10)
    # Storage only grows: a minimum below the written size changes nothing.
    kept = priced(cluster(resource, "kept", size=1000), others=[target("kept", 123)])
    assert kept.monthly_cost == pytest.approx(2 * 730 * 0.0456 + 2 * 1000 * 0.10)


def test_unknown_broker_count_is_unpriced(resource, estimate_of):
    unknown = cluster(resource)
    unknown.attrs.pop("number_of_broker_nodes")
    unknown.unknown = ["number_of_broker_nodes"]
    assert [u.reason for u in estimate_of([unknown]).unpriced] == [
        "number_of_broker_nodes not known statically"]


def test_serverless_cluster_pays_its_hours_and_usage(resource, priced):
    serverless = resource("aws_msk_serverless_cluster.s", "aws_msk_serverless_cluster",
                          {"cluster_name": "s"})
    cost = priced(serverless, {"partitions": 100, "storage_gb": 50, "monthly_data_in_gb": 200,
                               "monthly_data_out_gb": 400})
    assert cost.monthly_cost == pytest.approx(
        730 * 0.75 + 100 * 730 * 0.0015 + 50 * 0.10 + 200 * 0.10 + 400 * 0.05)


def test_cloudformation_cluster_is_priced_through_its_kind(resource, priced):
    msk = resource("cfn:k.yaml#Kafka", "AWS::MSK::Cluster",
                   {"ClusterName": "k", "NumberOfBrokerNodes": 3,
                    "BrokerNodeGroupInfo": {
                        "InstanceType": "kafka.t3.small",
                        "StorageInfo": {"EBSStorageInfo": {"VolumeSize": 100}}}})
    assert priced(msk).monthly_cost == pytest.approx(3 * 730 * 0.0456 + 3 * 100 * 0.10)
