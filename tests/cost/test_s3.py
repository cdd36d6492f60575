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


# Catalog prices (us-east-1), per GB-month of storage, per 1k requests, per GB retrieved,
# scanned or returned:
#   Standard            storage 0.023; PUT 0.005; GET 0.0004; Select scanned 0.002,
#                       returned 0.0007
#   Intelligent-Tiering frequent 0.023, infrequent 0.0125, archive 0.0036, deep archive
#                       0.00099; monitoring 0.0025 per 1k objects; PUT 0.005; GET 0.0004;
#                       transitions 0.01; Select 0.002 / 0.0007; early delete 0.023
#   Standard-IA         storage 0.0125; PUT 0.01; GET 0.001; transitions 0.01;
#                       retrievals 0.01; Select 0.002 / 0.01
#   One Zone-IA         storage 0.01; PUT 0.01; GET 0.001; transitions 0.01;
#                       retrievals 0.01; Select 0.002 / 0.01
#   Glacier Flexible    storage 0.0036; PUT 0.03; GET 0.0004; transitions 0.03;
#                       standard: requests 0.03, retrievals 0.01, Select 0.008 / 0.01;
#                       expedited: requests 10.00, retrievals 0.03, Select 0.02 / 0.03;
#                       bulk Select 0.001 / 0.0025; early delete 0.0036
#   Glacier Deep Archive storage 0.00099; PUT 0.05; GET 0.0004; transitions 0.05;
#                       standard: requests 0.10, retrievals 0.02; bulk: requests 0.025,
#                       retrievals 0.0025; early delete 0.00099

def _block(prefix, value, keys):
    return {f"{prefix}.{key}": value for key in keys}


def test_every_storage_class_block_of_infracosts_usage_file_is_priced(resource, priced):
    """Infracost's s3_bucket bucket_withUsage: every key of every block, $11,811.52."""
    bucket = resource("aws_s3_bucket.all", "aws_s3_bucket")
    requests = ("monthly_tier_1_requests", "monthly_tier_2_requests")
    select = ("monthly_select_data_scanned_gb", "monthly_select_data_returned_gb")
    usage = {
        **_block("standard", 10_000, ("storage_gb", *requests, *select)),
        **_block("intelligent_tiering", 20_000, (
            "frequent_access_storage_gb", "infrequent_access_storage_gb",
            "archive_access_storage_gb", "deep_archive_access_storage_gb", *requests, *select,
            "monitored_objects", "monthly_lifecycle_transition_requests", "early_delete_gb")),
        **_block("standard_infrequent_access", 30_000, (
            "storage_gb", *requests, "monthly_lifecycle_transition_requests",
            "monthly_data_retrieval_gb", *select)),
        **_block("one_zone_infrequent_access", 40_000, (
            "storage_gb", *requests, "monthly_lifecycle_transition_requests",
            "monthly_data_retrieval_gb", *select)),
        **_block("glacier_flexible_retrieval", 50_000, (
            "storage_gb", *requests, "monthly_lifecycle_transition_requests",
            *(f"monthly_{speed}_select_data_{what}_gb" for speed in
              ("standard", "bulk", "expedited") for what in ("scanned", "returned")),
            *(f"monthly_{speed}_data_retrieval_{what}" for speed in ("standard", "expedited")
              for what in ("requests", "gb")),
            "early_delete_gb")),
        **_block("glacier_deep_archive", 60_000, (
            "storage_gb", *requests, "monthly_lifecycle_transition_requests",
            *(f"monthly_{speed}_data_retrieval_{what}" for speed in ("standard", "bulk")
              for what in ("requests", "gb")),
            "early_delete_gb")),
    }
    standard = 10_000 * 0.023 + 10 * (0.005 + 0.0004) + 10_000 * (0.002 + 0.0007)
    intelligent = (20_000 * (0.023 + 0.0125 + 0.0036 + 0.00099) + 20 * 0.0025
                   + 20 * (0.005 + 0.0004 + 0.01) + 20_000 * (0.002 + 0.0007 + 0.023))
    infrequent = (30_000 * 0.0125 + 30 * (0.01 + 0.001 + 0.01)
                  + 30_000 * (0.01 + 0.002 + 0.01))
    one_zone = 40_000 * 0.01 + 40 * (0.01 + 0.001 + 0.01) + 40_000 * (0.01 + 0.002 + 0.01)
    flexible = (50_000 * 0.0036 + 50 * (0.03 + 0.0004 + 0.03)
                + 50 * 0.03 + 50_000 * (0.01 + 0.008 + 0.01)        # standard
                + 50 * 10.00 + 50_000 * (0.03 + 0.02 + 0.03)        # expedited
                + 50_000 * (0.001 + 0.0025) + 50_000 * 0.0036)      # bulk Select, early delete
    deep = (60_000 * 0.00099 + 60 * (0.05 + 0.0004 + 0.05)
            + 60 * 0.10 + 60_000 * 0.02 + 60 * 0.025 + 60_000 * 0.0025 + 60_000 * 0.00099)
    expected = standard + intelligent + infrequent + one_zone + flexible + deep
    assert expected == pytest.approx(11_811.52, abs=0.01)
    assert priced(bucket, usage).monthly_cost == pytest.approx(expected)


