"""The kinds of cloud resources: one vocabulary of attributes whatever the format.

A kind (in the spirit of Cloud Custodian's `resource_type`) names the Terraform, plan and
CloudFormation/SAM types of one kind of cloud resource, its canonical attribute names with
the paths other formats spell them under, its id attribute, ARN pattern, tag attribute and
CloudFormation / Cloud Control type name. Canonical names are Terraform's snake_case (plan
JSON spells them the same way); an attribute that only CloudFormation has gets the
snake_case of its path. A `*` step in a path walks every element of a list.

Sources call `canonicalize` on every resource they load, so rules and pricers read one name
(`point_in_time_recovery.enabled`) and never a format's spelling. The original properties
stay in place beside the canonical ones. A new kind is one entry in `KINDS`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from purser.model import Resource

ALIASED_FORMAT = "cloudformation"  # Terraform and plan JSON already spell names canonically
CLOUDFORMATION_TAGS = "Tags"
EACH = "*"

Path = tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    """One kind of cloud resource. `attributes` maps a canonical name to the CloudFormation
    path (or paths, the first present wins: SAM often has its own) that holds it."""

    name: str
    terraform: tuple[str, ...] = ()
    cloudformation: tuple[str, ...] = ()
    attributes: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    id_attribute: str = "id"
    arn: str = ""  # `{partition}`, `{region}`, `{account}` and canonical attribute names
    tag_attribute: str | None = "tags"  # None: the kind takes no tags
    cloud_control: str = ""  # defaults to the first non-SAM CloudFormation type

    @property
    def plan(self) -> tuple[str, ...]:
        """Plan JSON names resources by their Terraform type."""
        return self.terraform

    @property
    def types(self) -> tuple[str, ...]:
        return self.terraform + self.cloudformation

    @property
    def cloud_control_type(self) -> str:
        native = [t for t in self.cloudformation if not t.startswith("AWS::Serverless::")]
        return self.cloud_control or (native[0] if native else "")

    def aliases(self, format_name: str) -> dict[str, tuple[str, ...]]:
        """Canonical name → the paths `format_name` spells it under (empty: same names)."""
        if format_name != ALIASED_FORMAT:
            return {}
        return {name: (paths,) if isinstance(paths, str) else paths
                for name, paths in self.attributes.items()}


# What Neptune's and DocumentDB's clusters and their instances spell alike in CloudFormation.
_DB_CLUSTER = {"cluster_identifier": "DBClusterIdentifier",
               "storage_encrypted": "StorageEncrypted",
               "deletion_protection": "DeletionProtection",
               "backup_retention_period": "BackupRetentionPeriod",
               "enabled_cloudwatch_logs_exports": "EnableCloudwatchLogsExports",
               "storage_type": "StorageType"}
_DB_CLUSTER_MEMBER = {"identifier": "DBInstanceIdentifier", "instance_class": "DBInstanceClass",
                      "cluster_identifier": "DBClusterIdentifier"}

KINDS: tuple[Kind, ...] = (
    # ------------------------------------------------------------------ Lambda
    Kind("aws.lambda.function", ("aws_lambda_function",),
         ("AWS::Lambda::Function", "AWS::Serverless::Function"),
         id_attribute="function_name",
         arn="arn:{partition}:lambda:{region}:{account}:function:{function_name}",
         attributes={
             "function_name": "FunctionName",
             "role": "Role",
             "handler": "Handler",
             "description": "Description",
             # SAM's code folder or zip; CloudFormation's `Code` (S3 or inline) has no alias.
             "filename": "CodeUri",
             "runtime": "Runtime",
             "memory_size": "MemorySize",
             "timeout": "Timeout",
             "architectures": "Architectures",
             "environment.variables": "Environment.Variables",
             "ephemeral_storage.size": "EphemeralStorage.Size",
             "tracing_config.mode": ("TracingConfig.Mode", "Tracing"),
             "dead_letter_config.target_arn": ("DeadLetterConfig.TargetArn",
                                               "DeadLetterQueue.TargetArn"),
             "reserved_concurrent_executions": "ReservedConcurrentExecutions",
             # SAM only: settings Terraform keeps in resources of their own.
             "provisioned_concurrency_config.provisioned_concurrent_executions":
                 "ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions",
             "event_invoke_config.destination_config.on_failure.destination":
                 "EventInvokeConfig.DestinationConfig.OnFailure.Destination",
             "event_invoke_config.destination_config.on_failure.type":
                 "EventInvokeConfig.DestinationConfig.OnFailure.Type",
             "function_url_config.authorization_type": "FunctionUrlConfig.AuthType",
             "kms_key_arn": "KmsKeyArn",
             # SAM only: the event sources SAM wires to the function.
             "events": "Events",
         }),
    Kind("aws.lambda.permission", ("aws_lambda_permission",), ("AWS::Lambda::Permission",),
         id_attribute="statement_id", tag_attribute=None,
         attributes={"function_name": "FunctionName", "principal": "Principal",
                     "action": "Action", "source_arn": "SourceArn",
                     "source_account": "SourceAccount", "principal_org_id": "PrincipalOrgID",
                     "event_source_token": "EventSourceToken",
                     "function_url_auth_type": "FunctionUrlAuthType"}),
    Kind("aws.lambda.event_source_mapping", ("aws_lambda_event_source_mapping",),
         ("AWS::Lambda::EventSourceMapping",), id_attribute="uuid",
         arn="arn:{partition}:lambda:{region}:{account}:event-source-mapping:{uuid}",
         attributes={
             "event_source_arn": "EventSourceArn",
             "function_name": "FunctionName",
             "batch_size": "BatchSize",
             "enabled": "Enabled",
             "starting_position": "StartingPosition",
             "maximum_batching_window_in_seconds": "MaximumBatchingWindowInSeconds",
             "maximum_retry_attempts": "MaximumRetryAttempts",
             "maximum_record_age_in_seconds": "MaximumRecordAgeInSeconds",
             "bisect_batch_on_function_error": "BisectBatchOnFunctionError",
             "parallelization_factor": "ParallelizationFactor",
             "tumbling_window_in_seconds": "TumblingWindowInSeconds",
             "function_response_types": "FunctionResponseTypes",
             "scaling_config.maximum_concurrency": "ScalingConfig.MaximumConcurrency",
             "destination_config.on_failure.destination_arn":
                 "DestinationConfig.OnFailure.Destination",
             "filter_criteria.filter.*.pattern": "FilterCriteria.Filters.*.Pattern",
         }),
    Kind("aws.lambda.url", ("aws_lambda_function_url",), ("AWS::Lambda::Url",),
         id_attribute="function_name", tag_attribute=None,
         attributes={"function_name": "TargetFunctionArn", "authorization_type": "AuthType"}),
    Kind("aws.lambda.provisioned_concurrency", ("aws_lambda_provisioned_concurrency_config",),
         id_attribute="function_name", tag_attribute=None),
    Kind("aws.lambda.event_invoke_config", ("aws_lambda_function_event_invoke_config",),
         ("AWS::Lambda::EventInvokeConfig",), id_attribute="function_name", tag_attribute=None,
         attributes={"function_name": "FunctionName",
                     "destination_config.on_failure.destination":
                         "DestinationConfig.OnFailure.Destination"}),
    # ------------------------------------------------------------------ storage and data
    Kind("aws.s3.bucket", ("aws_s3_bucket",), ("AWS::S3::Bucket",), id_attribute="bucket",
         arn="arn:{partition}:s3:::{bucket}",
         attributes={
             "bucket": "BucketName",
             "acl": "AccessControl",
             "server_side_encryption_configuration": "BucketEncryption",
             "versioning_configuration.status": "VersioningConfiguration.Status",
             "lifecycle_rule": "LifecycleConfiguration.Rules",
             "logging.target_bucket": "LoggingConfiguration.DestinationBucketName",
             # Terraform keeps these in aws_s3_bucket_public_access_block.
             "public_access_block.block_public_acls":
                 "PublicAccessBlockConfiguration.BlockPublicAcls",
             "public_access_block.block_public_policy":
                 "PublicAccessBlockConfiguration.BlockPublicPolicy",
             "public_access_block.ignore_public_acls":
                 "PublicAccessBlockConfiguration.IgnorePublicAcls",
             "public_access_block.restrict_public_buckets":
                 "PublicAccessBlockConfiguration.RestrictPublicBuckets",
         }),
    Kind("aws.s3.bucket_policy", ("aws_s3_bucket_policy",), ("AWS::S3::BucketPolicy",),
         id_attribute="bucket", tag_attribute=None,
         attributes={"bucket": "Bucket", "policy": "PolicyDocument"}),
    Kind("aws.s3.bucket_acl", ("aws_s3_bucket_acl",), id_attribute="bucket",
         tag_attribute=None),
    Kind("aws.s3.bucket_logging", ("aws_s3_bucket_logging",), id_attribute="bucket",
         tag_attribute=None),
    Kind("aws.s3.bucket_public_access_block", ("aws_s3_bucket_public_access_block",),
         id_attribute="bucket", tag_attribute=None),
    Kind("aws.s3.account_public_access_block", ("aws_s3_account_public_access_block",),
         id_attribute="account_id", tag_attribute=None),
    Kind("aws.s3.bucket_encryption",
         ("aws_s3_bucket_server_side_encryption_configuration",), id_attribute="bucket",
         tag_attribute=None),
    Kind("aws.s3.bucket_versioning", ("aws_s3_bucket_versioning",), id_attribute="bucket",
         tag_attribute=None),
    Kind("aws.s3.bucket_lifecycle", ("aws_s3_bucket_lifecycle_configuration",),
         id_attribute="bucket", tag_attribute=None),
    # SAM's SimpleTable is a DynamoDB table: on demand unless it sets ProvisionedThroughput.
    Kind("aws.dynamodb.table", ("aws_dynamodb_table",),
         ("AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"),
         id_attribute="name", arn="arn:{partition}:dynamodb:{region}:{account}:table/{name}",
         attributes={
             "name": "TableName",
             "hash_key": "PrimaryKey.Name",  # SimpleTable's one key
             "attribute.*.name": "AttributeDefinitions.*.AttributeName",
             "attribute.*.type": "AttributeDefinitions.*.AttributeType",
             # CloudFormation only: Terraform names the keys in `hash_key` and `range_key`.
             "key_schema.*.attribute_name": "KeySchema.*.AttributeName",
             "key_schema.*.key_type": "KeySchema.*.KeyType",
             "billing_mode": "BillingMode",
             "read_capacity": "ProvisionedThroughput.ReadCapacityUnits",
             "write_capacity": "ProvisionedThroughput.WriteCapacityUnits",
             "point_in_time_recovery.enabled":
                 "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled",
             "server_side_encryption.enabled": "SSESpecification.SSEEnabled",
             "stream_view_type": "StreamSpecification.StreamViewType",
             "deletion_protection_enabled": "DeletionProtectionEnabled",
         }),
    Kind("aws.appautoscaling.target", ("aws_appautoscaling_target",),
         ("AWS::ApplicationAutoScaling::ScalableTarget",), id_attribute="resource_id",
         attributes={"resource_id": "ResourceId", "scalable_dimension": "ScalableDimension",
                     "min_capacity": "MinCapacity", "max_capacity": "MaxCapacity"}),
    Kind("aws.rds.instance", ("aws_db_instance",), ("AWS::RDS::DBInstance",),
         id_attribute="identifier", arn="arn:{partition}:rds:{region}:{account}:db:{identifier}",
         attributes={"identifier": "DBInstanceIdentifier",
                     "instance_class": "DBInstanceClass", "storage_type": "StorageType",
                     "storage_encrypted": "StorageEncrypted",
                     "replicate_source_db": "SourceDBInstanceIdentifier",
                     "publicly_accessible": "PubliclyAccessible",
                     "engine": "Engine", "kms_key_id": "KmsKeyId",
                     # An Aurora instance: its cluster holds storage and backups.
                     "db_cluster_identifier": "DBClusterIdentifier",
                     "deletion_protection": "DeletionProtection",
                     "backup_retention_period": "BackupRetentionPeriod",
                     "iam_database_authentication_enabled":
                         "EnableIAMDatabaseAuthentication",
                     "monitoring_interval": "MonitoringInterval",
                     "auto_minor_version_upgrade": "AutoMinorVersionUpgrade",
                     "multi_az": "MultiAZ",
                     "copy_tags_to_snapshot": "CopyTagsToSnapshot",
                     "enabled_cloudwatch_logs_exports": "EnableCloudwatchLogsExports",
                     # What its price depends on.
                     "allocated_storage": "AllocatedStorage", "iops": "Iops",
                     "license_model": "LicenseModel", "engine_version": "EngineVersion",
                     "performance_insights_enabled": "EnablePerformanceInsights",
                     "performance_insights_retention_period":
                         "PerformanceInsightsRetentionPeriod"}),
    Kind("aws.rds.cluster_instance", ("aws_rds_cluster_instance",), id_attribute="identifier"),
    Kind("aws.rds.cluster", ("aws_rds_cluster",), ("AWS::RDS::DBCluster",),
         id_attribute="cluster_identifier",
         arn="arn:{partition}:rds:{region}:{account}:cluster:{cluster_identifier}",
         attributes={"cluster_identifier": "DBClusterIdentifier",
                     "storage_encrypted": "StorageEncrypted", "engine": "Engine",
                     "kms_key_id": "KmsKeyId", "deletion_protection": "DeletionProtection",
                     "backup_retention_period": "BackupRetentionPeriod",
                     "iam_database_authentication_enabled":
                         "EnableIAMDatabaseAuthentication",
                     "copy_tags_to_snapshot": "CopyTagsToSnapshot",
                     "enabled_cloudwatch_logs_exports": "EnableCloudwatchLogsExports",
                     # What its price depends on.
                     "engine_mode": "EngineMode", "engine_version": "EngineVersion",
                     "storage_type": "StorageType", "backtrack_window": "BacktrackWindow"}),
    Kind("aws.neptune.cluster", ("aws_neptune_cluster",), ("AWS::Neptune::DBCluster",),
         id_attribute="cluster_identifier",
         attributes={**_DB_CLUSTER, "kms_key_arn": "KmsKeyId",
                     "iam_database_authentication_enabled": "IamAuthEnabled",
                     "copy_tags_to_snapshot": "CopyTagsToSnapshot"}),
    Kind("aws.neptune.cluster_instance", ("aws_neptune_cluster_instance",),
         ("AWS::Neptune::DBInstance",), id_attribute="identifier",
         attributes=_DB_CLUSTER_MEMBER),
    Kind("aws.neptune.cluster_snapshot", ("aws_neptune_cluster_snapshot",),
         id_attribute="db_cluster_snapshot_identifier", tag_attribute=None),
    Kind("aws.docdb.cluster", ("aws_docdb_cluster",), ("AWS::DocDB::DBCluster",),
         id_attribute="cluster_identifier",
         attributes={**_DB_CLUSTER, "kms_key_id": "KmsKeyId"}),
    Kind("aws.docdb.cluster_instance", ("aws_docdb_cluster_instance",),
         ("AWS::DocDB::DBInstance",), id_attribute="identifier",
         attributes=_DB_CLUSTER_MEMBER),
    Kind("aws.docdb.cluster_snapshot", ("aws_docdb_cluster_snapshot",),
         id_attribute="db_cluster_snapshot_identifier", tag_attribute=None),
    Kind("aws.elasticache.replication_group", ("aws_elasticache_replication_group",),
         ("AWS::ElastiCache::ReplicationGroup",), id_attribute="replication_group_id",
         attributes={"replication_group_id": "ReplicationGroupId",
                     "node_type": "CacheNodeType",
                     "transit_encryption_enabled": "TransitEncryptionEnabled",
                     "auth_token": "AuthToken", "user_group_ids": "UserGroupIds",
                     "at_rest_encryption_enabled": "AtRestEncryptionEnabled",
                     "engine": "Engine",
                     "snapshot_retention_limit": "SnapshotRetentionLimit",
                     "automatic_failover_enabled": "AutomaticFailoverEnabled",
                     "auto_minor_version_upgrade": "AutoMinorVersionUpgrade",
                     # What its price depends on.
                     "num_node_groups": "NumNodeGroups",
                     "replicas_per_node_group": "ReplicasPerNodeGroup",
                     "num_cache_clusters": "NumCacheClusters"}),
    Kind("aws.redshift.cluster", ("aws_redshift_cluster",), ("AWS::Redshift::Cluster",),
         id_attribute="cluster_identifier",
         arn="arn:{partition}:redshift:{region}:{account}:cluster:{cluster_identifier}",
         attributes={"cluster_identifier": "ClusterIdentifier", "node_type": "NodeType",
                     "encrypted": "Encrypted", "kms_key_id": "KmsKeyId",
                     "publicly_accessible": "PubliclyAccessible",
                     "enhanced_vpc_routing": "EnhancedVpcRouting",
                     "allow_version_upgrade": "AllowVersionUpgrade",
                     "automated_snapshot_retention_period":
                         "AutomatedSnapshotRetentionPeriod",
                     "cluster_type": "ClusterType", "number_of_nodes": "NumberOfNodes"}),
    Kind("aws.elasticache.cluster", ("aws_elasticache_cluster",),
         ("AWS::ElastiCache::CacheCluster",), id_attribute="cluster_id",
         attributes={"cluster_id": "ClusterName", "node_type": "CacheNodeType",
                     "engine": "Engine",
                     "snapshot_retention_limit": "SnapshotRetentionLimit",
                     "auto_minor_version_upgrade": "AutoMinorVersionUpgrade",
                     "num_cache_nodes": "NumCacheNodes"}),
    Kind("aws.elasticache.serverless_cache", ("aws_elasticache_serverless_cache",),
         ("AWS::ElastiCache::ServerlessCache",), id_attribute="name",
         attributes={"name": "ServerlessCacheName", "engine": "Engine"}),
    Kind("aws.kinesis.stream", ("aws_kinesis_stream",), ("AWS::Kinesis::Stream",),
         id_attribute="name", arn="arn:{partition}:kinesis:{region}:{account}:stream/{name}",
         attributes={"name": "Name", "encryption_type": "StreamEncryption.EncryptionType",
                     "kms_key_id": "StreamEncryption.KeyId",
                     "retention_period": "RetentionPeriodHours",
                     "stream_mode_details.stream_mode": "StreamModeDetails.StreamMode",
                     "shard_count": "ShardCount"}),
    Kind("aws.firehose.delivery_stream", ("aws_kinesis_firehose_delivery_stream",),
         ("AWS::KinesisFirehose::DeliveryStream",), id_attribute="name",
         attributes={"name": "DeliveryStreamName",
                     "server_side_encryption.key_type":
                         "DeliveryStreamEncryptionConfigurationInput.KeyType",
                     "kinesis_source_configuration.kinesis_stream_arn":
                         "KinesisStreamSourceConfiguration.KinesisStreamARN",
                     # What the price model reads: format conversion and VPC delivery.
                     "extended_s3_configuration.data_format_conversion_configuration"
                     ".output_format_configuration":
                         "ExtendedS3DestinationConfiguration.DataFormatConversionConfiguration"
                         ".OutputFormatConfiguration",
                     "extended_s3_configuration.data_format_conversion_configuration.enabled":
                         "ExtendedS3DestinationConfiguration.DataFormatConversionConfiguration"
                         ".Enabled",
                     "elasticsearch_configuration.vpc_config.subnet_ids":
                         "ElasticsearchDestinationConfiguration.VpcConfiguration.SubnetIds",
                     "opensearch_configuration.vpc_config.subnet_ids":
                         "AmazonopensearchserviceDestinationConfiguration.VpcConfiguration"
                         ".SubnetIds"}),
    Kind("aws.efs.file_system", ("aws_efs_file_system",), ("AWS::EFS::FileSystem",),
         attributes={"encrypted": "Encrypted", "kms_key_id": "KmsKeyId",
                     # What the price model reads: storage class and throughput.
                     "availability_zone_name": "AvailabilityZoneName",
                     "throughput_mode": "ThroughputMode",
                     "provisioned_throughput_in_mibps": "ProvisionedThroughputInMibps",
                     "lifecycle_policy.*.transition_to_ia": "LifecyclePolicies.*.TransitionToIA"},
         tag_attribute="tags"),
    Kind("aws.opensearch.domain", ("aws_opensearch_domain", "aws_elasticsearch_domain"),
         ("AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"),
         id_attribute="domain_name",
         arn="arn:{partition}:es:{region}:{account}:domain/{domain_name}",
         attributes={"domain_name": "DomainName", "access_policies": "AccessPolicies",
                     "encrypt_at_rest.enabled": "EncryptionAtRestOptions.Enabled",
                     "node_to_node_encryption.enabled": "NodeToNodeEncryptionOptions.Enabled",
                     "domain_endpoint_options.enforce_https":
                         "DomainEndpointOptions.EnforceHTTPS",
                     "domain_endpoint_options.tls_security_policy":
                         "DomainEndpointOptions.TLSSecurityPolicy",
                     "vpc_options.subnet_ids": "VPCOptions.SubnetIds",
                     "advanced_security_options.enabled": "AdvancedSecurityOptions.Enabled",
                     "cluster_config.zone_awareness_enabled":
                         ("ClusterConfig.ZoneAwarenessEnabled",
                          "ElasticsearchClusterConfig.ZoneAwarenessEnabled"),
                     # What its price depends on.
                     "cluster_config.instance_type":
                         ("ClusterConfig.InstanceType",
                          "ElasticsearchClusterConfig.InstanceType"),
                     "cluster_config.instance_count":
                         ("ClusterConfig.InstanceCount",
                          "ElasticsearchClusterConfig.InstanceCount"),
                     "cluster_config.dedicated_master_enabled":
                         ("ClusterConfig.DedicatedMasterEnabled",
                          "ElasticsearchClusterConfig.DedicatedMasterEnabled"),
                     "cluster_config.dedicated_master_type":
                         ("ClusterConfig.DedicatedMasterType",
                          "ElasticsearchClusterConfig.DedicatedMasterType"),
                     "cluster_config.dedicated_master_count":
                         ("ClusterConfig.DedicatedMasterCount",
                          "ElasticsearchClusterConfig.DedicatedMasterCount"),
                     "cluster_config.warm_enabled":
                         ("ClusterConfig.WarmEnabled",
                          "ElasticsearchClusterConfig.WarmEnabled"),
                     "cluster_config.warm_type":
                         ("ClusterConfig.WarmType",
                          "ElasticsearchClusterConfig.WarmType"),
                     "cluster_config.warm_count":
                         ("ClusterConfig.WarmCount",
                          "ElasticsearchClusterConfig.WarmCount"),
                     "ebs_options.ebs_enabled": "EBSOptions.EBSEnabled",
                     "ebs_options.volume_size": "EBSOptions.VolumeSize",
                     "ebs_options.volume_type": "EBSOptions.VolumeType",
                     "ebs_options.iops": "EBSOptions.Iops",
                     "ebs_options.throughput": "EBSOptions.Throughput"}),
    Kind("aws.opensearchserverless.collection", ("aws_opensearchserverless_collection",),
         ("AWS::OpenSearchServerless::Collection",), id_attribute="name",
         attributes={"name": "Name", "type": "Type", "standby_replicas": "StandbyReplicas"}),
    Kind("aws.opensearch.domain_policy",
         ("aws_opensearch_domain_policy", "aws_elasticsearch_domain_policy"),
         id_attribute="domain_name", tag_attribute=None),
    Kind("aws.sagemaker.endpoint_configuration", ("aws_sagemaker_endpoint_configuration",),
         ("AWS::SageMaker::EndpointConfig",), id_attribute="name",
         attributes={"name": "EndpointConfigName", "kms_key_arn": "KmsKeyId"}),
    Kind("aws.sagemaker.notebook_instance", ("aws_sagemaker_notebook_instance",),
         ("AWS::SageMaker::NotebookInstance",), id_attribute="name",
         attributes={"name": "NotebookInstanceName", "kms_key_id": "KmsKeyId",
                     "direct_internet_access": "DirectInternetAccess",
                     "root_access": "RootAccess", "subnet_id": "SubnetId"}),
    # ------------------------------------------------------------------ messaging and logs
    Kind("aws.sqs.queue", ("aws_sqs_queue",), ("AWS::SQS::Queue",), id_attribute="name",
         arn="arn:{partition}:sqs:{region}:{account}:{name}",
         attributes={"name": "QueueName", "fifo_queue": "FifoQueue",
                     "sqs_managed_sse_enabled": "SqsManagedSseEnabled",
                     "kms_master_key_id": "KmsMasterKeyId",
                     "visibility_timeout_seconds": "VisibilityTimeout",
                     "message_retention_seconds": "MessageRetentionPeriod",
                     "delay_seconds": "DelaySeconds",
                     "max_message_size": "MaximumMessageSize",
                     "receive_wait_time_seconds": "ReceiveMessageWaitTimeSeconds",
                     "content_based_deduplication": "ContentBasedDeduplication",
                     "redrive_policy": "RedrivePolicy"}),
    Kind("aws.sqs.queue_policy", ("aws_sqs_queue_policy",), ("AWS::SQS::QueuePolicy",),
         id_attribute="queue_url", tag_attribute=None, attributes={"policy": "PolicyDocument"}),
    Kind("aws.sns.topic", ("aws_sns_topic",), ("AWS::SNS::Topic",), id_attribute="name",
         arn="arn:{partition}:sns:{region}:{account}:{name}",
         attributes={"name": "TopicName", "kms_master_key_id": "KmsMasterKeyId",
                     "display_name": "DisplayName", "fifo_topic": "FifoTopic"}),
    Kind("aws.sns.subscription", ("aws_sns_topic_subscription",), ("AWS::SNS::Subscription",),
         id_attribute="endpoint", tag_attribute=None,
         attributes={"topic_arn": "TopicArn", "protocol": "Protocol", "endpoint": "Endpoint"}),
    Kind("aws.msk.cluster", ("aws_msk_cluster",), ("AWS::MSK::Cluster",),
         id_attribute="cluster_name",
         attributes={"cluster_name": "ClusterName",
                     "encryption_info.encryption_in_transit.client_broker":
                         "EncryptionInfo.EncryptionInTransit.ClientBroker",
                     "encryption_info.encryption_in_transit.in_cluster":
                         "EncryptionInfo.EncryptionInTransit.InCluster",
                     # What its price depends on.
                     "number_of_broker_nodes": "NumberOfBrokerNodes",
                     "broker_node_group_info.instance_type": "BrokerNodeGroupInfo.InstanceType",
                     "broker_node_group_info.storage_info.ebs_storage_info.volume_size":
                         "BrokerNodeGroupInfo.StorageInfo.EBSStorageInfo.VolumeSize"}),
    Kind("aws.msk.serverless_cluster", ("aws_msk_serverless_cluster",),
         ("AWS::MSK::ServerlessCluster",), id_attribute="cluster_name",
         attributes={"cluster_name": "ClusterName"}),
    Kind("aws.mq.broker", ("aws_mq_broker",), ("AWS::AmazonMQ::Broker",),
         id_attribute="broker_name",
         attributes={"broker_name": "BrokerName", "engine_type": "EngineType",
                     "host_instance_type": "HostInstanceType",
                     "deployment_mode": "DeploymentMode", "storage_type": "StorageType"}),
    Kind("aws.athena.workgroup", ("aws_athena_workgroup",), ("AWS::Athena::WorkGroup",),
         id_attribute="name",
         attributes={"name": "Name",
                     "configuration.enforce_workgroup_configuration":
                         "WorkGroupConfiguration.EnforceWorkGroupConfiguration",
                     "configuration.result_configuration.encryption_configuration"
                     ".encryption_option": "WorkGroupConfiguration.ResultConfiguration"
                                           ".EncryptionConfiguration.EncryptionOption"}),
    Kind("aws.sns.topic_policy", ("aws_sns_topic_policy",), ("AWS::SNS::TopicPolicy",),
         id_attribute="arn", tag_attribute=None, attributes={"policy": "PolicyDocument"}),
    Kind("aws.events.bus", ("aws_cloudwatch_event_bus",), ("AWS::Events::EventBus",),
         id_attribute="name", arn="arn:{partition}:events:{region}:{account}:event-bus/{name}",
         attributes={"name": "Name"}),
    Kind("aws.logs.log_group", ("aws_cloudwatch_log_group",), ("AWS::Logs::LogGroup",),
         id_attribute="name",
         arn="arn:{partition}:logs:{region}:{account}:log-group:{name}",
         attributes={"name": "LogGroupName", "retention_in_days": "RetentionInDays",
                     "kms_key_id": "KmsKeyId", "log_group_class": "LogGroupClass"}),
    Kind("aws.logs.metric_filter", ("aws_cloudwatch_log_metric_filter",),
         ("AWS::Logs::MetricFilter",), id_attribute="name", tag_attribute=None,
         attributes={"name": "FilterName", "metric_transformation": "MetricTransformations"}),
    Kind("aws.cloudwatch.alarm", ("aws_cloudwatch_metric_alarm",), ("AWS::CloudWatch::Alarm",),
         id_attribute="alarm_name",
         arn="arn:{partition}:cloudwatch:{region}:{account}:alarm:{alarm_name}",
         attributes={"alarm_name": "AlarmName", "actions_enabled": "ActionsEnabled",
                     "comparison_operator": "ComparisonOperator", "period": "Period",
                     # A metric math alarm's metrics: CloudFormation's MetricStat is
                     # Terraform's metric block.
                     "metric_query.*.metric.period": "Metrics.*.MetricStat.Period"}),
    Kind("aws.cloudwatch.dashboard", ("aws_cloudwatch_dashboard",),
         ("AWS::CloudWatch::Dashboard",), id_attribute="dashboard_name", tag_attribute=None,
         attributes={"dashboard_name": "DashboardName", "dashboard_body": "DashboardBody"}),
    Kind("aws.sfn.state_machine", ("aws_sfn_state_machine",),
         ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"),
         id_attribute="name",
         arn="arn:{partition}:states:{region}:{account}:stateMachine:{name}",
         attributes={"name": ("StateMachineName", "Name"),
                     "type": ("StateMachineType", "Type"),
                     "logging_configuration.level": ("LoggingConfiguration.Level",
                                                     "Logging.Level"),
                     "tracing_configuration.enabled": ("TracingConfiguration.Enabled",
                                                       "Tracing.Enabled")}),
    # ------------------------------------------------------------------ identity and secrets
    Kind("aws.iam.role", ("aws_iam_role",), ("AWS::IAM::Role",), id_attribute="name",
         arn="arn:{partition}:iam::{account}:role/{name}",
         attributes={"name": "RoleName", "assume_role_policy": "AssumeRolePolicyDocument",
                     "inline_policy.*.name": "Policies.*.PolicyName",
                     "inline_policy.*.policy": "Policies.*.PolicyDocument",
                     "managed_policy_arns": "ManagedPolicyArns", "description": "Description",
                     "max_session_duration": "MaxSessionDuration", "path": "Path"}),
    # A role's inline policy as a resource of its own. CloudFormation's AWS::IAM::Policy
    # names its roles in a list (`Roles`), and may name users and groups too.
    Kind("aws.iam.role_policy", ("aws_iam_role_policy",), ("AWS::IAM::RolePolicy",
                                                           "AWS::IAM::Policy"),
         id_attribute="name", tag_attribute=None,
         attributes={"name": "PolicyName", "policy": "PolicyDocument",
                     "role": ("RoleName", "Roles"), "users": "Users", "groups": "Groups"}),
    Kind("aws.iam.role_policy_attachment", ("aws_iam_role_policy_attachment",),
         id_attribute="role", tag_attribute=None),
    Kind("aws.iam.policy", ("aws_iam_policy",), ("AWS::IAM::ManagedPolicy",),
         id_attribute="name", arn="arn:{partition}:iam::{account}:policy/{name}",
         attributes={"name": "ManagedPolicyName", "policy": "PolicyDocument",
                     "users": "Users"}),
    Kind("aws.iam.user", ("aws_iam_user",), ("AWS::IAM::User",), id_attribute="name",
         arn="arn:{partition}:iam::{account}:user/{name}",
         attributes={"name": "UserName", "inline_policy": "Policies",
                     "managed_policy_arns": "ManagedPolicyArns"}),
    Kind("aws.iam.access_key", ("aws_iam_access_key",), ("AWS::IAM::AccessKey",),
         id_attribute="user", tag_attribute=None,
         attributes={"user": "UserName", "status": "Status"}),
    Kind("aws.iam.password_policy", ("aws_iam_account_password_policy",), tag_attribute=None),
    Kind("aws.iam.user_policy", ("aws_iam_user_policy", "aws_iam_user_policy_attachment"),
         id_attribute="user", tag_attribute=None),
    Kind("aws.iam.group", ("aws_iam_group",), ("AWS::IAM::Group",), id_attribute="name",
         arn="arn:{partition}:iam::{account}:group/{name}", tag_attribute=None,
         attributes={"name": "GroupName", "managed_policy_arns": "ManagedPolicyArns"}),
    Kind("aws.iam.group_policy_attachment", ("aws_iam_group_policy_attachment",),
         id_attribute="group", tag_attribute=None),
    Kind("aws.iam.policy_attachment", ("aws_iam_policy_attachment",), id_attribute="name",
         tag_attribute=None),
    # IAM Identity Center: a permission set's policies reach every account it is assigned to.
    Kind("aws.sso.permission_set", ("aws_ssoadmin_permission_set",), ("AWS::SSO::PermissionSet",),
         id_attribute="name",
         attributes={"name": "Name", "managed_policy_arns": "ManagedPolicies",
                     "inline_policy": "InlinePolicy"}),
    Kind("aws.sso.managed_policy_attachment", ("aws_ssoadmin_managed_policy_attachment",),
         id_attribute="managed_policy_arn", tag_attribute=None),
    Kind("aws.sso.inline_policy", ("aws_ssoadmin_permission_set_inline_policy",),
         id_attribute="permission_set_arn", tag_attribute=None),
    Kind("aws.kms.key", ("aws_kms_key",), ("AWS::KMS::Key",), id_attribute="key_id",
         arn="arn:{partition}:kms:{region}:{account}:key/{key_id}",
         attributes={"description": "Description", "policy": "KeyPolicy",
                     "enable_key_rotation": "EnableKeyRotation", "is_enabled": "Enabled",
                     "key_usage": "KeyUsage", "customer_master_key_spec": "KeySpec",
                     "deletion_window_in_days": "PendingWindowInDays"}),
    # A symmetric key whose material is imported (CloudFormation has no separate type).
    Kind("aws.kms.external_key", ("aws_kms_external_key",), id_attribute="key_id",
         arn="arn:{partition}:kms:{region}:{account}:key/{key_id}"),
    Kind("aws.secretsmanager.secret", ("aws_secretsmanager_secret",),
         ("AWS::SecretsManager::Secret",), id_attribute="name",
         arn="arn:{partition}:secretsmanager:{region}:{account}:secret:{name}",
         attributes={"name": "Name", "kms_key_id": "KmsKeyId"}),
    Kind("aws.secretsmanager.secret_policy", ("aws_secretsmanager_secret_policy",),
         ("AWS::SecretsManager::ResourcePolicy",), id_attribute="secret_arn",
         tag_attribute=None, attributes={"secret_arn": "SecretId", "policy": "ResourcePolicy"}),
    Kind("aws.secretsmanager.rotation", ("aws_secretsmanager_secret_rotation",),
         ("AWS::SecretsManager::RotationSchedule",), id_attribute="secret_id",
         tag_attribute=None,
         attributes={"secret_id": "SecretId", "rotation_lambda_arn": "RotationLambdaARN",
                     "rotation_rules.automatically_after_days":
                         "RotationRules.AutomaticallyAfterDays"}),
    # ------------------------------------------------------------------ API Gateway
    Kind("aws.apigatewayv2.api", ("aws_apigatewayv2_api",),
         ("AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi"), id_attribute="name",
         arn="arn:{partition}:apigateway:{region}::/apis/{id}",
         attributes={"name": "Name", "protocol_type": "ProtocolType",
                     "description": "Description"}),
    Kind("aws.apigatewayv2.route", ("aws_apigatewayv2_route",), ("AWS::ApiGatewayV2::Route",),
         id_attribute="route_key", tag_attribute=None,
         attributes={"api_id": "ApiId", "route_key": "RouteKey", "target": "Target",
                     "authorization_type": "AuthorizationType", "authorizer_id": "AuthorizerId",
                     "authorization_scopes": "AuthorizationScopes",
                     "api_key_required": "ApiKeyRequired", "operation_name": "OperationName"}),
    Kind("aws.apigatewayv2.integration", ("aws_apigatewayv2_integration",),
         ("AWS::ApiGatewayV2::Integration",), tag_attribute=None,
         attributes={"api_id": "ApiId", "integration_type": "IntegrationType",
                     "integration_uri": "IntegrationUri",
                     "integration_method": "IntegrationMethod",
                     "integration_subtype": "IntegrationSubtype",
                     "payload_format_version": "PayloadFormatVersion",
                     "timeout_milliseconds": "TimeoutInMillis", "description": "Description",
                     "connection_type": "ConnectionType", "connection_id": "ConnectionId",
                     "credentials_arn": "CredentialsArn"}),
    Kind("aws.apigatewayv2.stage", ("aws_apigatewayv2_stage",), ("AWS::ApiGatewayV2::Stage",),
         id_attribute="name",
         attributes={"api_id": "ApiId", "name": "StageName", "auto_deploy": "AutoDeploy",
                     "description": "Description", "stage_variables": "StageVariables",
                     "access_log_settings.destination_arn": "AccessLogSettings.DestinationArn",
                     "access_log_settings.format": "AccessLogSettings.Format",
                     "default_route_settings.detailed_metrics_enabled":
                         "DefaultRouteSettings.DetailedMetricsEnabled",
                     "default_route_settings.throttling_burst_limit":
                         "DefaultRouteSettings.ThrottlingBurstLimit",
                     "default_route_settings.throttling_rate_limit":
                         "DefaultRouteSettings.ThrottlingRateLimit"}),
    Kind("aws.apigateway.rest_api", ("aws_api_gateway_rest_api",),
         ("AWS::ApiGateway::RestApi", "AWS::Serverless::Api"), id_attribute="name",
         arn="arn:{partition}:apigateway:{region}::/restapis/{id}",
         # A SAM Api deploys its own stage, cache included.
         attributes={"name": "Name", "cache_cluster_enabled": "CacheClusterEnabled",
                     "cache_cluster_size": "CacheClusterSize"}),
    Kind("aws.apigateway.stage", ("aws_api_gateway_stage",), ("AWS::ApiGateway::Stage",),
         id_attribute="stage_name",
         attributes={"stage_name": "StageName", "access_log_settings": "AccessLogSetting",
                     "xray_tracing_enabled": "TracingEnabled",
                     "cache_cluster_enabled": "CacheClusterEnabled",
                     "cache_cluster_size": "CacheClusterSize"}),
    Kind("aws.apigateway.method", ("aws_api_gateway_method",), ("AWS::ApiGateway::Method",),
         id_attribute="http_method", tag_attribute=None,
         attributes={"http_method": "HttpMethod", "authorization": "AuthorizationType",
                     "api_key_required": "ApiKeyRequired"}),
    Kind("aws.apigateway.domain_name", ("aws_api_gateway_domain_name",),
         ("AWS::ApiGateway::DomainName",), id_attribute="domain_name",
         attributes={"domain_name": "DomainName", "security_policy": "SecurityPolicy"}),
    # ------------------------------------------------------------------ compute
    Kind("aws.ec2.instance", ("aws_instance",), ("AWS::EC2::Instance",),
         arn="arn:{partition}:ec2:{region}:{account}:instance/{id}",
         attributes={"instance_type": "InstanceType", "user_data": "UserData",
                     # CloudFormation's mappings; Terraform has root_ and ebs_block_device.
                     "block_device_mappings.*.ebs.encrypted":
                         "BlockDeviceMappings.*.Ebs.Encrypted",
                     "block_device_mappings.*.device_name": "BlockDeviceMappings.*.DeviceName",
                     "block_device_mappings.*.ebs.volume_type":
                         "BlockDeviceMappings.*.Ebs.VolumeType",
                     "block_device_mappings.*.ebs.volume_size":
                         "BlockDeviceMappings.*.Ebs.VolumeSize",
                     "block_device_mappings.*.ebs.iops": "BlockDeviceMappings.*.Ebs.Iops",
                     "iam_instance_profile": "IamInstanceProfile",
                     "ebs_optimized": "EbsOptimized", "monitoring": "Monitoring",
                     "tenancy": "Tenancy", "host_id": "HostId",
                     "credit_specification.cpu_credits": "CreditSpecification.CPUCredits",
                     "launch_template.id": "LaunchTemplate.LaunchTemplateId",
                     "launch_template.name": "LaunchTemplate.LaunchTemplateName"}),
    Kind("aws.ec2.launch_template", ("aws_launch_template",), ("AWS::EC2::LaunchTemplate",),
         id_attribute="name",
         attributes={"name": "LaunchTemplateName",
                     "metadata_options.http_tokens":
                         "LaunchTemplateData.MetadataOptions.HttpTokens",
                     "metadata_options.http_endpoint":
                         "LaunchTemplateData.MetadataOptions.HttpEndpoint",
                     "user_data": "LaunchTemplateData.UserData",
                     "block_device_mappings.*.ebs.encrypted":
                         "LaunchTemplateData.BlockDeviceMappings.*.Ebs.Encrypted",
                     "block_device_mappings.*.device_name":
                         "LaunchTemplateData.BlockDeviceMappings.*.DeviceName",
                     "block_device_mappings.*.ebs.volume_type":
                         "LaunchTemplateData.BlockDeviceMappings.*.Ebs.VolumeType",
                     "block_device_mappings.*.ebs.volume_size":
                         "LaunchTemplateData.BlockDeviceMappings.*.Ebs.VolumeSize",
                     "block_device_mappings.*.ebs.iops":
                         "LaunchTemplateData.BlockDeviceMappings.*.Ebs.Iops",
                     "block_device_mappings.*.ebs.throughput":
                         "LaunchTemplateData.BlockDeviceMappings.*.Ebs.Throughput",
                     "instance_type": "LaunchTemplateData.InstanceType",
                     "ebs_optimized": "LaunchTemplateData.EbsOptimized",
                     "monitoring.enabled": "LaunchTemplateData.Monitoring.Enabled",
                     "placement.tenancy": "LaunchTemplateData.Placement.Tenancy",
                     "placement.host_id": "LaunchTemplateData.Placement.HostId",
                     "credit_specification.cpu_credits":
                         "LaunchTemplateData.CreditSpecification.CpuCredits"}),
    Kind("aws.ec2.launch_configuration", ("aws_launch_configuration",),
         ("AWS::AutoScaling::LaunchConfiguration",), id_attribute="name",
         tag_attribute=None,
         attributes={"name": "LaunchConfigurationName",
                     "metadata_options.http_tokens": "MetadataOptions.HttpTokens",
                     "metadata_options.http_endpoint": "MetadataOptions.HttpEndpoint",
                     "user_data": "UserData",
                     "associate_public_ip_address": "AssociatePublicIpAddress",
                     "block_device_mappings.*.ebs.encrypted":
                         "BlockDeviceMappings.*.Ebs.Encrypted",
                     "block_device_mappings.*.device_name": "BlockDeviceMappings.*.DeviceName",
                     "block_device_mappings.*.ebs.volume_type":
                         "BlockDeviceMappings.*.Ebs.VolumeType",
                     "block_device_mappings.*.ebs.volume_size":
                         "BlockDeviceMappings.*.Ebs.VolumeSize",
                     "block_device_mappings.*.ebs.iops": "BlockDeviceMappings.*.Ebs.Iops",
                     "block_device_mappings.*.ebs.throughput":
                         "BlockDeviceMappings.*.Ebs.Throughput",
                     "instance_type": "InstanceType", "ebs_optimized": "EbsOptimized",
                     "enable_monitoring": "InstanceMonitoring",
                     "placement_tenancy": "PlacementTenancy"}),
    Kind("aws.autoscaling.group", ("aws_autoscaling_group",),
         ("AWS::AutoScaling::AutoScalingGroup",), id_attribute="name",
         attributes={"name": "AutoScalingGroupName", "desired_capacity": "DesiredCapacity",
                     "min_size": "MinSize", "max_size": "MaxSize",
                     "launch_configuration": "LaunchConfigurationName",
                     "launch_template.id": "LaunchTemplate.LaunchTemplateId",
                     "launch_template.name": "LaunchTemplate.LaunchTemplateName",
                     "mixed_instances_policy.launch_template.launch_template_specification"
                     ".launch_template_id": "MixedInstancesPolicy.LaunchTemplate"
                     ".LaunchTemplateSpecification.LaunchTemplateId",
                     "mixed_instances_policy.launch_template.launch_template_specification"
                     ".launch_template_name": "MixedInstancesPolicy.LaunchTemplate"
                     ".LaunchTemplateSpecification.LaunchTemplateName",
                     "mixed_instances_policy.launch_template.override.*.instance_type":
                         "MixedInstancesPolicy.LaunchTemplate.Overrides.*.InstanceType",
                     "mixed_instances_policy.launch_template.override.*.weighted_capacity":
                         "MixedInstancesPolicy.LaunchTemplate.Overrides.*.WeightedCapacity",
                     "mixed_instances_policy.instances_distribution.on_demand_base_capacity":
                         "MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity",
                     "mixed_instances_policy.instances_distribution"
                     ".on_demand_percentage_above_base_capacity":
                         "MixedInstancesPolicy.InstancesDistribution"
                         ".OnDemandPercentageAboveBaseCapacity"}),
    Kind("aws.ec2.host", ("aws_ec2_host",), ("AWS::EC2::Host",),
         arn="arn:{partition}:ec2:{region}:{account}:dedicated-host/{id}",
         attributes={"instance_type": "InstanceType", "instance_family": "InstanceFamily"}),
    Kind("aws.ecr.repository", ("aws_ecr_repository",), ("AWS::ECR::Repository",),
         id_attribute="name", arn="arn:{partition}:ecr:{region}:{account}:repository/{name}",
         attributes={"name": "RepositoryName", "policy": "RepositoryPolicyText",
                     "image_tag_mutability": "ImageTagMutability",
                     "image_scanning_configuration.scan_on_push":
                         "ImageScanningConfiguration.ScanOnPush",
                     "encryption_configuration.encryption_type":
                         "EncryptionConfiguration.EncryptionType"}),
    Kind("aws.ecr.repository_policy", ("aws_ecr_repository_policy",), id_attribute="repository",
         tag_attribute=None),
    Kind("aws.ec2.volume", ("aws_ebs_volume",), ("AWS::EC2::Volume",),
         arn="arn:{partition}:ec2:{region}:{account}:volume/{id}",
         attributes={"type": "VolumeType", "size": "Size", "iops": "Iops",
                     "throughput": "Throughput", "encrypted": "Encrypted"}),
    # CloudFormation has no snapshot resource.
    Kind("aws.ec2.snapshot", ("aws_ebs_snapshot", "aws_ebs_snapshot_copy"),
         arn="arn:{partition}:ec2:{region}::snapshot/{id}"),
    Kind("aws.ec2.encryption_by_default", ("aws_ebs_encryption_by_default",),
         tag_attribute=None),
    Kind("aws.ecs.cluster", ("aws_ecs_cluster",), ("AWS::ECS::Cluster",), id_attribute="name",
         arn="arn:{partition}:ecs:{region}:{account}:cluster/{name}",
         attributes={"name": "ClusterName", "setting.*.name": "ClusterSettings.*.Name",
                     "setting.*.value": "ClusterSettings.*.Value",
                     "capacity_providers": "CapacityProviders",
                     "default_capacity_provider_strategy.*.capacity_provider":
                         "DefaultCapacityProviderStrategy.*.CapacityProvider",
                     "default_capacity_provider_strategy.*.weight":
                         "DefaultCapacityProviderStrategy.*.Weight",
                     "default_capacity_provider_strategy.*.base":
                         "DefaultCapacityProviderStrategy.*.Base"}),
    Kind("aws.ecs.cluster_capacity_providers", ("aws_ecs_cluster_capacity_providers",),
         ("AWS::ECS::ClusterCapacityProviderAssociations",), id_attribute="cluster_name",
         tag_attribute=None,
         attributes={"cluster_name": "Cluster", "capacity_providers": "CapacityProviders",
                     "default_capacity_provider_strategy.*.capacity_provider":
                         "DefaultCapacityProviderStrategy.*.CapacityProvider",
                     "default_capacity_provider_strategy.*.weight":
                         "DefaultCapacityProviderStrategy.*.Weight",
                     "default_capacity_provider_strategy.*.base":
                         "DefaultCapacityProviderStrategy.*.Base"}),
    Kind("aws.ecs.service", ("aws_ecs_service",), ("AWS::ECS::Service",), id_attribute="name",
         attributes={"name": "ServiceName", "launch_type": "LaunchType",
                     "capacity_provider_strategy.*.capacity_provider":
                         "CapacityProviderStrategy.*.CapacityProvider",
                     "capacity_provider_strategy.*.weight": "CapacityProviderStrategy.*.Weight",
                     "capacity_provider_strategy.*.base": "CapacityProviderStrategy.*.Base",
                     "cluster": "Cluster",
                     "task_definition": "TaskDefinition", "desired_count": "DesiredCount",
                     "network_configuration.assign_public_ip":
                         "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp"}),
    Kind("aws.ecs.task_definition", ("aws_ecs_task_definition",),
         ("AWS::ECS::TaskDefinition",), id_attribute="family",
         attributes={"family": "Family", "cpu": "Cpu", "memory": "Memory",
                     "runtime_platform.cpu_architecture": "RuntimePlatform.CpuArchitecture",
                     "runtime_platform.operating_system_family":
                         "RuntimePlatform.OperatingSystemFamily",
                     "container_definitions": "ContainerDefinitions",
                     "network_mode": "NetworkMode"}),
    Kind("aws.ecs.task_set", ("aws_ecs_task_set",), ("AWS::ECS::TaskSet",),
         attributes={"service": "Service", "cluster": "Cluster",
                     "task_definition": "TaskDefinition", "launch_type": "LaunchType"}),
    Kind("aws.eks.cluster", ("aws_eks_cluster",), ("AWS::EKS::Cluster",), id_attribute="name",
         arn="arn:{partition}:eks:{region}:{account}:cluster/{name}",
         attributes={"name": "Name",
                     "vpc_config.endpoint_public_access":
                         "ResourcesVpcConfig.EndpointPublicAccess",
                     "vpc_config.endpoint_private_access":
                         "ResourcesVpcConfig.EndpointPrivateAccess",
                     "vpc_config.public_access_cidrs": "ResourcesVpcConfig.PublicAccessCidrs",
                     "encryption_config.*.resources": "EncryptionConfig.*.Resources",
                     "enabled_cluster_log_types": "Logging.ClusterLogging.EnabledTypes",
                     "version": "Version",
                     "upgrade_policy.support_type": "UpgradePolicy.SupportType"}),
    Kind("aws.eks.node_group", ("aws_eks_node_group",), ("AWS::EKS::Nodegroup",),
         id_attribute="node_group_name",
         attributes={"node_group_name": "NodegroupName", "instance_types": "InstanceTypes",
                     "scaling_config.desired_size": "ScalingConfig.DesiredSize",
                     "scaling_config.min_size": "ScalingConfig.MinSize",
                     "scaling_config.max_size": "ScalingConfig.MaxSize",
                     "disk_size": "DiskSize", "ami_type": "AmiType",
                     "capacity_type": "CapacityType",
                     "launch_template.id": "LaunchTemplate.Id",
                     "launch_template.name": "LaunchTemplate.Name",
                     "remote_access.ec2_ssh_key": "RemoteAccess.Ec2SshKey",
                     "remote_access.source_security_group_ids":
                         "RemoteAccess.SourceSecurityGroups"}),
    Kind("aws.eks.fargate_profile", ("aws_eks_fargate_profile",), ("AWS::EKS::FargateProfile",),
         id_attribute="fargate_profile_name",
         attributes={"fargate_profile_name": "FargateProfileName",
                     "cluster_name": "ClusterName"}),
    # ------------------------------------------------------------------ network
    Kind("aws.ec2.vpc", ("aws_vpc",), ("AWS::EC2::VPC",),
         arn="arn:{partition}:ec2:{region}:{account}:vpc/{id}",
         attributes={"cidr_block": "CidrBlock"}),
    Kind("aws.ec2.flow_log", ("aws_flow_log",), ("AWS::EC2::FlowLog",),
         attributes={"vpc_id": "ResourceId", "traffic_type": "TrafficType",
                     "log_destination": "LogDestination"}),
    Kind("aws.ec2.subnet", ("aws_subnet",), ("AWS::EC2::Subnet",),
         arn="arn:{partition}:ec2:{region}:{account}:subnet/{id}",
         attributes={"vpc_id": "VpcId", "cidr_block": "CidrBlock",
                     "map_public_ip_on_launch": "MapPublicIpOnLaunch"}),
    Kind("aws.ec2.nat_gateway", ("aws_nat_gateway",), ("AWS::EC2::NatGateway",),
         arn="arn:{partition}:ec2:{region}:{account}:natgateway/{id}",
         attributes={"subnet_id": "SubnetId"}),
    Kind("aws.ec2.eip", ("aws_eip",), ("AWS::EC2::EIP",),
         arn="arn:{partition}:ec2:{region}:{account}:elastic-ip/{id}"),
    Kind("aws.ec2.vpc_endpoint", ("aws_vpc_endpoint",), ("AWS::EC2::VPCEndpoint",),
         arn="arn:{partition}:ec2:{region}:{account}:vpc-endpoint/{id}",
         attributes={"vpc_id": "VpcId", "service_name": "ServiceName",
                     "vpc_endpoint_type": "VpcEndpointType", "subnet_ids": "SubnetIds"}),
    Kind("aws.ec2.vpn_connection", ("aws_vpn_connection",), ("AWS::EC2::VPNConnection",),
         arn="arn:{partition}:ec2:{region}:{account}:vpn-connection/{id}",
         attributes={"customer_gateway_id": "CustomerGatewayId", "type": "Type",
                     "transit_gateway_id": "TransitGatewayId",
                     "vpn_gateway_id": "VpnGatewayId"}),
    Kind("aws.ec2.transit_gateway_vpc_attachment", ("aws_ec2_transit_gateway_vpc_attachment",),
         ("AWS::EC2::TransitGatewayVpcAttachment", "AWS::EC2::TransitGatewayAttachment"),
         arn="arn:{partition}:ec2:{region}:{account}:transit-gateway-attachment/{id}",
         attributes={"transit_gateway_id": "TransitGatewayId", "vpc_id": "VpcId",
                     "subnet_ids": "SubnetIds"}),
    Kind("aws.ec2.transit_gateway_peering_attachment",
         ("aws_ec2_transit_gateway_peering_attachment",),
         ("AWS::EC2::TransitGatewayPeeringAttachment",),
         arn="arn:{partition}:ec2:{region}:{account}:transit-gateway-attachment/{id}",
         attributes={"transit_gateway_id": "TransitGatewayId",
                     "peer_transit_gateway_id": "PeerTransitGatewayId",
                     "peer_region": "PeerRegion", "peer_account_id": "PeerAccountId"}),
    Kind("aws.ec2.client_vpn_endpoint", ("aws_ec2_client_vpn_endpoint",),
         ("AWS::EC2::ClientVpnEndpoint",),
         arn="arn:{partition}:ec2:{region}:{account}:client-vpn-endpoint/{id}",
         attributes={"client_cidr_block": "ClientCidrBlock",
                     "server_certificate_arn": "ServerCertificateArn"}),
    Kind("aws.ec2.client_vpn_network_association", ("aws_ec2_client_vpn_network_association",),
         ("AWS::EC2::ClientVpnTargetNetworkAssociation",), tag_attribute=None,
         attributes={"client_vpn_endpoint_id": "ClientVpnEndpointId",
                     "subnet_id": "SubnetId"}),
    Kind("aws.networkfirewall.firewall", ("aws_networkfirewall_firewall",),
         ("AWS::NetworkFirewall::Firewall",), id_attribute="name",
         arn="arn:{partition}:network-firewall:{region}:{account}:firewall/{name}",
         attributes={"name": "FirewallName", "firewall_policy_arn": "FirewallPolicyArn",
                     "vpc_id": "VpcId", "subnet_mapping": "SubnetMappings",
                     "delete_protection": "DeleteProtection"}),
    Kind("aws.dx.connection", ("aws_dx_connection",), id_attribute="name",
         arn="arn:{partition}:directconnect:{region}:{account}:dxcon/{id}"),
    Kind("aws.dx.gateway_association", ("aws_dx_gateway_association",), tag_attribute=None),
    Kind("aws.globalaccelerator.accelerator", ("aws_globalaccelerator_accelerator",),
         ("AWS::GlobalAccelerator::Accelerator",), id_attribute="name",
         attributes={"name": "Name", "ip_address_type": "IpAddressType",
                     "enabled": "Enabled"}),
    Kind("aws.globalaccelerator.endpoint_group", ("aws_globalaccelerator_endpoint_group",),
         ("AWS::GlobalAccelerator::EndpointGroup",), tag_attribute=None,
         attributes={"listener_arn": "ListenerArn",
                     "endpoint_group_region": "EndpointGroupRegion"}),
    Kind("aws.transfer.server", ("aws_transfer_server",), ("AWS::Transfer::Server",),
         arn="arn:{partition}:transfer:{region}:{account}:server/{id}",
         attributes={"protocols": "Protocols", "endpoint_type": "EndpointType",
                     "domain": "Domain", "identity_provider_type": "IdentityProviderType"}),
    Kind("aws.fsx.windows_file_system", ("aws_fsx_windows_file_system",),
         arn="arn:{partition}:fsx:{region}:{account}:file-system/{id}"),
    Kind("aws.fsx.openzfs_file_system", ("aws_fsx_openzfs_file_system",),
         arn="arn:{partition}:fsx:{region}:{account}:file-system/{id}"),
    # CloudFormation has one type for every FSx file system; `file_system_type` tells which.
    Kind("aws.fsx.file_system", (), ("AWS::FSx::FileSystem",),
         arn="arn:{partition}:fsx:{region}:{account}:file-system/{id}",
         attributes={"file_system_type": "FileSystemType",
                     "storage_capacity": "StorageCapacity", "storage_type": "StorageType",
                     "deployment_type": ("WindowsConfiguration.DeploymentType",
                                         "OpenZFSConfiguration.DeploymentType"),
                     "throughput_capacity": ("WindowsConfiguration.ThroughputCapacity",
                                             "OpenZFSConfiguration.ThroughputCapacity"),
                     "disk_iops_configuration.mode":
                         "OpenZFSConfiguration.DiskIopsConfiguration.Mode",
                     "disk_iops_configuration.iops":
                         "OpenZFSConfiguration.DiskIopsConfiguration.Iops"}),
    Kind("aws.codebuild.project", ("aws_codebuild_project",), ("AWS::CodeBuild::Project",),
         id_attribute="name", arn="arn:{partition}:codebuild:{region}:{account}:project/{name}",
         attributes={"name": "Name", "environment.type": "Environment.Type",
                     "environment.compute_type": "Environment.ComputeType",
                     "environment.image": "Environment.Image"}),
    Kind("aws.glue.job", ("aws_glue_job",), ("AWS::Glue::Job",), id_attribute="name",
         arn="arn:{partition}:glue:{region}:{account}:job/{name}",
         attributes={"name": "Name", "max_capacity": "MaxCapacity",
                     "number_of_workers": "NumberOfWorkers", "worker_type": "WorkerType",
                     "command.name": "Command.Name", "execution_class": "ExecutionClass"}),
    Kind("aws.glue.crawler", ("aws_glue_crawler",), ("AWS::Glue::Crawler",),
         id_attribute="name", arn="arn:{partition}:glue:{region}:{account}:crawler/{name}",
         attributes={"name": "Name", "database_name": "DatabaseName"}),
    Kind("aws.glue.catalog_database", ("aws_glue_catalog_database",), ("AWS::Glue::Database",),
         id_attribute="name", tag_attribute=None,
         attributes={"name": "DatabaseInput.Name"}),
    Kind("aws.mwaa.environment", ("aws_mwaa_environment",), ("AWS::MWAA::Environment",),
         id_attribute="name", arn="arn:{partition}:airflow:{region}:{account}:environment/{name}",
         attributes={"name": "Name", "environment_class": "EnvironmentClass",
                     "max_workers": "MaxWorkers", "min_workers": "MinWorkers"}),
    Kind("aws.kinesisanalyticsv2.application", ("aws_kinesisanalyticsv2_application",),
         ("AWS::KinesisAnalyticsV2::Application",), id_attribute="name",
         arn="arn:{partition}:kinesisanalytics:{region}:{account}:application/{name}",
         attributes={"name": "ApplicationName", "runtime_environment": "RuntimeEnvironment",
                     "service_execution_role": "ServiceExecutionRole"}),
    Kind("aws.kinesisanalyticsv2.application_snapshot",
         ("aws_kinesisanalyticsv2_application_snapshot",), tag_attribute=None),
    Kind("aws.kinesisanalytics.application", ("aws_kinesis_analytics_application",),
         ("AWS::KinesisAnalytics::Application",), id_attribute="name",
         arn="arn:{partition}:kinesisanalytics:{region}:{account}:application/{name}",
         attributes={"name": "ApplicationName"}),
    # CloudFormation has a type per directory type; Terraform one type with a `type`.
    Kind("aws.ds.directory", ("aws_directory_service_directory",),
         ("AWS::DirectoryService::SimpleAD", "AWS::DirectoryService::MicrosoftAD"),
         id_attribute="name", attributes={"name": "Name", "size": "Size", "edition": "Edition"}),
    Kind("aws.cloudhsm.hsm", ("aws_cloudhsm_v2_hsm",), tag_attribute=None),
    Kind("aws.grafana.workspace", ("aws_grafana_workspace",), ("AWS::Grafana::Workspace",),
         arn="arn:{partition}:grafana:{region}:{account}:/workspaces/{id}",
         attributes={"account_access_type": "AccountAccessType",
                     "authentication_providers": "AuthenticationProviders",
                     "permission_type": "PermissionType"}),
    Kind("aws.grafana.license_association", ("aws_grafana_license_association",),
         tag_attribute=None),
    Kind("aws.cloudformation.stack", ("aws_cloudformation_stack", "aws_cloudformation_stack_set"),
         ("AWS::CloudFormation::Stack", "AWS::CloudFormation::StackSet"), id_attribute="name",
         attributes={"name": "StackSetName", "template_body": "TemplateBody",
                     "template_url": "TemplateURL", "parameters": "Parameters"}),
    Kind("aws.acm.certificate", ("aws_acm_certificate",),
         ("AWS::CertificateManager::Certificate",),
         arn="arn:{partition}:acm:{region}:{account}:certificate/{id}",
         attributes={"domain_name": "DomainName", "validation_method": "ValidationMethod",
                     "certificate_authority_arn": "CertificateAuthorityArn",
                     "subject_alternative_names": "SubjectAlternativeNames"}),
    Kind("aws.ssm.activation", ("aws_ssm_activation",), id_attribute="name"),
    Kind("aws.elasticbeanstalk.environment", ("aws_elastic_beanstalk_environment",),
         ("AWS::ElasticBeanstalk::Environment",), id_attribute="name",
         attributes={"name": "EnvironmentName", "application": "ApplicationName",
                     "solution_stack_name": "SolutionStackName",
                     "setting.*.namespace": "OptionSettings.*.Namespace",
                     "setting.*.name": "OptionSettings.*.OptionName",
                     "setting.*.value": "OptionSettings.*.Value"}),
    Kind("aws.ec2.traffic_mirror_session", ("aws_ec2_traffic_mirror_session",),
         ("AWS::EC2::TrafficMirrorSession",),
         attributes={"network_interface_id": "NetworkInterfaceId",
                     "traffic_mirror_target_id": "TrafficMirrorTargetId",
                     "traffic_mirror_filter_id": "TrafficMirrorFilterId",
                     "session_number": "SessionNumber"}),
    Kind("aws.dms.replication_instance", ("aws_dms_replication_instance",),
         ("AWS::DMS::ReplicationInstance",), id_attribute="replication_instance_id",
         attributes={"replication_instance_id": "ReplicationInstanceIdentifier",
                     "replication_instance_class": "ReplicationInstanceClass",
                     "multi_az": "MultiAZ", "allocated_storage": "AllocatedStorage",
                     "publicly_accessible": "PubliclyAccessible"}),
    Kind("aws.ec2.security_group", ("aws_security_group",), ("AWS::EC2::SecurityGroup",),
         arn="arn:{partition}:ec2:{region}:{account}:security-group/{id}",
         attributes={"name": "GroupName", "vpc_id": "VpcId",
                     "ingress.*.protocol": "SecurityGroupIngress.*.IpProtocol",
                     "ingress.*.from_port": "SecurityGroupIngress.*.FromPort",
                     "ingress.*.to_port": "SecurityGroupIngress.*.ToPort",
                     "ingress.*.cidr_blocks": "SecurityGroupIngress.*.CidrIp",
                     "ingress.*.ipv6_cidr_blocks": "SecurityGroupIngress.*.CidrIpv6"}),
    Kind("aws.ec2.security_group_rule", ("aws_security_group_rule",), tag_attribute=None),
    Kind("aws.ec2.security_group_ingress", ("aws_vpc_security_group_ingress_rule",),
         ("AWS::EC2::SecurityGroupIngress",),
         attributes={"security_group_id": "GroupId", "ip_protocol": "IpProtocol",
                     "from_port": "FromPort", "to_port": "ToPort", "cidr_ipv4": "CidrIp",
                     "cidr_ipv6": "CidrIpv6"}),
    Kind("aws.elbv2.load_balancer", ("aws_lb", "aws_alb"),
         ("AWS::ElasticLoadBalancingV2::LoadBalancer",), id_attribute="name",
         attributes={"name": "Name", "load_balancer_type": "Type"}),
    Kind("aws.elbv2.listener", ("aws_lb_listener", "aws_alb_listener"),
         ("AWS::ElasticLoadBalancingV2::Listener",), id_attribute="arn",
         attributes={"protocol": "Protocol", "port": "Port",
                     "ssl_policy": "SslPolicy",
                     "default_action.*.type": "DefaultActions.*.Type",
                     "default_action.*.redirect.protocol":
                         "DefaultActions.*.RedirectConfig.Protocol"}),
    # ------------------------------------------------------------------ edge and audit
    Kind("aws.cloudfront.distribution", ("aws_cloudfront_distribution",),
         ("AWS::CloudFront::Distribution",), tag_attribute="tags",
         attributes={
             "default_cache_behavior.viewer_protocol_policy":
                 "DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy",
             "ordered_cache_behavior.*.viewer_protocol_policy":
                 "DistributionConfig.CacheBehaviors.*.ViewerProtocolPolicy",
             "viewer_certificate.minimum_protocol_version":
                 "DistributionConfig.ViewerCertificate.MinimumProtocolVersion",
             "web_acl_id": "DistributionConfig.WebACLId",
             "origin.*.custom_origin_config.origin_protocol_policy":
                 "DistributionConfig.Origins.*.CustomOriginConfig.OriginProtocolPolicy",
             "logging_config.bucket": "DistributionConfig.Logging.Bucket",
             # What the price model reads: shields, dedicated IPs, encryption, real-time logs.
             "origin.*.origin_shield.enabled": "DistributionConfig.Origins.*.OriginShield.Enabled",
             "origin.*.origin_shield.origin_shield_region":
                 "DistributionConfig.Origins.*.OriginShield.OriginShieldRegion",
             "viewer_certificate.ssl_support_method":
                 "DistributionConfig.ViewerCertificate.SslSupportMethod",
             "default_cache_behavior.field_level_encryption_id":
                 "DistributionConfig.DefaultCacheBehavior.FieldLevelEncryptionId",
             "ordered_cache_behavior.*.field_level_encryption_id":
                 "DistributionConfig.CacheBehaviors.*.FieldLevelEncryptionId",
             "default_cache_behavior.realtime_log_config_arn":
                 "DistributionConfig.DefaultCacheBehavior.RealtimeLogConfigArn",
             "ordered_cache_behavior.*.realtime_log_config_arn":
                 "DistributionConfig.CacheBehaviors.*.RealtimeLogConfigArn"}),
    Kind("aws.cloudfront.function", ("aws_cloudfront_function",),
         ("AWS::CloudFront::Function",), id_attribute="name", tag_attribute=None,
         attributes={"name": "Name", "runtime": "FunctionConfig.Runtime"}),
    Kind("aws.route53.zone", ("aws_route53_zone",), ("AWS::Route53::HostedZone",),
         id_attribute="name",
         attributes={"name": "Name", "comment": "HostedZoneConfig.Comment",
                     "vpc.*.vpc_id": "VPCs.*.VPCId"}),
    Kind("aws.route53.record", ("aws_route53_record",), ("AWS::Route53::RecordSet",),
         id_attribute="name", tag_attribute=None,
         attributes={"name": "Name", "type": "Type", "zone_id": "HostedZoneId",
                     "records": "ResourceRecords", "ttl": "TTL",
                     "alias.name": "AliasTarget.DNSName",
                     "alias.zone_id": "AliasTarget.HostedZoneId",
                     "alias.evaluate_target_health": "AliasTarget.EvaluateTargetHealth",
                     "latency_routing_policy.region": "Region",
                     "geolocation_routing_policy.continent": "GeoLocation.ContinentCode",
                     "geolocation_routing_policy.country": "GeoLocation.CountryCode",
                     "geolocation_routing_policy.subdivision": "GeoLocation.SubdivisionCode",
                     "geoproximity_routing_policy.aws_region": "GeoProximityLocation.AWSRegion",
                     "geoproximity_routing_policy.bias": "GeoProximityLocation.Bias",
                     "cidr_routing_policy.collection_id": "CidrRoutingConfig.CollectionId",
                     "cidr_routing_policy.location_name": "CidrRoutingConfig.LocationName"}),
    Kind("aws.route53.health_check", ("aws_route53_health_check",),
         ("AWS::Route53::HealthCheck",),
         attributes={"type": "HealthCheckConfig.Type",
                     "fqdn": "HealthCheckConfig.FullyQualifiedDomainName",
                     "ip_address": "HealthCheckConfig.IPAddress",
                     "port": "HealthCheckConfig.Port",
                     "resource_path": "HealthCheckConfig.ResourcePath",
                     "search_string": "HealthCheckConfig.SearchString",
                     "request_interval": "HealthCheckConfig.RequestInterval",
                     "failure_threshold": "HealthCheckConfig.FailureThreshold",
                     "measure_latency": "HealthCheckConfig.MeasureLatency"}),
    Kind("aws.route53resolver.endpoint", ("aws_route53_resolver_endpoint",),
         ("AWS::Route53Resolver::ResolverEndpoint",), id_attribute="name",
         attributes={"name": "Name", "direction": "Direction", "ip_address": "IpAddresses",
                     "security_group_ids": "SecurityGroupIds"}),
    Kind("aws.wafv2.web_acl", ("aws_wafv2_web_acl",), ("AWS::WAFv2::WebACL",),
         id_attribute="name",
         attributes={"name": "Name", "scope": "Scope", "rule.*.name": "Rules.*.Name",
                     "rule.*.statement.rule_group_reference_statement.arn":
                         "Rules.*.Statement.RuleGroupReferenceStatement.Arn",
                     "rule.*.statement.managed_rule_group_statement.name":
                         "Rules.*.Statement.ManagedRuleGroupStatement.Name",
                     "rule.*.statement.managed_rule_group_statement.vendor_name":
                         "Rules.*.Statement.ManagedRuleGroupStatement.VendorName"}),
    Kind("aws.waf.web_acl", ("aws_waf_web_acl",), ("AWS::WAF::WebACL",), id_attribute="name",
         attributes={"name": "Name", "metric_name": "MetricName",
                     "rules.*.rule_id": "Rules.*.RuleId", "rules.*.priority": "Rules.*.Priority"}),
    Kind("aws.wafregional.web_acl", ("aws_wafregional_web_acl",),
         ("AWS::WAFRegional::WebACL",), id_attribute="name",
         attributes={"name": "Name", "metric_name": "MetricName",
                     "rule.*.rule_id": "Rules.*.RuleId", "rule.*.priority": "Rules.*.Priority"}),
    Kind("aws.cloudtrail.trail", ("aws_cloudtrail",), ("AWS::CloudTrail::Trail",),
         id_attribute="name", arn="arn:{partition}:cloudtrail:{region}:{account}:trail/{name}",
         attributes={"name": "TrailName", "is_multi_region_trail": "IsMultiRegionTrail",
                     "enable_log_file_validation": "EnableLogFileValidation",
                     "kms_key_id": "KMSKeyId", "s3_bucket_name": "S3BucketName",
                     "cloud_watch_logs_group_arn": "CloudWatchLogsLogGroupArn",
                     "enable_logging": "IsLogging",
                     "include_global_service_events": "IncludeGlobalServiceEvents",
                     "event_selector.*.include_management_events":
                         "EventSelectors.*.IncludeManagementEvents",
                     "insight_selector.*.insight_type": "InsightSelectors.*.InsightType"}),
    Kind("aws.acmpca.certificate_authority", ("aws_acmpca_certificate_authority",),
         ("AWS::ACMPCA::CertificateAuthority",),
         attributes={"type": "Type", "usage_mode": "UsageMode",
                     "certificate_authority_configuration.key_algorithm": "KeyAlgorithm",
                     "certificate_authority_configuration.signing_algorithm":
                         "SigningAlgorithm"}),
    Kind("aws.backup.vault", ("aws_backup_vault",), ("AWS::Backup::BackupVault",),
         id_attribute="name", arn="arn:{partition}:backup:{region}:{account}:backup-vault:{name}",
         attributes={"name": "BackupVaultName", "kms_key_arn": "EncryptionKeyArn"}),
    Kind("aws.config.configuration_recorder", ("aws_config_configuration_recorder",),
         ("AWS::Config::ConfigurationRecorder",), id_attribute="name", tag_attribute=None,
         attributes={"name": "Name", "role_arn": "RoleARN",
                     "recording_mode.recording_frequency": "RecordingMode.RecordingFrequency"}),
    # Account rules and organization rules (managed, custom Lambda, custom policy): each
    # evaluation is billed alike.
    Kind("aws.config.rule", ("aws_config_config_rule", "aws_config_organization_managed_rule",
                             "aws_config_organization_custom_rule",
                             "aws_config_organization_custom_policy_rule"),
         ("AWS::Config::ConfigRule", "AWS::Config::OrganizationConfigRule"),
         id_attribute="name",
         attributes={"name": ("ConfigRuleName", "OrganizationConfigRuleName")}),
    Kind("aws.ssm.parameter", ("aws_ssm_parameter",), ("AWS::SSM::Parameter",),
         id_attribute="name", arn="arn:{partition}:ssm:{region}:{account}:parameter/{name}",
         attributes={"name": "Name", "type": "Type", "tier": "Tier", "value": "Value",
                     "data_type": "DataType", "description": "Description",
                     "policies": "Policies"}),
    # ------------------------------------------------------------------ events and apps
    Kind("aws.pipes.pipe", ("aws_pipes_pipe",), ("AWS::Pipes::Pipe",), id_attribute="name",
         arn="arn:{partition}:pipes:{region}:{account}:pipe/{name}",
         attributes={"name": "Name", "desired_state": "DesiredState"}),
    Kind("aws.scheduler.schedule", ("aws_scheduler_schedule",), ("AWS::Scheduler::Schedule",),
         id_attribute="name", tag_attribute=None,
         attributes={"name": "Name", "schedule_expression": "ScheduleExpression",
                     "state": "State"}),
    Kind("aws.events.api_destination", ("aws_cloudwatch_event_api_destination",),
         ("AWS::Events::ApiDestination",), id_attribute="name", tag_attribute=None,
         attributes={"name": "Name", "invocation_endpoint": "InvocationEndpoint"}),
    Kind("aws.kinesis.stream_consumer", ("aws_kinesis_stream_consumer",),
         ("AWS::Kinesis::StreamConsumer",), id_attribute="name",
         attributes={"name": "ConsumerName", "stream_arn": "StreamARN"}),
    Kind("aws.cognito.user_pool", ("aws_cognito_user_pool",), ("AWS::Cognito::UserPool",),
         id_attribute="name", tag_attribute=None,
         attributes={"name": "UserPoolName", "user_pool_tier": "UserPoolTier"}),
    Kind("aws.appsync.graphql_api", ("aws_appsync_graphql_api",),
         ("AWS::AppSync::GraphQLApi", "AWS::Serverless::GraphQLApi"), id_attribute="name",
         attributes={"name": "Name", "authentication_type": ("AuthenticationType", "Auth.Type"),
                     # SAM's own cache block; CloudFormation's is an AWS::AppSync::ApiCache
                     "cache.type": "Cache.Type"}),
    Kind("aws.appsync.api_cache", ("aws_appsync_api_cache",), ("AWS::AppSync::ApiCache",),
         id_attribute="api_id", tag_attribute=None, attributes={"api_id": "ApiId", "type": "Type"}),
    Kind("aws.rds.automated_backups_replication",
         ("aws_db_instance_automated_backups_replication",), tag_attribute=None,
         id_attribute="source_db_instance_arn"),
)

_BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
_BY_TYPE: dict[str, Kind] = {t: kind for kind in KINDS for t in kind.types}


def named(name: str) -> Kind:
    """The kind called `name`; a misspelt name is a programming error."""
    return _BY_NAME[name]


def of_type(resource_type: str) -> Kind | None:
    """The kind a Terraform, plan or CloudFormation type belongs to, if the table has it."""
    return _BY_TYPE.get(resource_type)


def types(*names: str) -> tuple[str, ...]:
    """Every type, in every format, of the named kinds: what a rule or pricer selects."""
    return tuple(t for name in names for t in named(name).types)


def identifier(resource: Resource) -> Any:
    """The value of the resource's id attribute (a function's name, a stage's name)."""
    kind = _BY_TYPE.get(resource.type)
    return resource.get(kind.id_attribute) if kind else None


