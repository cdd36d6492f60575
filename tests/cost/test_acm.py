import pytest

CERT = "aws_acm_certificate"


def test_a_public_certificate_is_free(resource, estimate_of):
    public = resource("aws_acm_certificate.site", CERT,
                      {"domain_name": "example.com", "validation_method": "DNS"})
    assert public.address in estimate_of([public]).free


def test_a_private_certificate_assumes_one_issue_a_month_and_says_so(resource, priced):
    private = resource("aws_acm_certificate.internal", CERT,
                       {"domain_name": "svc.internal", "certificate_authority_arn": "arn:pca"})
    cost = priced(private)
    (line,) = cost.components
    assert line.component.startswith("Private certificate (1 issued a month, assumed")
    assert line.usage_origin == "default"
    assert cost.monthly_cost == pytest.approx(0.75)  # first 1,000 certificates: $0.75 each


def test_issued_certificates_follow_the_private_ca_tiers(resource, priced):
    private = resource("aws_acm_certificate.fleet", CERT,
                       {"domain_name": "x.internal", "certificate_authority_arn": "arn:pca"})
    cost = priced(private, {"monthly_requests": 1500})
    assert cost.monthly_cost == pytest.approx(1000 * 0.75 + 500 * 0.35)


def test_cloudformation_private_certificate_is_priced_through_its_kind(resource, priced):
    template = resource("cfn:tls.yaml#Cert", "AWS::CertificateManager::Certificate",
                        {"DomainName": "svc.internal", "CertificateAuthorityArn": "arn:pca"})
    assert priced(template).monthly_cost == pytest.approx(0.75)
