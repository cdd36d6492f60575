from pathlib import Path

import pytest

from purser.config import Config
from purser.cost import estimate
from purser.cost.usage import (
    LayeredUsage,
    UsageError,
    load_usage_file,
    problems_for,
    read_usage_file,
    resolve,
)

from .conftest import DictUsage, make_resource

GOOD = """\
version: 0.1
resource_type_default_usage:
  aws_lambda_function:
    monthly_requests: 100000
    request_duration_ms: 250
resource_usage:
  'aws_lambda_function.fn[*]':
    request_duration_ms: 180
  'aws_lambda_function.fn["checkout"]':
    monthly_requests: 2500000
  aws_s3_bucket.receipts:
    standard:
      storage_gb: 150
      monthly_tier_1_requests: 250000
  aws_data_transfer.us:
    region: us-east-1
    monthly_outbound_internet_gb: 12
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "usage.yml"
    path.write_text(text)
    return path


def test_usage_file_applies_address_then_wildcard_then_type_default(tmp_path):
    usage = load_usage_file(write(tmp_path, GOOD))
    checkout = make_resource('aws_lambda_function.fn["checkout"]', "aws_lambda_function")
    refunds = make_resource('aws_lambda_function.fn["refunds"]', "aws_lambda_function")
    other = make_resource("aws_lambda_function.other", "aws_lambda_function")
    assert usage.quantities(checkout) == {"monthly_requests": 2_500_000,
                                          "request_duration_ms": 180}
    assert usage.quantities(refunds) == {"monthly_requests": 100_000, "request_duration_ms": 180}
    assert usage.quantities(other) == {"monthly_requests": 100_000, "request_duration_ms": 250}


def test_nested_usage_blocks_are_flattened_with_dots_and_words_kept_apart(tmp_path):
    usage = load_usage_file(write(tmp_path, GOOD))
    bucket = make_resource("aws_s3_bucket.receipts", "aws_s3_bucket")
    assert usage.quantities(bucket) == {"standard.storage_gb": 150,
                                        "standard.monthly_tier_1_requests": 250_000}
    transfer = make_resource("aws_data_transfer.us", "aws_data_transfer")
    assert usage.quantities(transfer) == {"monthly_outbound_internet_gb": 12}
    assert usage.texts(transfer) == {"region": "us-east-1"}
    assert usage.origin == "usage file"


def test_usage_file_with_bad_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "version: 0.1\nresource_usage:\n  a: [1,\n")
    with pytest.raises(UsageError) as caught:
        load_usage_file(path)
    assert caught.value.file == str(path) and caught.value.line >= 3
    assert str(path) in str(caught.value)


def test_usage_file_with_a_wrong_version_is_refused_at_its_line(tmp_path):
    path = write(tmp_path, "# usage\nversion: 2.0\nresource_usage: {}\n")
    with pytest.raises(UsageError) as caught:
        load_usage_file(path)
    assert (caught.value.line, caught.value.key) == (2, "version")
    assert "unsupported version" in caught.value.message


def test_usage_file_without_a_version_is_refused(tmp_path):
    with pytest.raises(UsageError, match="version"):
        load_usage_file(write(tmp_path, "resource_usage: {}\n"))


def test_unknown_top_level_section_is_refused(tmp_path):
    with pytest.raises(UsageError, match="unknown section"):
        load_usage_file(write(tmp_path, "version: 0.1\nresource_usages: {}\n"))


def test_a_section_that_is_not_a_mapping_is_refused_at_its_line(tmp_path):
    with pytest.raises(UsageError) as caught:
        load_usage_file(write(tmp_path, "version: 0.1\nresource_usage: [a]\n"))
    assert (caught.value.line, caught.value.key) == (2, "resource_usage")


def test_missing_usage_file_is_a_usage_error_not_a_traceback(tmp_path):
    with pytest.raises(UsageError, match="cannot read"):
        load_usage_file(tmp_path / "absent.yml")


QUEUE = "version: 0.1\nresource_usage:\n  aws_sqs_queue.q:\n    monthly_requests: {}\n"
QUEUE_RESOURCE = make_resource("aws_sqs_queue.q", "aws_sqs_queue")


def priced_queue(path: Path) -> tuple[list[str], list[float | None]]:
    """The estimate's errors and the queue's request line quantities, from `path`."""
    result = estimate([QUEUE_RESOURCE], Config(), usage=load_usage_file(path))
    lines = [line.monthly_quantity for r in result.resources for line in r.components]
    return [str(e) for e in result.errors], lines


def test_a_word_where_a_number_is_priced_is_an_error_at_its_line_and_the_line_stays_unknown(
        tmp_path):
    path = write(tmp_path, QUEUE.format("lots"))
    errors, quantities = priced_queue(path)
    assert errors == [f"{path}:4: monthly_requests: expected a number, got 'lots'; "
                      "aws_sqs_queue.q is priced without it"]
    assert quantities == [None]  # the requests line keeps its unit price, no quantity


def test_nested_unusable_quantity_names_the_dotted_key(tmp_path):
    path = write(tmp_path, "version: 0.1\nresource_usage:\n  aws_s3_bucket.b:\n"
                           "    standard:\n      storage_gb: true\n")
    [problem] = load_usage_file(path).problems
    assert (problem.file, problem.line, problem.key) == (str(path), 5, "standard.storage_gb")
    assert problem.message == "expected a number, got True"


@pytest.mark.parametrize(("value", "message"), [
    ("-5", "must not be negative, got -5"),
    (".inf", "expected a finite number, got inf"),
    ("-.inf", "expected a finite number, got -inf"),
    (".nan", "expected a finite number, got nan"),
    ("1.0e+400", "expected a finite number, got inf"),
    ("2027-01-31", "expected a number, got datetime.date(2027, 1, 31)"),
    ("1000000000000001", "1e+15 is above 1e+15, more than any month's usage"),
    ("9" * 90, "1e+90 is above 1e+15"),
    ("[1, [2]]", "expected a number or a word, got [1, [2]]"),
])
def test_unusable_quantities_are_errors_naming_file_line_and_key(tmp_path, value, message):
    path = write(tmp_path, QUEUE.format(value))
    [problem] = load_usage_file(path).problems
    assert (problem.file, problem.line, problem.key) == (str(path), 4, "monthly_requests")
    assert message in problem.message
    errors, quantities = priced_queue(path)
    assert errors == [f"{path}:4: monthly_requests: {problem.message}; not used for "
                      "aws_sqs_queue.q"]
    assert quantities == [None]


@pytest.mark.parametrize("value", ["1e400", "2027-13-45"])  # YAML 1.1 reads them as text
def test_text_that_looks_like_a_number_is_a_word_and_refused_where_a_number_is_priced(
        tmp_path, value):
    errors, quantities = priced_queue(write(tmp_path, QUEUE.format(value)))
    assert [f"expected a number, got '{value}'" in e for e in errors] == [True]
    assert quantities == [None]


def test_an_integer_of_thousands_of_digits_is_refused_at_its_line(tmp_path):
    path = write(tmp_path, QUEUE.format("7" * 5000))
    with pytest.raises(UsageError) as caught:  # the YAML reader refuses it: the file is unread
        load_usage_file(path)
    assert (caught.value.file, caught.value.line) == (str(path), 4)


def test_a_long_wrong_value_is_quoted_in_one_line(tmp_path):
    [problem] = load_usage_file(write(tmp_path, QUEUE.format("x" * 100_000))).problems
    assert problem.message == "100000 characters of text, more than 200"
    assert len(str(problem)) < 200


def test_the_largest_plausible_quantity_is_accepted(tmp_path):
    usage = load_usage_file(write(tmp_path, QUEUE.format("1000000000000000")))
    assert usage.quantities(QUEUE_RESOURCE) == {"monthly_requests": 1e15}
    assert usage.problems == []


def test_words_are_read_as_text_beside_the_quantities(tmp_path):
    usage = load_usage_file(write(tmp_path, "version: 0.1\nresource_usage:\n  aws_instance.a:\n"
                                            "    operating_system: linux\n"
                                            "    replica_regions: [us-east-2, eu-west-1]\n"
                                            "    monthly_hrs: 730\n"))
    instance = make_resource("aws_instance.a", "aws_instance")
    assert usage.quantities(instance) == {"monthly_hrs": 730}
    assert usage.texts(instance) == {"operating_system": "linux",
                                     "replica_regions": "us-east-2,eu-west-1"}
    assert usage.problems == []


# Every word-valued key Infracost's own AWS fixtures use, with the values they give.
INFRACOST_WORDS = """\
version: 0.1
resource_usage:
  aws_ssm_parameter.p: {api_throughput_limit: advanced, parameter_storage_hrs: 730}
  aws_lambda_function.f: {architecture: arm64, monthly_requests: 100}
  aws_dx_connection.c: {dx_connection_type: dedicated, dx_virtual_interface_type: private}
  aws_route53_health_check.h: {endpoint_type: non_aws}
  aws_ssm_activation.a: {instance_tier: advanced, instances: 10}
  aws_instance.i:
    operating_system: windows
    reserved_instance_type: convertible
    reserved_instance_term: 1_year
    reserved_instance_payment_option: all_upfront
  aws_data_transfer.tokyo: {region: ap-northeast-1, monthly_outbound_internet_gb: 10}