def canonicalize(resource: Resource) -> Resource:
    """Set `resource.kind` and write each alias found under its canonical path (unknown
    paths too); the original properties stay where they are."""
    kind = _BY_TYPE.get(resource.type)
    if kind is None:
        return resource
    resource.kind = kind.name
    aliases = _compiled(kind, resource.format)
    if not aliases and not (kind.tag_attribute and resource.format == ALIASED_FORMAT):
        return resource
    attrs = dict(resource.attrs)
    for canonical, sources in aliases:
        for source in sources:
            _copy(resource.attrs, source, attrs, canonical)
    if kind.tag_attribute and CLOUDFORMATION_TAGS in attrs and resource.format == ALIASED_FORMAT:
        attrs.setdefault(kind.tag_attribute, dict(resource.tags))
    resource.attrs = attrs
    if resource.unknown:
        mapped = list(_canonical_unknowns(resource.unknown, aliases, kind.tag_attribute))
        resource.unknown = list(dict.fromkeys(resource.unknown + mapped))
    return resource


_Aliases = tuple[tuple[Path, tuple[Path, ...]], ...]
_COMPILED: dict[tuple[str, str], _Aliases] = {}


def _compiled(kind: Kind, format_name: str) -> _Aliases:
    key = (kind.name, format_name)
    if key not in _COMPILED:
        _COMPILED[key] = tuple(
            (tuple(canonical.split(".")), tuple(tuple(p.split(".")) for p in paths))
            for canonical, paths in kind.aliases(format_name).items())
    return _COMPILED[key]


