"""The AWS emulator on loopback: a real moto server process that boto3 talks to by URL."""

import subprocess
import sys

import boto3
import pytest

from purser import sandbox


def test_the_sandbox_answers_boto3_at_its_endpoint_and_stops_cleanly():
    with sandbox.start() as running:
        assert running.endpoint.startswith("http://127.0.0.1:")
        sqs = boto3.client("sqs", endpoint_url=running.endpoint, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        sqs.create_queue(QueueName="orders")
        assert [u.rsplit("/", 1)[-1] for u in sqs.list_queues()["QueueUrls"]] == ["orders"]
    assert running.process.poll() is not None


def test_a_port_already_taken_is_a_clear_error():
    with sandbox.start() as running, pytest.raises(sandbox.SandboxError, match="already in use"):
        sandbox.start(running.port)


def test_purser_sandbox_prints_the_environment_to_export():
    child = subprocess.Popen([sys.executable, "-m", "purser", "sandbox"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = child.stdout.readline() if child.stdout else ""
        exports = child.stdout.readline() if child.stdout else ""
    finally:
        child.terminate()
        child.wait(timeout=20)
    assert first.startswith("AWS emulator on http://127.0.0.1:")
    assert "AWS_ENDPOINT_URL=http://127.0.0.1:" in exports
    assert "AWS_SECRET_ACCESS_KEY=testing" in exports


def test_the_sandbox_has_the_aws_managed_policies_templates_attach():
    with sandbox.start() as running:
        iam = boto3.client("iam", endpoint_url=running.endpoint, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        assert iam.get_policy(PolicyArn=arn)["Policy"]["PolicyName"] == \
            "AWSLambdaBasicExecutionRole"
