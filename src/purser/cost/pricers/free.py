"""Resource types that cost nothing by themselves: recognised, so they are neither priced
nor reported as unpriced (the estimate lists them under `free`).

Some enable costs elsewhere (an Ingress may create a load balancer, a Lambda permission lets
API Gateway call a priced function): those costs belong to the resources that bill them.
"""

from __future__ import annotations

from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext

FREE_TYPES = (
    # AWS identity and access
    "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
    "aws_iam_instance_profile", "aws_iam_user_policy_attachment", "aws_iam_group",
    "aws_iam_group_policy_attachment", "aws_iam_service_linked_role",
    "aws_iam_openid_connect_provider",
    # AWS networking
    "aws_vpc", "aws_subnet", "aws_route_table", "aws_route", "aws_route_table_association",
    "aws_internet_gateway", "aws_egress_only_internet_gateway", "aws_security_group",
    "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule", "aws_network_acl", "aws_network_acl_rule",
    "aws_default_security_group", "aws_default_route_table", "aws_default_network_acl",
    "aws_vpc_dhcp_options", "aws_vpc_dhcp_options_association", "aws_db_subnet_group",
    "aws_elasticache_subnet_group", "aws_vpc_endpoint_route_table_association",
    # AWS bills a VPN gateway's connections and a transit gateway's attachments (priced on
    # those resources), not the gateway itself
    "aws_vpn_gateway", "aws_ec2_transit_gateway", "AWS::EC2::VPNGateway",
    "AWS::EC2::TransitGateway",
    # AWS compute wiring
    "aws_lambda_permission", "aws_lambda_event_source_mapping", "aws_lambda_alias",
    "aws_lambda_function_event_invoke_config", "aws_lambda_layer_version",
    "aws_ecs_cluster", "aws_ecs_task_definition", "aws_ecs_cluster_capacity_providers",
    "aws_ecs_task_set",  # its tasks are priced on the service it deploys
    "aws_lb_listener", "aws_lb_listener_rule", "aws_lb_target_group",
    "aws_lb_target_group_attachment", "aws_alb_listener", "aws_alb_target_group",
    "aws_appautoscaling_target", "aws_appautoscaling_policy", "aws_launch_template",
    "aws_launch_configuration", "AWS::EC2::LaunchTemplate",
    "AWS::AutoScaling::LaunchConfiguration",  # priced as the instances launched from them
    "aws_autoscaling_policy", "aws_key_pair", "aws_placement_group",
    # AWS API Gateway wiring
    "aws_apigatewayv2_route", "aws_apigatewayv2_integration", "aws_apigatewayv2_stage",
    "aws_apigatewayv2_deployment", "aws_apigatewayv2_authorizer",
    "aws_apigatewayv2_api_mapping", "aws_api_gateway_resource", "aws_api_gateway_method",
    "aws_api_gateway_integration", "aws_api_gateway_deployment",
    "aws_api_gateway_method_response", "aws_api_gateway_integration_response",
    "aws_api_gateway_authorizer", "aws_api_gateway_method_settings",
    # AWS messaging, storage and logging settings
    "aws_sqs_queue_policy", "aws_sqs_queue_redrive_policy",
    "aws_sns_topic_policy", "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target",
    "aws_cloudwatch_log_subscription_filter", "aws_cloudwatch_log_resource_policy",
    "aws_s3_bucket_policy", "aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_acl",
    "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_notification", "aws_s3_bucket_cors_configuration",
    "aws_s3_bucket_website_configuration", "aws_s3_bucket_logging",
    "aws_kms_alias", "aws_kms_grant", "aws_secretsmanager_secret_version",
    "aws_secretsmanager_secret_policy", "aws_secretsmanager_secret_rotation",
    "aws_dynamodb_table_item",
    # AWS database, cache, search and broker settings
    "aws_db_parameter_group", "aws_db_option_group", "aws_rds_cluster_parameter_group",
    "aws_docdb_cluster_parameter_group", "aws_docdb_subnet_group",
    "aws_neptune_parameter_group", "aws_neptune_cluster_parameter_group",
    "aws_neptune_subnet_group", "aws_elasticache_parameter_group", "aws_elasticache_user",
    "aws_elasticache_user_group", "aws_opensearch_domain_policy",
    "aws_elasticsearch_domain_policy", "aws_opensearchserverless_security_policy",
    "aws_opensearchserverless_access_policy", "aws_mq_configuration", "aws_msk_configuration",
    # AWS edge, DNS, firewall, file system, registry, audit and backup settings: what they
    # cost is billed on the distribution, zone, web ACL, file system, CA or vault they serve
    "aws_cloudfront_origin_access_control", "aws_cloudfront_origin_access_identity",
    "aws_cloudfront_cache_policy", "aws_cloudfront_origin_request_policy",
    "aws_cloudfront_response_headers_policy", "aws_cloudfront_public_key",
    "aws_cloudfront_key_group", "aws_cloudfront_realtime_log_config",
    "aws_route53_zone_association", "aws_route53_query_log", "aws_route53_resolver_rule",
    "aws_route53_resolver_rule_association", "aws_wafv2_web_acl_association",
    "aws_wafv2_ip_set", "aws_wafv2_regex_pattern_set", "aws_wafv2_rule_group",
    "aws_wafv2_web_acl_logging_configuration", "aws_waf_ipset", "aws_waf_rule",
    "aws_efs_mount_target", "aws_efs_access_point", "aws_efs_file_system_policy",
    "aws_efs_backup_policy", "aws_ecr_repository_policy", "aws_ecr_lifecycle_policy",
    "aws_config_delivery_channel", "aws_config_configuration_recorder_status",
    "aws_backup_plan", "aws_backup_selection", "aws_backup_vault_policy",
    "aws_acmpca_certificate_authority_certificate", "aws_acmpca_permission",
    "aws_acmpca_policy",
    # CloudFormation equivalents
    "AWS::RDS::DBParameterGroup", "AWS::RDS::DBClusterParameterGroup", "AWS::RDS::OptionGroup",
    "AWS::RDS::DBSubnetGroup", "AWS::DocDB::DBClusterParameterGroup", "AWS::DocDB::DBSubnetGroup",
    "AWS::Neptune::DBParameterGroup", "AWS::Neptune::DBClusterParameterGroup",
    "AWS::Neptune::DBSubnetGroup", "AWS::ElastiCache::ParameterGroup",
    "AWS::ElastiCache::SubnetGroup", "AWS::ElastiCache::User", "AWS::ElastiCache::UserGroup",
    "AWS::OpenSearchServerless::SecurityPolicy", "AWS::OpenSearchServerless::AccessPolicy",
    "AWS::AmazonMQ::Configuration", "AWS::MSK::Configuration",
    "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
    "AWS::IAM::InstanceProfile", "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable",
    "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::InternetGateway",
    "AWS::EC2::VPCGatewayAttachment", "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress",
    "AWS::Lambda::Permission", "AWS::Lambda::EventSourceMapping", "AWS::Lambda::Alias",
    "AWS::Lambda::Version", "AWS::Lambda::LayerVersion", "AWS::Serverless::LayerVersion",
    "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Stage",
    "AWS::ApiGatewayV2::Deployment", "AWS::ApiGateway::Resource", "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Deployment", "AWS::SQS::QueuePolicy",
    "AWS::SNS::TopicPolicy", "AWS::Events::Rule",
    "AWS::S3::BucketPolicy", "AWS::KMS::Alias", "AWS::ECS::Cluster",
    "AWS::ECS::TaskDefinition", "AWS::ECS::TaskSet",
    "AWS::ECS::ClusterCapacityProviderAssociations", "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::CloudFront::OriginAccessControl", "AWS::CloudFront::CloudFrontOriginAccessIdentity",
    "AWS::CloudFront::CachePolicy", "AWS::CloudFront::OriginRequestPolicy",
    "AWS::CloudFront::ResponseHeadersPolicy", "AWS::CloudFront::PublicKey",
    "AWS::CloudFront::KeyGroup", "AWS::CloudFront::RealtimeLogConfig",
    "AWS::Route53Resolver::ResolverRule", "AWS::Route53Resolver::ResolverRuleAssociation",
    "AWS::WAFv2::WebACLAssociation", "AWS::WAFv2::IPSet", "AWS::WAFv2::RegexPatternSet",
    "AWS::WAFv2::RuleGroup", "AWS::WAFv2::LoggingConfiguration", "AWS::EFS::MountTarget",
    "AWS::EFS::AccessPoint", "AWS::Config::DeliveryChannel", "AWS::Backup::BackupPlan",
    "AWS::Backup::BackupSelection", "AWS::ACMPCA::CertificateAuthorityActivation",
    "AWS::ACMPCA::Permission",
    # AWS tags, EKS access and add-ons: EKS bills the cluster and its nodes; an add-on's pods
    # run on those nodes and are priced there
    "aws_ec2_tag", "aws_eks_access_entry", "aws_eks_access_policy_association",
    "aws_eks_addon", "aws_eks_pod_identity_association", "AWS::EKS::AccessEntry",
    "AWS::EKS::Addon", "AWS::EKS::PodIdentityAssociation",
    # Lambda function URLs: their invocations are billed as the function's requests
    "aws_lambda_function_url", "AWS::Lambda::Url", "aws_lambda_code_signing_config",
    "AWS::Lambda::CodeSigningConfig",
    # S3 objects and access points: their bytes and requests are the bucket's usage
    "aws_s3_object", "aws_s3_bucket_object", "aws_s3_object_copy", "aws_s3_access_point",
    "AWS::S3::AccessPoint",
    # AppSync wiring: AppSync bills the API's operations, updates and cache, not these
    "aws_appsync_resolver", "aws_appsync_datasource", "aws_appsync_function",
    "aws_appsync_api_key", "AWS::AppSync::Resolver", "AWS::AppSync::DataSource",
    "AWS::AppSync::FunctionConfiguration", "AWS::AppSync::GraphQLSchema",
    "AWS::AppSync::ApiKey",
    # EventBridge settings: a connection's secret is included in the API destination's
    # invocation price (EventBridge user guide); schedule groups and schema registries
    # are free, the schedules and discovered events are what bill
    "aws_cloudwatch_event_connection", "AWS::Events::Connection",
    "aws_scheduler_schedule_group", "AWS::Scheduler::ScheduleGroup",
    "AWS::EventSchemas::Registry", "AWS::EventSchemas::Schema",
    # IAM is free: users, keys, groups, inline and attached policies, identity providers
    "aws_iam_policy_attachment", "aws_iam_user", "aws_iam_user_policy",
    "aws_iam_access_key", "aws_iam_group_membership", "aws_iam_group_policy",
    "aws_iam_user_group_membership", "aws_iam_saml_provider", "aws_iam_role_policies_exclusive",
    "aws_iam_role_policy_attachments_exclusive", "AWS::IAM::RolePolicy", "AWS::IAM::User",
    "AWS::IAM::UserPolicy", "AWS::IAM::Group", "AWS::IAM::GroupPolicy", "AWS::IAM::AccessKey",
    "AWS::IAM::UserToGroupAddition", "AWS::IAM::ServiceLinkedRole", "AWS::IAM::OIDCProvider",
    "AWS::IAM::SAMLProvider", "aws_db_instance_role_association",
    # Cognito settings: a user pool bills its monthly active users, identity pools are free
    "aws_cognito_user_pool_client", "aws_cognito_user_pool_domain", "aws_cognito_user_group",
    "aws_cognito_resource_server", "aws_cognito_identity_pool",
    "aws_cognito_identity_pool_roles_attachment", "AWS::Cognito::UserPoolClient",
    "AWS::Cognito::UserPoolDomain", "AWS::Cognito::UserPoolGroup",
    "AWS::Cognito::UserPoolResourceServer", "AWS::Cognito::UserPoolUser",
    "AWS::Cognito::IdentityPool", "AWS::Cognito::IdentityPoolRoleAttachment",
    # API Gateway settings: the API bills its calls; a REST VPC link's load balancer is
    # priced on its own, an HTTP API VPC link has no charge
    "aws_api_gateway_usage_plan", "aws_api_gateway_api_key", "aws_api_gateway_usage_plan_key",
    "aws_api_gateway_request_validator", "aws_api_gateway_model", "aws_api_gateway_account",
    "aws_api_gateway_rest_api_policy", "aws_api_gateway_vpc_link",
    "aws_api_gateway_base_path_mapping", "aws_apigatewayv2_integration_response",
    "aws_apigatewayv2_route_response", "aws_apigatewayv2_model", "aws_apigatewayv2_vpc_link",
    "AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::ApiKey", "AWS::ApiGateway::UsagePlanKey",
    "AWS::ApiGateway::RequestValidator", "AWS::ApiGateway::Model",
    "AWS::ApiGateway::Authorizer", "AWS::ApiGateway::Account", "AWS::ApiGateway::VpcLink",
    "AWS::ApiGateway::BasePathMapping", "AWS::ApiGateway::BasePathMappingV2",
    "AWS::ApiGateway::ClientCertificate", "AWS::ApiGatewayV2::IntegrationResponse",
    "AWS::ApiGatewayV2::RouteResponse", "AWS::ApiGatewayV2::ApiMapping",
    "AWS::ApiGatewayV2::Authorizer", "AWS::ApiGatewayV2::Model", "AWS::ApiGatewayV2::VpcLink",
    # More wiring whose cost is the resources it connects: listener rules, log streams and
    # filters (ingestion and storage bill on the group), peering (transfer bills per GB)
    "aws_alb_target_group_attachment", "AWS::ElasticLoadBalancingV2::ListenerRule",
    "aws_cloudwatch_log_stream", "AWS::Logs::LogStream", "AWS::Logs::SubscriptionFilter",
    "AWS::Logs::ResourcePolicy", "AWS::SecretsManager::SecretTargetAttachment",
    "AWS::ApplicationAutoScaling::ScalableTarget", "AWS::ApplicationAutoScaling::ScalingPolicy",
    "aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter",
    "AWS::EC2::VPCPeeringConnection", "AWS::EC2::KeyPair", "aws_acm_certificate_validation",
    "aws_rbin_rule",  # what a Recycle Bin keeps is billed as the snapshots it holds
    "AWS::ResourceGroups::Group", "AWS::IoT::Thing", "AWS::IoT::Policy",
    # Configuration whose use is billed elsewhere: AppConfig bills its clients' requests,
    # Glue its jobs and crawlers, State Manager and SSM documents nothing for EC2 (an
    # automation's steps bill per run), SES the mail an identity sends, RDS events the SNS
    # topic they go to, a proxy's targets the proxy; custom API domains, the schema
    # registry, Signer, Roles Anywhere and EC2 Instance Connect endpoints cost nothing
    "aws_appconfig_application", "aws_appconfig_environment",
    "aws_appconfig_configuration_profile", "aws_appconfig_deployment_strategy",
    "aws_appconfig_hosted_configuration_version", "aws_appconfig_deployment",
    "AWS::AppConfig::Application", "AWS::AppConfig::Environment",
    "AWS::AppConfig::ConfigurationProfile", "AWS::AppConfig::DeploymentStrategy",
    "AWS::AppConfig::HostedConfigurationVersion", "AWS::AppConfig::Deployment",
    "aws_glue_trigger", "aws_glue_workflow", "aws_glue_registry", "aws_glue_schema",
    "AWS::Glue::Trigger", "AWS::Glue::Workflow", "AWS::Glue::Registry", "AWS::Glue::Schema",
    "aws_ssm_document", "aws_ssm_association", "AWS::SSM::Document", "AWS::SSM::Association",
    "aws_ses_email_identity", "aws_ses_domain_identity", "aws_sesv2_email_identity",
    "AWS::SES::EmailIdentity", "aws_db_event_subscription", "AWS::RDS::EventSubscription",
    "aws_db_proxy_default_target_group", "aws_db_proxy_target",
    "AWS::RDS::DBProxyTargetGroup", "AWS::MSK::BatchScramSecret", "AWS::Logs::AccountPolicy",
    "aws_transfer_user", "aws_transfer_ssh_key", "AWS::Transfer::User",
    "aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name",
    "aws_api_gateway_domain_name_access_association", "AWS::ApiGateway::DomainName",
    "AWS::ApiGateway::DomainNameV2", "AWS::ApiGateway::DomainNameAccessAssociation",
    "AWS::ApiGatewayV2::DomainName", "aws_codedeploy_app", "AWS::CodeDeploy::Application",
    "aws_signer_signing_profile", "aws_signer_signing_job", "AWS::Signer::SigningProfile",
    "aws_rolesanywhere_profile",
    "aws_rolesanywhere_trust_anchor", "AWS::RolesAnywhere::Profile",
    "AWS::RolesAnywhere::TrustAnchor", "aws_ec2_instance_connect_endpoint",
    "AWS::EC2::InstanceConnectEndpoint",
    # Batch job definitions and queues: Batch bills nothing itself; the instances or Fargate
    # tasks of a compute environment do (not free: those are not known statically)
    "aws_batch_job_definition", "aws_batch_job_queue", "aws_batch_scheduling_policy",
    "AWS::Batch::JobDefinition", "AWS::Batch::JobQueue", "AWS::Batch::SchedulingPolicy",
    # Things put inside priced infrastructure: a Helm release's pods run on the cluster's
    # nodes, RabbitMQ objects in the broker, a Docker image is built where Terraform runs
    # and, pushed, is the registry's storage
    "helm_release", "docker_image", "docker_registry_image", "rabbitmq_queue",
    "rabbitmq_binding", "rabbitmq_exchange", "rabbitmq_policy", "rabbitmq_vhost",
    "rabbitmq_user", "rabbitmq_permissions", "rabbitmq_federation_upstream",
    # Kubernetes objects that run nothing
    "core/ConfigMap", "core/Secret", "core/Namespace", "core/ServiceAccount",
    "core/LimitRange", "core/ResourceQuota", "core/Endpoints",
    "networking.k8s.io/NetworkPolicy", "networking.k8s.io/Ingress",
    "networking.k8s.io/IngressClass", "autoscaling/HorizontalPodAutoscaler",
    "policy/PodDisruptionBudget", "rbac.authorization.k8s.io/Role",
    "rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRole",
    "rbac.authorization.k8s.io/ClusterRoleBinding", "scheduling.k8s.io/PriorityClass",
    "serving.knative.dev/Route", "serving.knative.dev/Configuration",
    "serving.knative.dev/Revision", "kustomize.config.k8s.io/Kustomization",
    "storage.k8s.io/StorageClass",  # its volumes are priced on the claims
    # Monitoring, mesh and routing settings: their pods and load balancers, if any, are
    # priced on the workloads and Services that run them, as an Ingress is
    "monitoring.coreos.com/ServiceMonitor", "monitoring.coreos.com/PodMonitor",
    "monitoring.coreos.com/PrometheusRule", "networking.istio.io/VirtualService",
    "networking.istio.io/DestinationRule", "networking.istio.io/ServiceEntry",
    "networking.istio.io/Gateway", "gateway.networking.k8s.io/Gateway",
    "gateway.networking.k8s.io/GatewayClass", "gateway.networking.k8s.io/HTTPRoute",
    "gateway.networking.k8s.io/GRPCRoute", "policy/PodSecurityPolicy",
    "apiregistration.k8s.io/APIService",
    "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
    "admissionregistration.k8s.io/MutatingWebhookConfiguration",
    "admissionregistration.k8s.io/InitializerConfiguration",
)


@prices(*FREE_TYPES)
def free(ctx: PricingContext) -> None:
    """No cost lines: the estimate records the resource as free."""