def _copy(source: Any, path: Path, target: dict[str, Any], canonical: Path) -> None:
    """Copy the value at `path` of `source` to `canonical` in `target`, element by element
    through `*` steps; a value already written there (an earlier alias) is kept."""
    split = path.index(EACH) if EACH in path else len(path)
    value = _walk(source, path[:split])
    if value is None:
        return
    if split == len(path):
        _put(target, canonical, value)
        return
    at = canonical.index(EACH)
    items = _list_at(target, canonical[:at], value) if isinstance(value, list) else None
    for element, item in zip(value, items or (), strict=False):
        if isinstance(element, dict):
            _copy(element, path[split + 1:], item, canonical[at + 1:])


def _walk(value: Any, steps: Path) -> Any:
    for step in steps:
        value = value.get(step) if isinstance(value, dict) else None
    return value


def _parent(target: dict[str, Any], steps: Path) -> dict[str, Any] | None:
    """The mapping at `steps`, made where missing. Each mapping on the way is a copy: the
    loaded values are shared with the loaders' memory and never written to."""
    for step in steps:
        child = target.get(step, {})
        if not isinstance(child, dict):
            return None
        target[step] = child = dict(child)
        target = child
    return target


def _put(target: dict[str, Any], steps: Path, value: Any) -> None:
    parent = _parent(target, steps[:-1])
    if parent is not None:
        parent.setdefault(steps[-1], value)