"""


def test_infracost_word_keys_are_all_accepted(tmp_path):
    usage = load_usage_file(write(tmp_path, INFRACOST_WORDS))
    assert usage.problems == []
    parameter = make_resource("aws_ssm_parameter.p", "aws_ssm_parameter")
    assert usage.texts(parameter) == {"api_throughput_limit": "advanced"}
    assert usage.quantities(parameter) == {"parameter_storage_hrs": 730}


def test_a_bad_value_does_not_stop_the_other_resources(tmp_path):
    path = write(tmp_path, "version: 0.1\nresource_usage:\n"
                           "  aws_sqs_queue.bad: {monthly_requests: .inf}\n"
                           "  aws_sqs_queue.good: {monthly_requests: 3000000}\n")
    queues = [make_resource(f"aws_sqs_queue.{n}", "aws_sqs_queue") for n in ("bad", "good")]
    result = estimate(queues, Config(), usage=load_usage_file(path))
    costs = {r.address: r.monthly_cost for r in result.resources}
    # SQS standard, us-east-1: 3M requests × $0.40 per 1M = $1.20
    assert costs == {"aws_sqs_queue.bad": 0.0, "aws_sqs_queue.good": pytest.approx(1.20)}
    assert [str(e) for e in result.errors] == [
        f"{path}:3: monthly_requests: expected a finite number, got inf; not used for "
        "aws_sqs_queue.bad"]


def test_a_bad_value_hides_the_type_default_instead_of_falling_back_to_it(tmp_path):
    path = write(tmp_path, "version: 0.1\nresource_type_default_usage:\n"
                           "  aws_sqs_queue: {monthly_requests: 5}\n"
                           "resource_usage:\n  aws_sqs_queue.q: {monthly_requests: -1}\n")
    usage = load_usage_file(path)
    assert usage.quantities(QUEUE_RESOURCE) == {}
    other = make_resource("aws_sqs_queue.other", "aws_sqs_queue")
    assert usage.quantities(other) == {"monthly_requests": 5}
    assert usage.problems_for(other) == []


def test_an_entry_that_is_not_a_mapping_is_an_error_for_that_entry_only(tmp_path):
    usage = load_usage_file(write(tmp_path, "version: 0.1\nresource_usage:\n"
                                            "  aws_sqs_queue.q: 12\n"
                                            "  aws_sqs_queue.r: {monthly_requests: 1}\n"))
    [problem] = usage.problems
    assert (problem.line, problem.key) == (3, "aws_sqs_queue.q")
    assert problem.message == "expected a mapping of usage keys to values"
    other = make_resource("aws_sqs_queue.r", "aws_sqs_queue")
    assert usage.quantities(other) == {"monthly_requests": 1}


def test_repository_usage_file_is_named_by_its_relative_path(tmp_path):
    (tmp_path / "costs").mkdir()
    (tmp_path / "costs" / "usage.yml").write_text(QUEUE.format("-1"))
    [problem] = read_usage_file(tmp_path, "costs/usage.yml").problems
    assert (problem.file, problem.line) == ("costs/usage.yml", 4)
    (tmp_path / "costs" / "usage.yml").write_text("version: 3\n")
    with pytest.raises(UsageError) as caught:
        read_usage_file(tmp_path, "costs/usage.yml")
    assert (caught.value.file, caught.value.line) == ("costs/usage.yml", 1)


def test_repository_usage_file_linked_outside_is_refused_unread(tmp_path):
    outside = write(tmp_path, GOOD)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "usage.yml").symlink_to(outside)
    with pytest.raises(UsageError, match="outside the repository") as caught:
        read_usage_file(repo, "usage.yml")
    assert caught.value.file == "usage.yml"


def test_usage_file_that_is_not_a_regular_file_is_refused(tmp_path):
    with pytest.raises(UsageError, match="not a regular file"):
        load_usage_file(Path("/dev/zero"))
    with pytest.raises(UsageError, match="not a regular file"):
        read_usage_file(tmp_path, ".")


def test_usage_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "usage.yml"
    path.write_bytes(b"version: 0.1\nresource_usage:\n  \xff: {}\n")
    with pytest.raises(UsageError) as caught:
        load_usage_file(path)
    assert caught.value.line == 3 and "UTF-8" in caught.value.message


def test_layered_usage_takes_each_key_from_the_first_source_that_knows_it():
    queue = make_resource("aws_sqs_queue.q", "aws_sqs_queue")
    telemetry = DictUsage({queue.address: {"monthly_requests": 7}}, origin="telemetry")
    planned = DictUsage({queue.address: {"monthly_requests": 5, "request_size_kb": 4}})
    layered = LayeredUsage(telemetry, planned)
    assert layered.quantities(queue) == {"monthly_requests": 7, "request_size_kb": 4}
    origins = {k: q.origin for k, q in resolve(layered, queue).items()}
    assert origins == {"monthly_requests": "telemetry", "request_size_kb": "usage file"}
    assert layered.origin == "telemetry + usage file"


def test_layered_usage_reports_a_refused_value_only_where_no_earlier_source_gives_the_key(
        tmp_path):
    planned = load_usage_file(write(tmp_path, "version: 0.1\nresource_usage:\n"
                                              "  aws_sqs_queue.q:\n"
                                              "    monthly_requests: -1\n"
                                              "    request_size_kb: .nan\n"
                                              "    tier: gold\n"))
    telemetry = DictUsage({QUEUE_RESOURCE.address: {"monthly_requests": 7}}, origin="telemetry")
    layered = LayeredUsage(telemetry, planned)
    assert [p.key for p in problems_for(layered, QUEUE_RESOURCE)] == ["request_size_kb"]
    assert layered.texts(QUEUE_RESOURCE) == {"tier": "gold"}
    assert layered.quantities(QUEUE_RESOURCE) == {"monthly_requests": 7}
