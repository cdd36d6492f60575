import pytest

DIRECTORY = "aws_directory_service_directory"


def test_microsoft_ad_pays_two_controllers_extra_ones_and_sharing(resource, priced):
    directory = resource("aws_directory_service_directory.corp", DIRECTORY,
                         {"type": "MicrosoftAD", "edition": "Standard", "name": "corp.example"})
    cost = priced(directory, {"additional_domain_controllers": 4, "shared_accounts": 8})
    # Standard: $0.06 per controller-hour, 2 + 4 controllers; $0.018 per shared account-hour
    assert cost.monthly_cost == pytest.approx(2 * 730 * 0.06 + 4 * 730 * 0.06
                                              + 8 * 730 * 0.018)


def test_defaults_are_enterprise_edition_and_large_size(resource, priced):
    ms = resource("aws_directory_service_directory.m", DIRECTORY, {"type": "MicrosoftAD"})
    assert priced(ms).monthly_cost == pytest.approx(2 * 730 * 0.20)  # Enterprise $0.20
    simple = resource("aws_directory_service_directory.s", DIRECTORY, {"name": "s"})
    assert priced(simple).monthly_cost == pytest.approx(2 * 730 * 0.15)  # Simple AD Large


def test_simple_ad_and_connectors_are_not_billed_for_sharing(resource, priced, lines):
    connector = resource("aws_directory_service_directory.c", DIRECTORY,
                         {"type": "ADConnector", "size": "Small"})
    cost = priced(connector, {"shared_accounts": 5})
    assert "Directory sharing" not in lines(cost)
    assert cost.monthly_cost == pytest.approx(2 * 730 * 0.05)  # Small $0.05 per hour


def test_unknown_size_is_unpriced(resource, estimate_of):
    directory = resource("aws_directory_service_directory.s", DIRECTORY, {"type": "SimpleAD"})
    directory.unknown = ["size"]
    assert estimate_of([directory]).unpriced


def test_cloudformation_directories_are_priced_by_their_type(resource, priced):
    simple = resource("cfn:ad.yaml#Simple", "AWS::DirectoryService::SimpleAD",
                      {"Name": "corp", "Size": "Small", "Password": "x"})
    assert priced(simple).monthly_cost == pytest.approx(2 * 730 * 0.05)
    microsoft = resource("cfn:ad.yaml#Ms", "AWS::DirectoryService::MicrosoftAD",
                         {"Name": "corp", "Edition": "Standard", "Password": "x"})
    assert priced(microsoft).monthly_cost == pytest.approx(2 * 730 * 0.06)