def _list_at(target: dict[str, Any], steps: Path, like: list[Any]
             ) -> list[dict[str, Any]] | None:
    """The list of mappings at `steps`, made as long as `like` when not there yet."""
    parent = _parent(target, steps[:-1])
    if parent is None:
        return None
    items = parent.get(steps[-1], [{} for _ in like])
    if isinstance(items, list) and len(items) == len(like) \
            and all(isinstance(item, dict) for item in items):
        parent[steps[-1]] = items = [dict(item) for item in items]  # copies, as in _parent
        return items
    return None


def _canonical_unknowns(unknown: list[str], aliases: _Aliases,
                        tag_attribute: str | None) -> Iterator[str]:
    for path in unknown:
        steps = tuple(path.split("."))
        if tag_attribute and steps[0] == CLOUDFORMATION_TAGS:
            yield tag_attribute
        for canonical, sources in aliases:
            for source in sources:
                mapped = _renamed(steps, source, canonical)
                if mapped:
                    yield mapped


def _renamed(steps: Path, source: Path, canonical: Path) -> str | None:
    """`steps` (an unknown path) under its canonical name when it is `source`, lies inside
    it, or contains it; list indexes fill the `*` steps."""
    indexes: list[str] = []
    for step, expected in zip(steps, source, strict=False):
        if expected == EACH and step.isdigit():
            indexes.append(step)
        elif step != expected:
            return None
    renamed: list[str] = []
    filled = iter(indexes)
    for step in canonical:
        if step == EACH:
            index = next(filled, None)
            if index is None:  # the unknown path stops above this list: all of it
                break
            renamed.append(index)
        else:
            renamed.append(step)
    return ".".join(renamed + list(steps[len(source):]))