def test_glacier_retrievals_are_priced_by_speed(resource, priced, lines):
    bucket = resource("aws_s3_bucket.archive", "aws_s3_bucket")
    cost = priced(bucket, {
        "glacier_flexible_retrieval.monthly_expedited_data_retrieval_requests": 2_000,
        "glacier_flexible_retrieval.monthly_expedited_data_retrieval_gb": 100,
        "glacier_deep_archive.monthly_bulk_data_retrieval_requests": 4_000,
        "glacier_deep_archive.monthly_bulk_data_retrieval_gb": 1_000})
    found = lines(cost)
    expedited = found["Glacier Flexible Retrieval retrieval requests (expedited)"]
    assert expedited.monthly_cost == pytest.approx(2 * 10.00)
    assert found["Glacier Deep Archive retrievals (bulk)"].monthly_cost == pytest.approx(
        1000 * 0.0025)
    assert cost.monthly_cost == pytest.approx(20 + 100 * 0.03 + 4 * 0.025 + 2.5)


def test_lifecycle_transitions_and_early_deletes_are_priced_per_class(resource, priced, lines):
    bucket = resource("aws_s3_bucket.tiered", "aws_s3_bucket")
    cost = priced(bucket, {
        "standard_infrequent_access.monthly_lifecycle_transition_requests": 500_000,
        "glacier_deep_archive.monthly_lifecycle_transition_requests": 100_000,
        "glacier_deep_archive.early_delete_gb": 2_000})
    found = lines(cost)
    assert found["Standard-IA lifecycle transitions"].monthly_cost == pytest.approx(500 * 0.01)
    assert found["Glacier Deep Archive lifecycle transitions"].monthly_cost == pytest.approx(
        100 * 0.05)
    assert found["Glacier Deep Archive early delete (within 180 days)"].monthly_cost == (
        pytest.approx(2000 * 0.00099))


def test_optional_parts_appear_when_their_usage_is_given(resource, priced, lines):
    bucket = resource("aws_s3_bucket.lake", "aws_s3_bucket")
    assert list(lines(priced(bucket, {}))) == [
        "Standard storage (first 50 TB)", "Standard PUT, COPY, POST, LIST requests",
        "Standard GET, SELECT and other requests"]  # unknown, each with its unit price
    cost = priced(bucket, {"standard.monthly_select_data_scanned_gb": 5_000,
                           "standard.monthly_select_data_returned_gb": 500})
    assert lines(cost)["Standard Select data scanned"].unit_price == 0.002
    assert cost.monthly_cost == pytest.approx(5_000 * 0.002 + 500 * 0.0007)


def test_object_tags_are_priced_per_ten_thousand(resource, priced, lines):
    bucket = resource("aws_s3_bucket.tagged", "aws_s3_bucket")
    cost = priced(bucket, {"object_tags": 2_000_000})
    assert lines(cost)["Object tagging"].monthly_cost == pytest.approx(200 * 0.0065)


def test_bucket_in_a_region_without_s3_prices_is_unpriced_never_free(resource, estimate_of):
    bucket = resource("aws_s3_bucket.far", "aws_s3_bucket", region="xx-nowhere-1")
    result = estimate_of([bucket])
    assert result.unpriced and not result.free


def test_storage_class_analysis_is_priced_per_million_objects_monitored(resource, priced):
    analytics = resource("aws_s3_bucket_analytics_configuration.a",
                         "aws_s3_bucket_analytics_configuration")
    cost = priced(analytics, {"monthly_monitored_objects": 10_000_000})
    assert cost.monthly_cost == pytest.approx(10 * 0.10)


def test_inventory_is_priced_per_million_objects_listed(resource, priced):
    inventory = resource("aws_s3_bucket_inventory.i", "aws_s3_bucket_inventory")
    cost = priced(inventory, {"monthly_listed_objects": 10_000_000})
    assert cost.monthly_cost == pytest.approx(10 * 0.0025)
