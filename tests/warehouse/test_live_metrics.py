"""Live metrics: CloudWatch on the real moto server, Prometheus as the real server scraping an
exporter the test starts, and a crafted query_range server for the answers that must fail."""

from __future__ import annotations

import contextlib
import datetime
import http.server
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import pytest
from typer.testing import CliRunner

from purser import sandbox
from purser.cli import app
from purser.warehouse import Warehouse
from purser.warehouse.queries import daily_usage
from purser.warehouse.sources import cloudwatch, prometheus

NOW = datetime.datetime.now(datetime.UTC).replace(minute=0, second=0, microsecond=0)
DAY = NOW - datetime.timedelta(hours=6)
ARN = "arn:aws:lambda:us-east-1:123456789012:function:{}"


def _invoke(repo: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["ingest", "metrics", "--repo", str(repo), *args])
    return result.exit_code, result.output


# -- CloudWatch on moto


def _put_invocations(function: str, counts: list[float]) -> None:
    cloudwatch = boto3.client("cloudwatch")
    for hour, count in enumerate(counts):
        cloudwatch.put_metric_data(Namespace="AWS/Lambda", MetricData=[{
            "MetricName": "Invocations",
            "Dimensions": [{"Name": "FunctionName", "Value": function}],
            "Timestamp": DAY + datetime.timedelta(hours=hour), "Value": count, "Unit": "Count"}])


def test_cloudwatch_invocations_per_function_arn_land_in_daily_usage(
        aws: sandbox.Sandbox, repo: Path) -> None:
    _put_invocations("checkout", [10, 20, 30])
    _put_invocations("notify", [5])
    window = ["--from", (DAY - datetime.timedelta(hours=1)).isoformat(),
              "--to", (DAY + datetime.timedelta(hours=4)).isoformat()]
    code, output = _invoke(repo, "--cloudwatch", "--namespace", "AWS/Lambda", "--metric",
                           "Invocations", "--step", "1h", *window)
    assert code == 0, output
    assert "4 rows into metrics" in output
    usage = daily_usage(Warehouse.of_repository(repo), "invocations")
    totals = usage.groupby("unique_id").y.sum().to_dict()
    assert totals == {ARN.format("checkout"): 60.0, ARN.format("notify"): 5.0}
    again = _invoke(repo, "--cloudwatch", "--namespace", "AWS/Lambda", "--metric",
                    "Invocations", *window)
    assert again[0] == 0 and "already ingested" in again[1]


def test_cloudwatch_dimension_filter_keeps_one_function(aws: sandbox.Sandbox) -> None:
    _put_invocations("checkout", [10])
    _put_invocations("notify", [5])
    query = cloudwatch.Query("AWS/Lambda", "Duration", {"FunctionName": "notify"})
    boto3.client("cloudwatch").put_metric_data(Namespace="AWS/Lambda", MetricData=[{
        "MetricName": "Duration", "Dimensions": [{"Name": "FunctionName", "Value": "notify"}],
        "Timestamp": DAY, "Value": 120.0, "Unit": "Milliseconds"}])
    rows = cloudwatch.fetch(query, start=DAY - datetime.timedelta(hours=1),
                            end=DAY + datetime.timedelta(hours=1))
    assert [(r.resource_id, r.metric, r.value, r.unit) for r in rows] == [
        (ARN.format("notify"), "duration", 120.0, "Milliseconds")]


def test_cloudwatch_unknown_metric_is_one_usage_error(aws: sandbox.Sandbox, repo: Path) -> None:
    code, output = _invoke(repo, "--cloudwatch", "--namespace", "AWS/Lambda", "--metric",
                           "Throttles", "--from", DAY.isoformat())
    assert code == 2
    assert "no purser metric for AWS/Lambda Throttles" in output


