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


def test_number_reads_numeric_attributes_and_refuses_the_rest():
    from purser.model import number

    assert number(512) == 512.0
    assert number("3008") == 3008.0
    assert number(True) is None
    assert number("nan") is None
    assert number("${var.x}", 0.0) == 0.0
    assert number(Ref(address="aws_x.y", attribute="n")) is None
