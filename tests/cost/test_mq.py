"""Amazon MQ. Unit prices are mq.yaml's (us-east-1), per broker instance: mq.t2.micro $0.03/h,
mq.m5.large $0.288/h, mq.m5.xlarge $0.576/h; storage ActiveMQ EFS $0.30/GB, EBS $0.10/GB."""

import pytest


def broker(resource, **attrs):
    return resource("aws_mq_broker.b", "aws_mq_broker", {"broker_name": "b", **attrs})


def test_single_activemq_broker_keeps_messages_on_efs(resource, priced, lines):
    cost = priced(broker(resource, engine_type="ActiveMQ", host_instance_type="mq.t2.micro"),
                  {"storage_size_gb": 5})
    assert cost.monthly_cost == pytest.approx(730 * 0.03 + 5 * 0.30)


def test_active_standby_runs_two_instances_on_one_shared_file_system(resource, priced):
    cost = priced(broker(resource, engine_type="ActiveMQ", host_instance_type="mq.m5.large",
                         deployment_mode="ACTIVE_STANDBY_MULTI_AZ"), {"storage_size_gb": 5})
    assert cost.monthly_cost == pytest.approx(2 * 730 * 0.288 + 5 * 0.30)


def test_rabbitmq_cluster_runs_three_nodes_each_with_its_volume(resource, priced):
    cost = priced(broker(resource, engine_type="RabbitMQ", host_instance_type="mq.m5.xlarge",
                         deployment_mode="CLUSTER_MULTI_AZ"), {"storage_size_gb": 10})
    assert cost.monthly_cost == pytest.approx(3 * 730 * 0.576 + 3 * 10 * 0.10)


def test_storage_without_usage_shows_its_unit_price(resource, priced, lines):
    cost = priced(broker(resource, engine_type="ActiveMQ", host_instance_type="mq.t2.micro",
                         storage_type="ebs"))
    storage = next(line for name, line in lines(cost).items() if name.startswith("Storage"))
    assert storage.monthly_cost is None and storage.unit_price == 0.10


def test_configuration_is_free(resource, estimate_of):
    configuration = resource("aws_mq_configuration.c", "aws_mq_configuration",
                             {"engine_type": "ActiveMQ"})
    assert estimate_of([configuration]).free == ["aws_mq_configuration.c"]


def test_cloudformation_broker_is_priced_through_its_kind(resource, priced):
    mq = resource("cfn:q.yaml#Broker", "AWS::AmazonMQ::Broker",
                  {"BrokerName": "b", "EngineType": "RABBITMQ",
                   "HostInstanceType": "mq.m5.large", "DeploymentMode": "SINGLE_INSTANCE"})
    assert priced(mq).monthly_cost == pytest.approx(730 * 0.288)
