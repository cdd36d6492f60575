import pytest


def test_standard_storage_above_50_tb_uses_the_next_tier(resource, priced, lines):
    bucket = resource("aws_s3_bucket.lake", "aws_s3_bucket")
    cost = priced(bucket, {"standard.storage_gb": 61_440, "standard.monthly_tier_1_requests": 0,
                           "standard.monthly_tier_2_requests": 0})
    expected = 51_200 * 0.023 + 10_240 * 0.022
    assert cost.monthly_cost == pytest.approx(expected)
    by = lines(cost)
    assert by["Standard storage (first 50 TB)"].monthly_quantity == 51_200
    assert by["Standard storage (next 450 TB)"].monthly_quantity == 10_240


def test_bucket_requests_are_priced_per_thousand(resource, priced):
    bucket = resource("aws_s3_bucket.receipts", "aws_s3_bucket")
    cost = priced(bucket, {"standard.storage_gb": 150, "standard.monthly_tier_1_requests": 250_000,
                           "standard.monthly_tier_2_requests": 1_200_000})
    expected = 150 * 0.023 + 250_000 / 1000 * 0.005 + 1_200_000 / 1000 * 0.0004
    assert cost.monthly_cost == pytest.approx(expected)


def test_standard_storage_costs_more_in_eu_central_1(resource, priced):
    usage = {"standard.storage_gb": 100}
    east = priced(resource("aws_s3_bucket.b", "aws_s3_bucket", region="us-east-1"), usage)
    frankfurt = priced(resource("aws_s3_bucket.b", "aws_s3_bucket", region="eu-central-1"), usage)
    assert east.monthly_cost == pytest.approx(100 * 0.023)
    assert frankfurt.monthly_cost == pytest.approx(100 * 0.0245)


def test_other_storage_classes_are_priced_from_their_usage_blocks(resource, priced, lines):
    bucket = resource("AWS::S3::Bucket-like", "AWS::S3::Bucket")
    cost = priced(bucket, {"glacier_deep_archive.storage_gb": 1000,
                           "standard_infrequent_access.storage_gb": 200,
                           "intelligent_tiering.frequent_access_storage_gb": 10,
                           "intelligent_tiering.infrequent_access_storage_gb": 40})
    by = lines(cost)
    assert by["Glacier Deep Archive storage"].monthly_cost == pytest.approx(1000 * 0.00099)
    assert by["Standard-IA storage"].monthly_cost == pytest.approx(200 * 0.0125)
    assert cost.monthly_cost == pytest.approx(
        1000 * 0.00099 + 200 * 0.0125 + 10 * 0.023 + 40 * 0.0125)
    assert by["Standard storage (first 50 TB)"].monthly_cost is None
