import pytest

WORKSPACE = "aws_grafana_workspace"


def test_workspace_pays_editors_and_viewers(resource, priced):
    workspace = resource("aws_grafana_workspace.ops", WORKSPACE,
                         {"account_access_type": "CURRENT_ACCOUNT"})
    cost = priced(workspace, {"editors_administrator_licenses": 2, "viewer_licenses": 3})
    assert cost.monthly_cost == pytest.approx(2 * 9.00 + 3 * 5.00)  # $9 editor, $5 viewer


def test_without_usage_one_administrator_is_assumed_and_said(resource, priced, lines):
    cost = priced(resource("aws_grafana_workspace.ops", WORKSPACE, {}))
    by = lines(cost)
    assert by["Editor/administrator licenses (1 assumed)"].usage_origin == "default"
    assert by["Viewer licenses"].monthly_cost is None
    assert cost.monthly_cost == pytest.approx(9.00)


def test_enterprise_licence_pays_per_active_user_and_trial_is_free(resource, priced,
                                                                    estimate_of):
    enterprise = resource("aws_grafana_license_association.e", "aws_grafana_license_association",
                          {"license_type": "ENTERPRISE", "workspace_id": "w"})
    assert priced(enterprise, {"enterprise_users": 4}).monthly_cost == pytest.approx(4 * 45.00)
    trial = resource("aws_grafana_license_association.t", "aws_grafana_license_association",
                     {"license_type": "ENTERPRISE_FREE_TRIAL", "workspace_id": "w"})
    assert trial.address in estimate_of([trial]).free


def test_cloudformation_workspace_is_priced_through_its_kind(resource, priced):
    workspace = resource("cfn:g.yaml#Grafana", "AWS::Grafana::Workspace",
                         {"AccountAccessType": "CURRENT_ACCOUNT",
                          "PermissionType": "SERVICE_MANAGED",
                          "AuthenticationProviders": ["AWS_SSO"]})
    assert priced(workspace, {"viewer_licenses": 10}).monthly_cost == \
        pytest.approx(9.00 + 10 * 5.00)
