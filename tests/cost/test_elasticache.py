"""Amazon ElastiCache. Unit prices are elasticache.yaml's (us-east-1): cache.m4.large $0.156/h,
cache.m6g.12xlarge $3.557/h, cache.r5.4xlarge $1.724/h (Redis OSS and Memcached; Valkey 20%
less), snapshots $0.085/GB; Serverless Redis OSS $0.125/GB-hour and $0.0034 per 1M ECPUs,
Valkey $0.084 and $0.0023."""

import pytest

from purser.model import Ref


def group(resource, name="g", **attrs):
    return resource(f"aws_elasticache_replication_group.{name}",
                    "aws_elasticache_replication_group",
                    {"replication_group_id": f"rg-{name}", "node_type": "cache.m4.large",
                     "engine": "redis", **attrs})


def test_memcached_cluster_pays_every_node(resource, priced):
    cluster = resource("aws_elasticache_cluster.m", "aws_elasticache_cluster",
                       {"engine": "memcached", "node_type": "cache.m4.large",
                        "num_cache_nodes": 2})
    assert priced(cluster).monthly_cost == pytest.approx(2 * 730 * 0.156)


def test_redis_snapshots_are_priced_from_usage_when_retained(resource, priced, lines):
    cluster = resource("aws_elasticache_cluster.r", "aws_elasticache_cluster",
                       {"engine": "redis", "node_type": "cache.m6g.12xlarge",
                        "snapshot_retention_limit": 2})
    cost = priced(cluster, {"snapshot_storage_size_gb": 10000})
    assert cost.monthly_cost == pytest.approx(730 * 3.557 + 10000 * 0.085)
    assert lines(priced(cluster))["Snapshot storage"].monthly_cost is None


def test_valkey_nodes_cost_a_fifth_less(resource, priced):
    cluster = resource("aws_elasticache_cluster.v", "aws_elasticache_cluster",
                       {"engine": "valkey", "node_type": "cache.r5.4xlarge"})
    assert priced(cluster).monthly_cost == pytest.approx(730 * 1.724 * 0.8, rel=1e-3)


def test_cluster_in_a_replication_group_is_billed_with_the_group(resource, estimate_of):
    member = resource("aws_elasticache_cluster.member", "aws_elasticache_cluster",
                      {"replication_group_id": Ref(address="aws_elasticache_replication_group.g",
                                                   attribute="id")})
    assert estimate_of([member]).free == ["aws_elasticache_cluster.member"]


def test_cluster_mode_group_runs_shards_times_replicas_plus_one(resource, priced):
    cost = priced(group(resource, num_node_groups=4, replicas_per_node_group=3))
    assert cost.monthly_cost == pytest.approx(4 * (3 + 1) * 730 * 0.156)


def test_non_cluster_group_runs_its_cache_clusters(resource, priced):
    cost = priced(group(resource, node_type="cache.r5.4xlarge", num_cache_clusters=3))
    assert cost.monthly_cost == pytest.approx(3 * 730 * 1.724)


def test_auto_scaling_minimums_raise_shards_and_replicas(resource, priced):
    target = "replication-group/${aws_elasticache_replication_group.g.replication_group_id}"
    shards = resource("aws_appautoscaling_target.shards", "aws_appautoscaling_target",
                      {"resource_id": target, "min_capacity": 8,
                       "scalable_dimension": "elasticache:replication-group:NodeGroups"})
    replicas = resource("aws_appautoscaling_target.replicas", "aws_appautoscaling_target",
                        {"resource_id": "replication-group/rg-g", "min_capacity": 5,
                         "scalable_dimension": "elasticache:replication-group:Replicas"})
    cost = priced(group(resource, num_node_groups=4, replicas_per_node_group=3),
                  others=[shards, replicas])
    assert cost.monthly_cost == pytest.approx(8 * (5 + 1) * 730 * 0.156)


def test_unknown_node_count_is_unpriced_never_one(resource, estimate_of):
    unknown = group(resource)
    unknown.unknown = ["num_node_groups"]
    assert [u.reason for u in estimate_of([unknown]).unpriced] == [
        "num_node_groups not known statically"]


def test_serverless_cache_bills_stored_gb_hours_and_ecpus(resource, priced):
    cache = resource("aws_elasticache_serverless_cache.s", "aws_elasticache_serverless_cache",
                     {"name": "s", "engine": "valkey"})
    cost = priced(cache, {"data_storage_gb": 5, "monthly_ecpus": 300_000_000})
    assert cost.monthly_cost == pytest.approx(5 * 730 * 0.084 + 300 * 0.0023)
    small = priced(cache, {"data_storage_gb": 0.01})  # below Valkey's 100 MB minimum
    assert small.monthly_cost == pytest.approx(0.1 * 730 * 0.084)


def test_cloudformation_replication_group_and_serverless_cache(resource, priced):
    rg = resource("cfn:c.yaml#Cache", "AWS::ElastiCache::ReplicationGroup",
                  {"CacheNodeType": "cache.m6g.12xlarge", "NumCacheClusters": "3"})
    assert priced(rg).monthly_cost == pytest.approx(3 * 730 * 3.557)
    serverless = resource("cfn:c.yaml#Serverless", "AWS::ElastiCache::ServerlessCache",
                          {"ServerlessCacheName": "s", "Engine": "redis"})
    assert priced(serverless, {"data_storage_gb": 2}).monthly_cost == pytest.approx(
        2 * 730 * 0.125)
