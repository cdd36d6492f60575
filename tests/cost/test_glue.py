import pytest

JOB = "aws_glue_job"


def job(resource, **attrs):
    return resource("aws_glue_job.etl", JOB,
                    {"name": "etl", "command": {"script_location": "s3://b/s.py"}, **attrs})


def test_job_dpus_come_from_workers_times_their_type(resource, priced, lines):
    cost = priced(job(resource, number_of_workers=10, worker_type="G.2X"), {"monthly_hours": 60})
    # 10 workers x 2 DPUs x 60 h at $0.44 per DPU-hour
    assert cost.monthly_cost == pytest.approx(10 * 2 * 60 * 0.44)
    assert set(lines(cost)) == {"Duration (20 DPUs)"}


def test_max_capacity_sets_the_dpus(resource, priced):
    cost = priced(job(resource, max_capacity=10), {"monthly_hours": 60})
    assert cost.monthly_cost == pytest.approx(10 * 60 * 0.44)


def test_unwritten_capacity_takes_aws_default_and_says_so(resource, priced, lines):
    spark = lines(priced(job(resource), {"monthly_hours": 1}))
    assert spark["Duration (10 DPUs, assumed)"].monthly_cost == pytest.approx(10 * 0.44)
    shell = priced(job(resource, command={"name": "pythonshell"}), {"monthly_hours": 100})
    assert shell.monthly_cost == pytest.approx(0.0625 * 100 * 0.44)


def test_flex_jobs_have_their_own_rate(resource, priced):
    cost = priced(job(resource, number_of_workers=4, worker_type="G.1X",
                      execution_class="FLEX"), {"monthly_hours": 10})
    assert cost.monthly_cost == pytest.approx(4 * 10 * 0.29)  # Flex $0.29 per DPU-hour


def test_without_hours_or_with_unknown_workers_the_cost_stays_unknown(resource, priced):
    (line,) = priced(job(resource, number_of_workers=2)).components
    assert line.monthly_cost is None and line.unit_price == 0.44
    unknown = job(resource)
    unknown.unknown = ["number_of_workers"]
    (line,) = priced(unknown, {"monthly_hours": 5}).components
    assert line.monthly_cost is None


def test_crawler_hours_are_priced_as_dpu_hours(resource, priced):
    crawler = resource("aws_glue_crawler.c", "aws_glue_crawler", {"database_name": "d"})
    assert priced(crawler, {"monthly_hours": 60}).monthly_cost == pytest.approx(60 * 0.44)


def test_catalog_database_pays_objects_and_requests(resource, priced):
    database = resource("aws_glue_catalog_database.d", "aws_glue_catalog_database", {"name": "d"})
    cost = priced(database, {"monthly_objects": 200_000, "monthly_requests": 300_000_000})
    # $1 per 100k objects, $1 per 1M requests
    assert cost.monthly_cost == pytest.approx(2 * 1.00 + 300 * 1.00)


def test_cloudformation_glue_types_are_priced_through_their_kinds(resource, priced):
    template = resource("cfn:glue.yaml#Job", "AWS::Glue::Job",
                        {"Name": "etl", "Command": {"Name": "glueetl"},
                         "NumberOfWorkers": 5, "WorkerType": "G.1X"})
    assert priced(template, {"monthly_hours": 2}).monthly_cost == pytest.approx(5 * 2 * 0.44)
    crawler = resource("cfn:glue.yaml#Crawler", "AWS::Glue::Crawler", {"DatabaseName": "d"})
    assert priced(crawler, {"monthly_hours": 1}).monthly_cost == pytest.approx(0.44)
    database = resource("cfn:glue.yaml#Db", "AWS::Glue::Database",
                        {"DatabaseInput": {"Name": "d"}})
    assert priced(database, {"monthly_requests": 1e6}).monthly_cost == pytest.approx(1.00)
