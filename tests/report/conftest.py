"""A hand-built check report shared by the renderer tests: findings across severities and
categories, one input error, one waived finding."""

import pytest

from purser.model import Category, Finding, Resource, Severity, SourceError, SourceRef
from purser.report import CheckReport


def resource(address: str, file: str, line: int) -> Resource:
    kind, name = address.rsplit(".", 1) if "." in address else (address, address)
    return Resource(address=address, type=kind, provider="aws", name=name,
                    source=SourceRef(file=file, line=line, end_line=line + 5))


@pytest.fixture
def report() -> CheckReport:
    resources = [resource("aws_iam_role_policy.reports", "terraform/iam.tf", 36),
                 resource('aws_lambda_function.fn["a|b"]', "terraform/lambda.tf", 10),
                 resource("aws_s3_bucket.site", "terraform/s3.tf", 1),
                 resource("aws_sqs_queue.clean", "terraform/sqs.tf", 1)]
    findings = [
        Finding(rule_id="PUR-SEC-001", title="IAM policy allows every action",
                severity=Severity.critical, category=Category.security,
                resource="aws_iam_role_policy.reports",
                message='IAM policy allows Action "*" on Resource "*"',
                remediation="List the actions.", frameworks=["CIS-AWS 1.16"],
                source=SourceRef(file="terraform/iam.tf", line=36),
                evidence={"sid": "", "actions": ["*"]}),
        Finding(rule_id="PUR-FIN-005", title="Lambda memory above the threshold",
                severity=Severity.medium, category=Category.finops,
                resource='aws_lambda_function.fn["a|b"]',
                message="memory 3008 MB | above 1024\nsecond line <b>",
                remediation="Lower memory_size.",
                source=SourceRef(file="terraform/lambda.tf", line=10)),
        Finding(rule_id="REGO:purser.finops", title="Rego policy purser.finops",
                severity=Severity.high, category=Category.finops,
                resource='aws_lambda_function.fn["a|b"]', message="needs a justification tag",
                source=SourceRef(file="terraform/lambda.tf", line=10), origin="rego"),
        Finding(rule_id="PUR-SEC-018", title="Lambda function does not trace requests",
                severity=Severity.low, category=Category.security,
                resource='aws_lambda_function.fn["a|b"]', message="tracing is off",
                source=SourceRef(file="terraform/lambda.tf", line=10)),
        Finding(rule_id="PUR-WVR-001", title="Waiver expired", severity=Severity.medium,
                category=Category.compliance, resource="aws_s3_bucket.site",
                message="waiver for PUR-FIN-012 on aws_s3_bucket.site expired on 2025-01-31",
                source=SourceRef(file="purser.yaml", line=0), origin="waivers"),
    ]
    waived = [Finding(rule_id="PUR-SEC-014", title="S3 bucket has no public access block",
                      severity=Severity.high, category=Category.security,
                      resource="aws_s3_bucket.site", message="public",
                      source=SourceRef(file="terraform/s3.tf", line=1),
                      evidence={"waiver_reason": "public website",
                                "waiver_source": "purser.yaml:12"})]
    errors = [SourceError(file="terraform/broken.tf", line=3, message="unexpected end of file")]
    return CheckReport(root="/repo", resources=resources, findings=findings, errors=errors,
                       waived=waived, fail_on=Severity.high)
