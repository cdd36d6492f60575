"""Security pack, containers and messaging on AWS: ECS task definitions (privileged
containers, secrets in their environment, the host's network), SNS deliveries over plain
HTTP, MSK brokers accepting plaintext, Athena results left unencrypted."""

from __future__ import annotations

from collections.abc import Iterator

from purser import kinds
from purser.model import Category, Resource, Severity
from purser.policy import ecs, secrets
from purser.policy.declarative import AttributeRule, Expect
from purser.policy.rule import Rule, RuleContext, Violation, rule

ENCRYPTION_AT_REST = ("GDPR art. 32", "HIPAA 164.312(a)(2)(iv)", "PCI-DSS 3.5.1", "SOC 2 CC6.1")
IN_TRANSIT = ("HIPAA 164.312(e)(1)", "PCI-DSS 4.2.1", "SOC 2 CC6.7")
TASK_DEFINITIONS = kinds.types("aws.ecs.task_definition")


class _TaskRule(Rule):
    category = Category.security
    pack = "security"
    resource_types = TASK_DEFINITIONS


@rule
class EcsPrivilegedContainer(_TaskRule):
    id = "PUR-SEC-109"
    title = "ECS container runs privileged"
    severity = Severity.critical
    frameworks = ("AWS-FSBP ECS.4", "SOC 2 CC6.1")
    remediation = "Remove privileged: true; add the one Linux capability the task needs."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in ecs.containers(resource):
            if container.privileged:
                yield Violation(f"container {container.name} runs privileged: root on the "
                                "instance", evidence={"container": container.name})


@rule
class EcsSecretInEnvironment(_TaskRule):
    id = "PUR-SEC-110"
    title = "Secret written in clear in an ECS container's environment"
    severity = Severity.critical
    frameworks = ("AWS-FSBP ECS.8", "PCI-DSS 8.6.2", "SOC 2 CC6.1")
    remediation = ("Pass the secret with `secrets` (valueFrom a Secrets Manager or SSM "
                   "ARN) instead of `environment`.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in ecs.containers(resource):
            for name, value in container.environment.items():
                found = secrets.judge(name, value)
                if found:
                    yield Violation(f"container {container.name} environment variable {name} "
                                    f"holds {found.why}", severity=found.severity,
                                    evidence={"variable": name,
                                              "value": secrets.mask(str(value))})


@rule
class EcsHostNetwork(_TaskRule):
    id = "PUR-SEC-111"
    title = "ECS task shares the instance's network namespace"
    severity = Severity.medium
    frameworks = ("AWS-FSBP ECS.2", "SOC 2 CC6.6")
    remediation = "Use network_mode = \"awsvpc\" so each task has its own interface and group."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if str(resource.get("network_mode") or "").lower() == "host":
            yield "network_mode host: the task sees and binds the instance's network"


@rule
class SnsHttpSubscription(AttributeRule):
    id = "PUR-SEC-112"
    title = "SNS subscription delivers over plain HTTP"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.sns.subscription")
    frameworks = IN_TRANSIT
    remediation = "Subscribe the endpoint with protocol \"https\"."
    path, expect = "protocol", Expect(not_equals="http")
    message = "messages are posted to the endpoint over HTTP, readable on the way"


@rule
class MskPlaintext(AttributeRule):
    id = "PUR-SEC-113"
    title = "MSK cluster accepts plaintext client traffic"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.msk.cluster")
    frameworks = ("AWS-FSBP MSK.1", *IN_TRANSIT)
    remediation = ("Set encryption_info { encryption_in_transit { client_broker = \"TLS\", "
                   "in_cluster = true } }.")
    equivalents = {"checkov": ("CKV_AWS_81",)}
    path = "encryption_info.encryption_in_transit.client_broker"
    expect, default = Expect(equals="TLS"), "TLS"
    message = "brokers accept plaintext from clients (client_broker is {value})"


@rule
class AthenaResultsUnencrypted(AttributeRule):
    id = "PUR-SEC-114"
    title = "Athena workgroup does not encrypt query results"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.athena.workgroup")
    frameworks = ("AWS-FSBP Athena.1", *ENCRYPTION_AT_REST)
    remediation = ("Set configuration { result_configuration { encryption_configuration { "
                   "encryption_option = \"SSE_KMS\" } } }.")
    equivalents = {"checkov": ("CKV_AWS_82",)}
    path = "configuration.result_configuration.encryption_configuration.encryption_option"
    expect = Expect(present=True)
    message = "query results, often copies of sensitive rows, are written without encryption"
