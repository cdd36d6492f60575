import pytest

ENVIRONMENT = "aws_elastic_beanstalk_environment"


def settings(**by_name):
    namespaces = {"InstanceTypes": "aws:ec2:instances", "MinSize": "aws:autoscaling:asg",
                  "LoadBalancerType": "aws:elasticbeanstalk:environment",
                  "EnvironmentType": "aws:elasticbeanstalk:environment",
                  "StreamLogs": "aws:elasticbeanstalk:cloudwatch:logs",
                  "RootVolumeType": "aws:autoscaling:launchconfiguration",
                  "RootVolumeIOPS": "aws:autoscaling:launchconfiguration",
                  "DBInstanceClass": "aws:rds:dbinstance", "DBEngine": "aws:rds:dbinstance",
                  "DBAllocatedStorage": "aws:rds:dbinstance"}
    return [{"namespace": namespaces[name], "name": name, "value": value}
            for name, value in by_name.items()]


def test_environment_pays_min_size_instances_and_its_load_balancer(resource, priced, lines):
    env = resource("aws_elastic_beanstalk_environment.web", ENVIRONMENT, {"setting": settings(
        InstanceTypes="t3.small", MinSize=2, LoadBalancerType="network")})
    cost = priced(env)
    # t3.small $0.0208/h x 2 x 730 h; root volumes 2 x 8 GB gp2 at $0.10; NLB $0.0225/h
    assert cost.monthly_cost == pytest.approx(2 * 730 * 0.0208 + 2 * 8 * 0.10 + 730 * 0.0225)
    assert lines(cost)["Load balancer: Load balancer capacity units"].monthly_cost is None


def test_classic_is_the_default_load_balancer_and_usage_is_read_by_part(resource, priced):
    env = resource("aws_elastic_beanstalk_environment.web", ENVIRONMENT, {"setting": settings(
        InstanceTypes="c4.large", MinSize=4, RootVolumeType="io1", RootVolumeIOPS=300)})
    cost = priced(env, {"elb.monthly_data_processed_gb": 10_000})
    # c4.large $0.10/h x 4; io1 4 x 8 GB at $0.125 and 4 x 300 IOPS at $0.065;
    # classic LB $0.025/h and $0.008 per GB
    assert cost.monthly_cost == pytest.approx(4 * 730 * 0.10 + 4 * 8 * 0.125 + 4 * 300 * 0.065
                                              + 730 * 0.025 + 10_000 * 0.008)


def test_single_instance_environment_has_no_load_balancer(resource, priced, lines):
    env = resource("aws_elastic_beanstalk_environment.one", ENVIRONMENT, {"setting": settings(
        InstanceTypes="t3.small", EnvironmentType="SingleInstance")})
    assert not [n for n in lines(priced(env)) if n.startswith("Load balancer")]


def test_database_and_streamed_logs_are_priced_as_their_resources(resource, priced, lines):
    env = resource("aws_elastic_beanstalk_environment.app", ENVIRONMENT, {"setting": settings(
        InstanceTypes="t3.small", EnvironmentType="SingleInstance", StreamLogs="true",
        DBInstanceClass="db.t3.micro", DBEngine="mysql", DBAllocatedStorage=20)})
    cost = priced(env, {"cloudwatch.monthly_data_ingested_gb": 10})
    by = lines(cost)
    assert by["Logs: Data ingested"].monthly_cost == pytest.approx(10 * 0.50)  # $0.50 per GB
    assert [n for n in by if n.startswith("Database: ")]


def test_without_an_instance_type_or_with_unknown_settings_it_is_unpriced(resource,
                                                                        estimate_of):
    no_type = resource("aws_elastic_beanstalk_environment.a", ENVIRONMENT,
                       {"setting": settings(MinSize=1)})
    unknown = resource("aws_elastic_beanstalk_environment.b", ENVIRONMENT, {})
    unknown.unknown = ["setting"]
    assert len(estimate_of([no_type, unknown]).unpriced) == 2


def test_cloudformation_environment_is_priced_through_its_kind(resource, priced):
    env = resource("cfn:eb.yaml#Env", "AWS::ElasticBeanstalk::Environment", {
        "ApplicationName": "app", "OptionSettings": [
            {"Namespace": "aws:ec2:instances", "OptionName": "InstanceTypes",
             "Value": "t3.small"},
            {"Namespace": "aws:elasticbeanstalk:environment", "OptionName": "EnvironmentType",
             "Value": "SingleInstance"}]})
    assert priced(env).monthly_cost == pytest.approx(730 * 0.0208 + 8 * 0.10)