# -- the real Prometheus


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def exporter() -> Iterator[int]:
    """A tiny exporter: a gauge of invocations labelled resource_id, on 127.0.0.1."""
    from prometheus_client import CollectorRegistry, Gauge, start_http_server

    registry = CollectorRegistry()
    gauge = Gauge("purser_test_invocations", "Invocations", ["resource_id"], registry=registry)
    gauge.labels("fn-a").set(3)
    gauge.labels("fn-b").set(7)
    port = _free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=registry)
    yield port
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="module")
def prometheus_url(exporter: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("no prometheus binary on PATH (Debian's `prometheus` package; .ci/run "
                    "installs it)")
    folder = tmp_path_factory.mktemp("prometheus")
    config = folder / "prometheus.yml"
    config.write_text(f"global: {{scrape_interval: 1s}}\nscrape_configs:\n- job_name: test\n"
                      f"  static_configs: [{{targets: ['127.0.0.1:{exporter}']}}]\n")
    port = _free_port()
    with (folder / "log").open("wb") as log:
        process = subprocess.Popen(
            [binary, f"--config.file={config}", f"--storage.tsdb.path={folder / 'data'}",
             f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _series(url) >= 2, "Prometheus to scrape the exporter")
        yield url
    finally:
        process.terminate()
        process.wait(10)


def _seconds_ago(seconds: int) -> str:
    return (datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=seconds)).isoformat()


def _series(url: str) -> int:
    query = urllib.parse.urlencode({"query": "purser_test_invocations"})
    with urllib.request.urlopen(f"{url}/api/v1/query?{query}", timeout=5) as response:
        return len(json.load(response)["data"]["result"])


def test_prometheus_query_range_rows_per_resource_label(prometheus_url: str, repo: Path) -> None:
    code, output = _invoke(repo, "--prometheus", prometheus_url, "--query",
                           "purser_test_invocations", "--metric", "invocations",
                           "--from", _seconds_ago(20), "--step", "1s")
    assert code == 0, output
    frame = Warehouse.of_repository(repo).frame(
        "SELECT resource_id, MIN(value) AS low, MAX(value) AS high, COUNT(*) AS n "
        "FROM metrics GROUP BY 1 ORDER BY 1")
    assert frame.resource_id.tolist() == ["fn-a", "fn-b"]
    assert frame.low.tolist() == frame.high.tolist() == [3.0, 7.0]
    assert (frame.n > 0).all()


def test_prometheus_series_without_the_label_is_refused(prometheus_url: str, repo: Path) -> None:
    code, output = _invoke(repo, "--prometheus", prometheus_url, "--query",
                           "sum(purser_test_invocations)", "--metric", "invocations",
                           "--from", _seconds_ago(20), "--step", "1s")
    assert code == 2
    assert "no label 'resource_id'" in output


# -- crafted answers


@pytest.fixture
def crafted() -> Iterator[Callable[[int, bytes], str]]:
    """A local server answering every request with the status and body the test sets."""
    answer: dict[str, tuple[int, bytes]] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = answer["reply"]
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client stopped reading at its bound
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def serve(status: int, body: bytes) -> str:
        answer["reply"] = (status, body)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    server.shutdown()


@pytest.mark.parametrize(("status", "body", "message"), [
    (200, b"<html>not json", "not JSON"),
    (400, b'{"status": "error", "error": "parse error: unexpected end"}',
     "HTTP 400: parse error: unexpected end"),
    (200, b'{"status": "success", "data": {"resultType": "vector", "result": []}}',
     "expected a range (matrix) result"),
    (200, b'{"status": "success", "data": {"resultType": "matrix", "result": [{"x": 1}]}}',
     "unexpected query_range answer"),
])
def test_a_bad_prometheus_answer_is_one_error_and_nothing_ingested(
        crafted: Callable[[int, bytes], str], repo: Path, status: int, body: bytes,
        message: str) -> None:
    code, output = _invoke(repo, "--prometheus", crafted(status, body), "--query", "up",
                           "--metric", "cpu", "--from", NOW.isoformat())
    assert code == 2
    assert message in output and len(output.strip().splitlines()) == 1
    assert Warehouse.of_repository(repo).frame("SELECT COUNT(*) AS n FROM metrics").n[0] == 0


def test_a_prometheus_answer_over_the_bound_is_refused(
        crafted: Callable[[int, bytes], str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prometheus, "MAX_BYTES", 1 << 10)
    url = crafted(200, b" " * (1 << 12))
    with pytest.raises(prometheus.PrometheusError, match="answer over"):
        prometheus.fetch(url, "up", metric="cpu", start=NOW, end=NOW, step=60)


@pytest.mark.parametrize("args", [
    [],
    ["metrics.csv", "--prometheus", "http://127.0.0.1:1"],
    ["--prometheus", "http://127.0.0.1:1", "--cloudwatch"],
    ["--prometheus", "http://127.0.0.1:1", "--metric", "cpu", "--from", "2026-05-01"],
    ["--prometheus", "file:///etc/passwd", "--query", "up", "--metric", "cpu", "--from",
     "2026-05-01"],
    ["--prometheus", "http://127.0.0.1:1", "--query", "up", "--metric", "cpu", "--from",
     "2026-05-01", "--step", "1y"],
    ["--cloudwatch", "--namespace", "AWS/Lambda", "--metric", "Invocations", "--from", "x"],
])
def test_live_usage_errors_exit_2(repo: Path, args: list[str]) -> None:
    code, output = _invoke(repo, *args)
    assert code == 2, output
    assert output.startswith("error:") or "Usage" in output
