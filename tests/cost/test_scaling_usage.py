"""An Application Auto Scaling target's `capacity` usage (Infracost's key) prices the resource
it scales, the line saying it came from the target. Unit prices (us-east-1): DynamoDB
$0.00065 per WCU-hour and $0.00013 per RCU-hour (dynamodb.yaml), ElastiCache cache.m4.large
$0.156/h (elasticache.yaml), MSK kafka.t3.small $0.0456/h and broker storage $0.10/GB
(msk.yaml)."""

import pytest

from purser.config import Config
from purser.cost import estimate
from purser.model import Ref

from .conftest import TextUsage, by_name

TARGET = "aws_appautoscaling_target"


def target(resource, name, resource_id, dimension, minimum):
    return resource(f"{TARGET}.{name}", TARGET,
                    {"resource_id": resource_id, "scalable_dimension": dimension,
                     "min_capacity": minimum})


def table(resource):
    return resource("aws_dynamodb_table.t", "aws_dynamodb_table",
                    {"name": "Scores", "read_capacity": 30, "write_capacity": 20})


def cost_of(estimate_of, address, resources, usage):
    return next(r for r in estimate_of(resources, usage).resources if r.address == address)


def test_dynamodb_capacity_on_the_target_replaces_its_minimum(resource, estimate_of):
    writes = target(resource, "w", "table/Scores", "dynamodb:table:WriteCapacityUnits", 7)
    reads = target(resource, "r", "table/Scores", "dynamodb:table:ReadCapacityUnits", 8)
    cost = cost_of(estimate_of, "aws_dynamodb_table.t", [table(resource), writes, reads],
                   {f"{TARGET}.w": {"capacity": 77}, f"{TARGET}.r": {"capacity": 76}})
    lines = by_name(cost)
    written = lines["Write capacity (77 WCU, Auto Scaling)"]
    assert written.monthly_cost == pytest.approx(77 * 730 * 0.00065)  # $36.54
    assert written.usage_origin == f"usage file, on its scaling target {TARGET}.w"
    read = lines["Read capacity (76 RCU, Auto Scaling)"]
    assert read.monthly_cost == pytest.approx(76 * 730 * 0.00013)  # $7.21
    assert cost.monthly_cost == pytest.approx(36.5365 + 7.2124)  # $43.75, Infracost's


def test_dynamodb_target_without_capacity_usage_keeps_its_minimum(resource, estimate_of):
    writes = target(resource, "w", "table/Scores", "dynamodb:table:WriteCapacityUnits", 7)
    cost = cost_of(estimate_of, "aws_dynamodb_table.t", [table(resource), writes],
                   {f"{TARGET}.w": {"other_key": 1}})
    line = by_name(cost)["Write capacity (7 WCU, Auto Scaling minimum, a lower bound)"]
    assert line.monthly_cost == pytest.approx(7 * 730 * 0.00065)  # $3.32
    assert line.usage_origin == "default"


def test_elasticache_shard_capacity_on_the_target_is_the_shard_count(resource, estimate_of):
    group = resource("aws_elasticache_replication_group.g", "aws_elasticache_replication_group",
                     {"replication_group_id": "rg-7", "node_type": "cache.m4.large",
                      "engine": "redis", "num_node_groups": 4, "replicas_per_node_group": 3})
    shards = target(resource, "shards", "replication-group/rg-7",
                    "elasticache:replication-group:NodeGroups", 1)
    cost = cost_of(estimate_of, group.address, [group, shards],
                   {f"{TARGET}.shards": {"capacity": 10}})
    # 10 shards × (3 replicas + 1 primary) = 40 nodes × 730 h × $0.156 = $4,555.20
    assert cost.monthly_cost == pytest.approx(10 * (3 + 1) * 730 * 0.156)
    [line] = cost.components
    assert line.component == "Nodes (on-demand, 40 × cache.m4.large, Redis OSS, Auto Scaling)"
    assert line.usage_origin == f"usage file, on its scaling target {TARGET}.shards"


def msk(resource, size):
    return resource("aws_msk_cluster.c", "aws_msk_cluster",
                    {"cluster_name": "c", "number_of_broker_nodes": 2,
                     "broker_node_group_info": [{
                         "instance_type": "kafka.t3.small",
                         "storage_info": [{"ebs_storage_info": [{"volume_size": size}]}]}]})


def msk_storage(resource, estimate_of, size, capacity):
    storage = target(resource, "s", Ref(address="aws_msk_cluster.c", attribute="arn"),
                     "kafka:broker-storage:VolumeSize", 1000)
    cost = cost_of(estimate_of, "aws_msk_cluster.c", [msk(resource, size), storage],
                   {f"{TARGET}.s": {"capacity": capacity}})
    return next(line for line in cost.components if line.component.startswith("Storage"))


def test_msk_storage_capacity_on_the_target_is_each_brokers_size(resource, estimate_of):
    line = msk_storage(resource, estimate_of, 1000, 1234)
    assert line.component == "Storage (2 × 1234 GB, Auto Scaling)"
    assert line.monthly_cost == pytest.approx(2 * 1234 * 0.10)  # $246.80; with brokers $313.38
    assert line.usage_origin == f"usage file, on its scaling target {TARGET}.s"


def test_msk_storage_capacity_below_the_written_size_keeps_it(resource, estimate_of):
    line = msk_storage(resource, estimate_of, 1000, 500)  # storage only grows
    assert line.monthly_cost == pytest.approx(2 * 1000 * 0.10)  # $200


def test_msk_storage_capacity_prices_an_unknown_written_size(resource, estimate_of):
    line = msk_storage(resource, estimate_of, None, 1234)
    assert line.monthly_cost == pytest.approx(2 * 1234 * 0.10)


def test_a_word_for_the_targets_capacity_is_reported_and_never_read(resource):
    writes = target(resource, "w", "table/Scores", "dynamodb:table:WriteCapacityUnits", 7)
    result = estimate([table(resource), writes], Config(),
                      usage=TextUsage(writes.address, {"capacity": "lots"}))
    cost = next(r for r in result.resources if r.address == "aws_dynamodb_table.t")
    assert cost.monthly_cost == pytest.approx(7 * 730 * 0.00065 + 30 * 730 * 0.00013)
    assert [e.message for e in result.errors] == [
        f"capacity of {TARGET}.w: expected a number, got 'lots'; aws_dynamodb_table.t is "
        "priced without it"]
