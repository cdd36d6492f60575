import pytest

CA = "aws_acmpca_certificate_authority"


def test_general_purpose_ca_issues_certificates_in_tiers(resource, priced):
    ca = resource("aws_acmpca_certificate_authority.internal", CA, {"type": "ROOT"})
    cost = priced(ca, {"monthly_requests": 20_001})
    # $400 a month; the first 1,000 certificates at $0.75, the next 9,000 at $0.35,
    # the remaining 10,001 at $0.001
    expected = 400 + 1_000 * 0.75 + 9_000 * 0.35 + 10_001 * 0.001
    assert cost.monthly_cost == pytest.approx(expected)


def test_short_lived_certificate_mode_is_cheaper(resource, priced, lines):
    ca = resource("aws_acmpca_certificate_authority.mesh", CA,
                  {"usage_mode": "SHORT_LIVED_CERTIFICATE"})
    cost = priced(ca, {"monthly_requests": 20_001})
    assert cost.monthly_cost == pytest.approx(50 + 20_001 * 0.058)
    assert "Private certificate authority (short-lived certificate mode)" in lines(cost)


def test_without_usage_the_ca_month_is_still_priced(resource, priced, lines):
    cost = priced(resource("aws_acmpca_certificate_authority.x", CA))
    assert cost.monthly_cost == pytest.approx(400)
    assert lines(cost)["Certificates issued (first 1k certificates)"].unit_price == 0.75


def test_unknown_usage_mode_is_unpriced(resource, estimate_of):
    odd = resource("aws_acmpca_certificate_authority.x", CA, {"usage_mode": "FOREVER"})
    assert "unknown usage mode 'forever'" in estimate_of([odd]).unpriced[0].reason


def test_cloudformation_ca_is_priced_through_its_kind(resource, priced):
    template = resource("cfn:pki.yaml#Ca", "AWS::ACMPCA::CertificateAuthority",
                        {"Type": "SUBORDINATE", "UsageMode": "SHORT_LIVED_CERTIFICATE",
                         "KeyAlgorithm": "EC_prime256v1", "SigningAlgorithm": "SHA256WITHECDSA"})
    assert priced(template, {"monthly_requests": 100}).monthly_cost == \
        pytest.approx(50 + 100 * 0.058)
