from pathlib import Path

import pytest

from purser.cost.usage import (
    LayeredUsage,
    UsageError,
    load_usage_file,
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


def test_nested_usage_blocks_are_flattened_with_dots_and_text_keys_skipped(tmp_path):
    usage = load_usage_file(write(tmp_path, GOOD))
    bucket = make_resource("aws_s3_bucket.receipts", "aws_s3_bucket")
    assert usage.quantities(bucket) == {"standard.storage_gb": 150,
                                        "standard.monthly_tier_1_requests": 250_000}
    transfer = make_resource("aws_data_transfer.us", "aws_data_transfer")
    assert usage.quantities(transfer) == {"monthly_outbound_internet_gb": 12}
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


def test_non_numeric_quantity_is_refused_naming_file_line_and_key(tmp_path):
    path = write(tmp_path, "version: 0.1\nresource_usage:\n  aws_sqs_queue.q:\n"
                           "    monthly_requests: lots\n")
    with pytest.raises(UsageError) as caught:
        load_usage_file(path)
    error = caught.value
    assert (error.file, error.line, error.key) == (str(path), 4, "monthly_requests")
    assert "expected a number, got 'lots'" in str(error)


def test_nested_non_numeric_quantity_names_the_dotted_key(tmp_path):
    path = write(tmp_path, "version: 0.1\nresource_usage:\n  aws_s3_bucket.b:\n"
                           "    standard:\n      storage_gb: true\n")
    with pytest.raises(UsageError) as caught:
        load_usage_file(path)
    assert (caught.value.line, caught.value.key) == (5, "standard.storage_gb")


def test_negative_quantity_is_refused(tmp_path):
    path = write(tmp_path, "version: 0.1\nresource_usage:\n  aws_sqs_queue.q:\n"
                           "    monthly_requests: -5\n")
    with pytest.raises(UsageError, match="must not be negative"):
        load_usage_file(path)


def test_unknown_top_level_section_is_refused(tmp_path):
    with pytest.raises(UsageError, match="unknown section"):
        load_usage_file(write(tmp_path, "version: 0.1\nresource_usages: {}\n"))


def test_missing_usage_file_is_a_usage_error_not_a_traceback(tmp_path):
    with pytest.raises(UsageError, match="cannot read"):
        load_usage_file(tmp_path / "absent.yml")


QUEUE = "version: 0.1\nresource_usage:\n  aws_sqs_queue.q:\n    monthly_requests: {}\n"


@pytest.mark.parametrize(("value", "message"), [
    (".inf", "expected a finite number, got inf"),
    ("-.inf", "expected a finite number, got -inf"),
    (".nan", "expected a finite number, got nan"),
    ("1.0e+400", "expected a finite number, got inf"),
    ("1e400", "expected a number, got '1e400'"),  # YAML 1.1 reads it as text
    ("2027-13-45", "expected a number, got '2027-13-45'"),
    ("2027-01-31", "expected a number, got datetime.date(2027, 1, 31)"),
    ("1000000000000001", "1e+15 is above 1e+15, more than any month's usage"),
    ("9" * 90, "1e+90 is above 1e+15"),
])
def test_unusable_quantities_are_refused_naming_file_line_and_key(tmp_path, value, message):
    path = write(tmp_path, QUEUE.format(value))
    with pytest.raises(UsageError) as caught:
        load_usage_file(path)
    error = caught.value
    assert (error.file, error.line, error.key) == (str(path), 4, "monthly_requests")
    assert message in error.message


def test_an_integer_of_thousands_of_digits_is_refused_at_its_line(tmp_path):
    path = write(tmp_path, QUEUE.format("7" * 5000))
    with pytest.raises(UsageError) as caught:
        load_usage_file(path)
    assert (caught.value.file, caught.value.line) == (str(path), 4)


def test_a_long_wrong_value_is_quoted_in_one_line(tmp_path):
    with pytest.raises(UsageError) as caught:
        load_usage_file(write(tmp_path, QUEUE.format("x" * 100_000)))
    assert len(str(caught.value)) < 200


def test_the_largest_plausible_quantity_is_accepted(tmp_path):
    usage = load_usage_file(write(tmp_path, QUEUE.format("1000000000000000")))
    assert usage.by_address == {"aws_sqs_queue.q": {"monthly_requests": 1e15}}


def test_text_keys_are_still_skipped(tmp_path):
    usage = load_usage_file(write(tmp_path, "version: 0.1\nresource_usage:\n  aws_instance.a:\n"
                                            "    operating_system: linux\n"
                                            "    monthly_hrs: 730\n"))
    assert usage.by_address == {"aws_instance.a": {"monthly_hrs": 730}}


def test_repository_usage_file_is_named_by_its_relative_path(tmp_path):
    (tmp_path / "costs").mkdir()
    (tmp_path / "costs" / "usage.yml").write_text(QUEUE.format("-1"))
    with pytest.raises(UsageError) as caught:
        read_usage_file(tmp_path, "costs/usage.yml")
    assert (caught.value.file, caught.value.line) == ("costs/usage.yml", 4)


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
