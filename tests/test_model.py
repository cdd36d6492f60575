from purser.model import Ref, Resource, Severity, SourceRef, dig


def _lambda(**attrs) -> Resource:
    return Resource(address="aws_lambda_function.api", type="aws_lambda_function",
                    provider="aws", name="api", attrs=attrs, source=SourceRef(file="a.tf", line=3),
                    unknown=["role", "environment.variables"])


def test_get_steps_through_single_element_block_lists():
    resource = _lambda(tracing_config=[{"mode": "Active"}])
    assert resource.get("tracing_config.mode") == "Active"


def test_get_indexes_lists_and_returns_default_when_absent():
    assert dig({"a": [{"b": 1}, {"b": 2}]}, "a.1.b") == 2
    assert dig({"a": [{"b": 1}, {"b": 2}]}, "a.b", "none") == "none"
    assert dig({"a": 1}, "a.b.c") is None


def test_missing_ignores_statically_unknown_paths():
    resource = _lambda(memory_size=512)
    assert resource.missing("dead_letter_config")
    assert not resource.missing("role")
    assert not resource.missing("environment.variables.TOKEN")
    assert not resource.missing("memory_size")


def test_severity_order():
    assert Severity.critical.at_least(Severity.high)
    assert not Severity.low.at_least(Severity.medium)
    assert sorted(Severity, key=lambda s: s.rank)[-1] is Severity.critical


def test_ref_renders_as_terraform_interpolation():
    assert str(Ref(address="aws_iam_role.r", attribute="arn")) == "${aws_iam_role.r.arn}"
