"""Services and products an intent may name that no blueprint builds. They are read first
and refused by name, so that no other reader (a purpose, a name) swallows a noun that would
change what is built: "an API backed by Postgres" is refused, never an API without it."""

from __future__ import annotations

from purser.generate.reading import Reading

UNSUPPORTED = (
    r"rds|aurora|postgres(?:ql)?|mysql|mariadb|sql server|oracle|redshift|"
    r"kinesis(?: streams?| firehose)?|firehose|kafka|msk|rabbitmq|amazon mq|activemq|nats|"
    r"sns|ses|step functions?|state machines?|glue|athena|emr|spark|airflow|mwaa|"
    r"elasticache|redis|valkey|memcached|opensearch|elasticsearch|mongo(?:db)?|documentdb|"
    r"cassandra|keyspaces|neptune|timestream|snowflake|bigquery|"
    r"ec2|virtual machines?|vms?|ecs|fargate|app runner|elastic beanstalk|beanstalk|lightsail|"
    r"batch compute|aws batch|sagemaker|bedrock|efs|fsx|ebs volumes?|"
    r"vpn|direct connect|transit gateway|route ?53|dns|waf|shield|load balancers?|alb|nlb|elb|"
    r"gcp|google cloud|gcs|azure|cloud run|cloud functions"
)


def read_unsupported(r: Reading) -> None:
    for match in r.find(rf"(?<![\w-])(?:{UNSUPPORTED})(?![\w-])"):
        words = r.take(match)
        r.problems.append(f'"{words}" is not something purser\'s blueprints build: generate '
                          "without it, or write that part by hand")
