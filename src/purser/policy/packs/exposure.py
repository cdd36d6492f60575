"""Security pack, exposure: endpoints reachable from the internet, instance metadata,
secrets in boot scripts, old TLS and plain HTTP at the edge.

(Public databases, open security groups and HTTP listeners have their rules in
security.py and compliance.py.)
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

from purser import kinds
from purser.model import Category, Resource, Severity, dig
from purser.policy import secrets
from purser.policy.declarative import AttributeRule, Expect
from purser.policy.rule import Rule, RuleContext, Violation, rule

IN_TRANSIT = ("HIPAA 164.312(e)(1)", "PCI-DSS 4.2.1", "SOC 2 CC6.7")
WORLD = ("0.0.0.0/0", "::/0")


class _SecurityRule(AttributeRule):
    category = Category.security
    pack = "security"


@rule
class EksPublicEndpoint(Rule):
    id = "PUR-SEC-063"
    title = "EKS API endpoint is open to the whole internet"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.eks.cluster")
    frameworks = ("AWS-FSBP EKS.1", "CIS-EKS 5.4.2", "SOC 2 CC6.6")
    remediation = ("Set vpc_config { endpoint_public_access = false, endpoint_private_access "
                   "= true }, or limit public_access_cidrs to your office or CI ranges.")
    equivalents = {"checkov": ("CKV_AWS_38", "CKV_AWS_39")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        public, cidrs = "vpc_config.endpoint_public_access", "vpc_config.public_access_cidrs"
        if resource.is_unknown(public) or resource.is_unknown(cidrs):
            return
        if str(resource.get(public, True)).lower() == "false":
            return
        allowed = resource.get(cidrs) or ["0.0.0.0/0"]  # AWS's default when left out
        if any(c in WORLD for c in allowed if isinstance(c, str)):
            yield "the Kubernetes API endpoint is public and accepts 0.0.0.0/0"


@rule
class SearchOutsideVpc(_SecurityRule):
    id = "PUR-SEC-064"
    title = "OpenSearch/Elasticsearch domain has a public endpoint"
    severity = Severity.medium
    resource_types = kinds.types("aws.opensearch.domain")
    frameworks = ("AWS-FSBP ES.2", "AWS-FSBP Opensearch.2", "SOC 2 CC6.6")
    equivalents = {"checkov": ("CKV_AWS_137",)}
    remediation = ("Place the domain in a VPC (vpc_options { subnet_ids, security_group_ids }; "
                   "VPCOptions), reached through the application's security group.")
    path, expect = "vpc_options.subnet_ids", Expect(present=True)
    message = "domain is outside any VPC: its endpoint is on the internet, guarded by its " \
              "access policy alone"


# Where instance metadata options live, whatever launches the instance.
METADATA_KINDS = ("aws.ec2.instance", "aws.ec2.launch_template", "aws.ec2.launch_configuration")


@rule
class InstanceMetadataV1(Rule):
    id = "PUR-SEC-065"
    title = "Instance metadata service accepts IMDSv1"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = kinds.types(*METADATA_KINDS)
    frameworks = ("AWS-FSBP EC2.8", "AWS-FSBP AutoScaling.3", "SOC 2 CC6.1")
    remediation = ("Set metadata_options { http_tokens = \"required\" } (MetadataOptions."
                   "HttpTokens: required) so a request forgery cannot read role credentials.")
    equivalents = {"checkov": ("CKV_AWS_79",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        tokens, endpoint = "metadata_options.http_tokens", "metadata_options.http_endpoint"
        if resource.is_unknown(tokens) or str(resource.get(endpoint)).lower() == "disabled":
            return
        value = resource.get(tokens)
        if value is None:
            # The default is the AMI's (AL2023 requires tokens) or the account's setting.
            yield Violation("http_tokens is not set: IMDSv1 stays on unless the AMI or the "
                            "account default requires tokens", severity=Severity.medium)
        elif str(value).lower() != "required":
            yield Violation(f'http_tokens is "{value}": IMDSv1 answers without a session '
                            "token, so a server-side request forgery can steal the role's "
                            "credentials")


# NAME=value, NAME: value, export NAME="value" in a boot script.
ASSIGNMENT = re.compile(r"""(?:export\s+)?([A-Za-z_][\w.-]*)\s*[=:]\s*["']?([^\s"']+)""")


@rule
class SecretInUserData(Rule):
    id = "PUR-SEC-066"
    title = "Secret written in clear in an instance's user data"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = kinds.types(*METADATA_KINDS)
    frameworks = ("AWS-FSBP EC2.171", "PCI-DSS 8.6.2", "SOC 2 CC6.1")
    remediation = ("Read secrets at boot from Secrets Manager or SSM Parameter Store with "
                   "the instance role; user data is readable by anyone who can describe "
                   "the instance.")
    equivalents = {"checkov": ("CKV_AWS_46",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        script = _script(resource.get("user_data") or resource.get("user_data_base64"))
        if script is None:
            return
        for line in script.splitlines()[:5000]:
            for name, value in ASSIGNMENT.findall(line) or [("", line)]:
                found = secrets.judge(name, value)
                if found and found.severity is Severity.critical:
                    yield Violation(f"user data sets {name or 'a value'} to {found.why}",
                                    evidence={"variable": name, "value": secrets.mask(value)})
                    return


BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


def _script(value: object) -> str | None:
    """The boot script as text: CloudFormation (Fn::Base64) and `user_data_base64` hand
    it over base64-encoded, Terraform's `user_data` as written."""
    if not isinstance(value, str):
        return None
    if len(value) % 4 == 0 and len(value) >= 8 and BASE64.match(value):
        try:
            return base64.b64decode(value, validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return value
    return value


OUTDATED_LISTENER_POLICIES = re.compile(
    r"^ELBSecurityPolicy-(2015-05|2016-08|TLS-1-0-2015-04|TLS-1-1-2017-01|FS-2018-06|"
    r"FS-1-1-2019-08)$|^ELBSecurityPolicy-2015|TLS-1-0|TLS-1-1", re.IGNORECASE)


@rule
class ListenerOutdatedTls(Rule):
    id = "PUR-SEC-067"
    title = "Load balancer listener accepts TLS 1.0 or 1.1"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.elbv2.listener")
    frameworks = ("AWS-FSBP ELB.17", *IN_TRANSIT)
    remediation = ("Set ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.2 and 1.3 "
                   "only).")
    equivalents = {"checkov": ("CKV_AWS_103",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        policy = resource.get("ssl_policy")
        protocol = str(resource.get("protocol") or "").upper()
        if protocol in ("HTTPS", "TLS") and isinstance(policy, str) \
                and OUTDATED_LISTENER_POLICIES.search(policy):
            yield f'ssl_policy "{policy}" still negotiates TLS 1.0 or 1.1'
        elif protocol in ("HTTPS", "TLS") and resource.missing("ssl_policy"):
            yield "no ssl_policy: the default ELBSecurityPolicy-2016-08 negotiates TLS 1.0"


VIEWER_POLICIES = ("default_cache_behavior.viewer_protocol_policy",
                   "ordered_cache_behavior.*.viewer_protocol_policy")
OLD_VIEWER_TLS = re.compile(r"^(SSLv3|TLSv1|TLSv1_2016|TLSv1\.1_2016)$", re.IGNORECASE)


@rule
class CloudFrontAllowsHttp(Rule):
    id = "PUR-SEC-068"
    title = "CloudFront distribution serves viewers over plain HTTP"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.cloudfront.distribution")
    frameworks = ("AWS-FSBP CloudFront.3", *IN_TRANSIT)
    remediation = ("Set viewer_protocol_policy = \"redirect-to-https\" (or https-only) on "
                   "every cache behaviour, and minimum_protocol_version = \"TLSv1.2_2021\".")
    equivalents = {"checkov": ("CKV_AWS_34", "CKV_AWS_174")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        behaviours = [resource.get(VIEWER_POLICIES[0])] + [
            b.get("viewer_protocol_policy") for b in resource.get("ordered_cache_behavior") or []
            if isinstance(b, dict)]
        if "allow-all" in behaviours:
            yield "a cache behaviour has viewer_protocol_policy allow-all: pages and cookies " \
                  "travel over HTTP"
        minimum = resource.get("viewer_certificate.minimum_protocol_version")
        if isinstance(minimum, str) and OLD_VIEWER_TLS.match(minimum):
            yield f'minimum_protocol_version "{minimum}" accepts TLS older than 1.2'


@rule
class RedshiftPublic(_SecurityRule):
    id = "PUR-SEC-097"
    title = "Redshift cluster is publicly accessible"
    severity = Severity.high
    resource_types = kinds.types("aws.redshift.cluster")
    frameworks = ("AWS-FSBP Redshift.1", "PCI-DSS 1.3.1", "SOC 2 CC6.6")
    remediation = "Set publicly_accessible = false (PubliclyAccessible) and query from the VPC."
    equivalents = {"checkov": ("CKV_AWS_87",)}
    path, expect, default = "publicly_accessible", Expect(not_equals=True), False
    message = "the warehouse has a public endpoint (publicly_accessible is {value})"


@rule
class SearchOutdatedTls(_SecurityRule):
    id = "PUR-SEC-098"
    title = "OpenSearch/Elasticsearch domain accepts TLS 1.0 and 1.1"
    severity = Severity.medium
    resource_types = kinds.types("aws.opensearch.domain")
    frameworks = ("AWS-FSBP ES.8", *IN_TRANSIT)
    remediation = ("Set domain_endpoint_options { tls_security_policy = "
                   "\"Policy-Min-TLS-1-2-PFS-2023-10\" } (DomainEndpointOptions).")
    equivalents = {"checkov": ("CKV_AWS_228",)}
    path = "domain_endpoint_options.tls_security_policy"
    expect, default = Expect(not_equals="Policy-Min-TLS-1-0-2019-07"), "Policy-Min-TLS-1-0-2019-07"
    when = {"domain_endpoint_options.enforce_https": Expect(equals=True)}  # else PUR-SEC-054
    message = "tls_security_policy is {value}: clients may still negotiate TLS 1.0"


@rule
class LaunchConfigurationPublicIp(_SecurityRule):
    id = "PUR-SEC-099"
    title = "Auto Scaling instances get public IP addresses"
    severity = Severity.medium
    resource_types = kinds.types("aws.ec2.launch_configuration")
    frameworks = ("AWS-FSBP AutoScaling.5", "SOC 2 CC6.6")
    remediation = ("Set associate_public_ip_address = false and reach the instances through "
                   "a load balancer.")
    equivalents = {"checkov": ("CKV_AWS_88",)}
    path, expect, default = "associate_public_ip_address", Expect(not_equals=True), False
    message = "every instance launched gets a public address (associate_public_ip_address " \
              "is {value})"


@rule
class SubnetPublicIp(_SecurityRule):
    id = "PUR-SEC-100"
    title = "Subnet gives every instance a public IP address"
    severity = Severity.low
    resource_types = kinds.types("aws.ec2.subnet")
    frameworks = ("AWS-FSBP EC2.15", "SOC 2 CC6.6")
    remediation = ("Set map_public_ip_on_launch = false; give public addresses only to what "
                   "must be reached directly (load balancers, NAT gateways).")
    equivalents = {"checkov": ("CKV_AWS_130",)}
    path, expect, default = "map_public_ip_on_launch", Expect(not_equals=True), False
    message = "instances launched here are on the internet (map_public_ip_on_launch is {value})"


@rule
class NotebookInternetAccess(_SecurityRule):
    id = "PUR-SEC-101"
    title = "SageMaker notebook has direct internet access"
    severity = Severity.medium
    resource_types = kinds.types("aws.sagemaker.notebook_instance")
    frameworks = ("AWS-FSBP SageMaker.1", "SOC 2 CC6.6")
    remediation = ("Set direct_internet_access = \"Disabled\" (DirectInternetAccess) and give "
                   "the notebook a subnet_id with the VPC endpoints it needs.")
    equivalents = {"checkov": ("CKV_AWS_122",)}
    path, expect, default = "direct_internet_access", Expect(equals="Disabled"), "Enabled"
    message = "data can leave the notebook straight to the internet " \
              "(direct_internet_access is {value})"


@rule
class OriginOverHttp(Rule):
    id = "PUR-SEC-122"
    title = "CloudFront fetches from a custom origin over plain HTTP"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.cloudfront.distribution")
    frameworks = ("AWS-FSBP CloudFront.9", *IN_TRANSIT)
    remediation = "Set custom_origin_config { origin_protocol_policy = \"https-only\" }."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        for origin in resource.get("origin") or []:
            if not isinstance(origin, dict):
                continue
            config = origin.get("custom_origin_config")
            config = config[0] if isinstance(config, list) and config else config
            policy = config.get("origin_protocol_policy") if isinstance(config, dict) else None
            if policy in ("http-only", "match-viewer"):
                yield f"origin {origin.get('origin_id') or origin.get('domain_name')} is " \
                      f"fetched with {policy}: traffic behind CloudFront may be plaintext"


@rule
class ServiceExternalIps(Rule):
    id = "PUR-SEC-123"
    title = "Service sets externalIPs"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = ("core/Service",)
    frameworks = ("SOC 2 CC6.6",)
    remediation = ("Remove spec.externalIPs (CVE-2020-8554 lets them intercept traffic); use "
                   "a LoadBalancer or Ingress, and block the field with an admission policy.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        addresses = resource.get("spec.externalIPs")
        if isinstance(addresses, list) and addresses:
            yield f"externalIPs {', '.join(str(a) for a in addresses)} route cluster " \
                  "traffic for those addresses to this service"


@rule
class InstanceVolumesUnencrypted(Rule):
    id = "PUR-SEC-124"
    title = "Instance launches with unencrypted EBS volumes"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types(*METADATA_KINDS)
    frameworks = ("CIS-AWS 2.2.1", "AWS-FSBP EC2.3", "GDPR art. 32", "SOC 2 CC6.1")
    remediation = ("Set encrypted = true on root_block_device and every ebs_block_device "
                   "(Ebs.Encrypted), or turn on aws_ebs_encryption_by_default.")
    equivalents = {"checkov": ("CKV_AWS_8",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if any(str(r.get("enabled")).lower() == "true"
               for r in context.of_kind("aws.ec2.encryption_by_default")):
            return
        for where, flags in _declared_volumes(resource):
            if any(str(flag).lower() != "true" for flag in flags):
                yield f"a volume declared in {where} is not encrypted"


def _declared_volumes(resource: Resource) -> Iterator[tuple[str, list[object]]]:
    """(block, encrypted flags) of the volumes the resource declares: Terraform splits the
    root volume from the others, CloudFormation lists them all under one mapping."""
    for block, flag in (("root_block_device", "encrypted"), ("ebs_block_device", "encrypted"),
                        ("block_device_mappings", "ebs.encrypted")):
        devices = resource.get(block)
        if isinstance(devices, list) and devices and not resource.is_unknown(block):
            yield block, [dig(device, flag) for device in devices if isinstance(device, dict)
                          and (flag == "encrypted" or device.get("ebs") is not None)]


@rule
class ClassicLoadBalancerPlainHttp(Rule):
    id = "PUR-SEC-165"
    title = "Classic load balancer listens on plain HTTP"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = ("aws_elb", "AWS::ElasticLoadBalancing::LoadBalancer")
    frameworks = ("AWS-FSBP ELB.3", *IN_TRANSIT)
    remediation = ("Listen on HTTPS or SSL with a certificate (ssl_certificate_id; "
                   "SSLCertificateId), or move to an Application Load Balancer, whose HTTP "
                   "listener can redirect to HTTPS; a Classic one cannot.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.is_unknown("listener") or resource.is_unknown("Listeners"):
            return
        for listener in _classic_listeners(resource):
            protocol = str(listener.get("lb_protocol") or listener.get("Protocol") or "")
            if protocol.upper() == "HTTP":
                port = listener.get("lb_port") or listener.get("LoadBalancerPort")
                yield f"listener on port {port} takes requests over HTTP: cookies and " \
                      "credentials cross the network in clear"


def _classic_listeners(resource: Resource) -> list[dict[str, object]]:
    found = resource.get("listener") or resource.get("Listeners")
    listeners = found if isinstance(found, list) else [found]
    return [listener for listener in listeners if isinstance(listener, dict)]
