from pathlib import Path

import pytest

from purser.cost.usage import LayeredUsage, UsageError, load_usage_file, resolve

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


def test_layered_usage_takes_each_key_from_the_first_source_that_knows_it():
    queue = make_resource("aws_sqs_queue.q", "aws_sqs_queue")
    telemetry = DictUsage({queue.address: {"monthly_requests": 7}}, origin="telemetry")
    planned = DictUsage({queue.address: {"monthly_requests": 5, "request_size_kb": 4}})
    layered = LayeredUsage(telemetry, planned)
    assert layered.quantities(queue) == {"monthly_requests": 7, "request_size_kb": 4}
    origins = {k: q.origin for k, q in resolve(layered, queue).items()}
    assert origins == {"monthly_requests": "telemetry", "request_size_kb": "usage file"}
    assert layered.origin == "telemetry + usage file"
