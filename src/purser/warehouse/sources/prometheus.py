"""Metrics from Prometheus's HTTP `query_range` API: each series of a range query becomes rows
of one purser metric, the series' `label` (default `resource_id`) naming the resource."""

from __future__ import annotations

import datetime
import json
import math
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from purser.warehouse.errors import WarehouseError
from purser.warehouse.metrics import NAMES
from purser.warehouse.sources import MetricRow

MAX_BYTES = 50 << 20  # a range answer beyond this is a query to narrow, not data to hold
TIMEOUT = 60.0
LABEL = "resource_id"


class PrometheusError(WarehouseError):
    """The server could not be asked or its answer is unusable: nothing is ingested."""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        _checked_url(newurl)  # urllib would follow a redirect to ftp:// too
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, query: str, *, metric: str, start: datetime.datetime,
          end: datetime.datetime, step: float, label: str = LABEL,
          timeout: float = TIMEOUT) -> list[MetricRow]:
    """Rows of `metric` from the PromQL `query` over [start, end] every `step` seconds."""
    if metric not in NAMES:
        raise PrometheusError(f"unknown metric {metric!r}: expected one of {', '.join(NAMES)}")
    answer = query_range(url, query, start=start, end=end, step=step, timeout=timeout)
    return rows(answer, metric=metric, label=label)


def query_range(url: str, query: str, *, start: datetime.datetime, end: datetime.datetime,
                step: float, timeout: float = TIMEOUT) -> dict[str, Any]:
    """The `data` of a successful `/api/v1/query_range` answer."""
    params = urllib.parse.urlencode({"query": query, "start": start.timestamp(),
                                     "end": end.timestamp(), "step": step})
    endpoint = _checked_url(url).rstrip("/") + "/api/v1/query_range?" + params
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    try:
        with opener.open(endpoint, timeout=timeout) as response:
            body = _bounded(response)
    except urllib.error.HTTPError as exc:
        raise PrometheusError(f"{url}: HTTP {exc.code}{_reason(exc)}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PrometheusError(f"{url}: cannot be reached: {reason}") from None
    answer = _json(body)
    if answer.get("status") != "success":
        raise PrometheusError(f"{url}: query failed: {answer.get('error', 'no error given')}")
    data = answer.get("data")
    if not isinstance(data, dict) or data.get("resultType") != "matrix":
        raise PrometheusError(f"{url}: expected a range (matrix) result")
    return data


def rows(data: dict[str, Any], *, metric: str, label: str = LABEL) -> list[MetricRow]:
    """One row per finite sample; a series without `label` is refused (its resource is
    unknown), NaN and infinite samples are gaps, not measurements."""
    found = []
    try:
        for series in data["result"]:
            labels = series["metric"]
            if label not in labels:
                raise PrometheusError(f"a series has no label {label!r} ({_shown(labels)}); "
                                      "choose the label naming the resource with --label")
            for stamp, text in series["values"]:
                value = float(text)
                if math.isfinite(value):
                    when = datetime.datetime.fromtimestamp(float(stamp), datetime.UTC)
                    found.append(MetricRow(when, str(labels[label]), metric, value))
    except (KeyError, TypeError, ValueError) as exc:
        raise PrometheusError(f"unexpected query_range answer: {exc!r}") from None
    return found


def _checked_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PrometheusError(f"{url!r}: expected an http:// or https:// URL of Prometheus")
    return url


def _bounded(response: Any) -> bytes:
    body: bytes = response.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        raise PrometheusError(f"answer over {MAX_BYTES >> 20} MB: narrow the query, the "
                              "range or the step")
    return body


def _json(body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body)
    except ValueError:
        raise PrometheusError("the answer is not JSON: is the URL Prometheus's?") from None
    if not isinstance(answer, dict):
        raise PrometheusError("the answer is not a Prometheus API object")
    return answer


def _reason(error: urllib.error.HTTPError) -> str:
    """Prometheus's own error text when the body carries one (bad PromQL, bad step)."""
    try:
        message = json.loads(error.read(1 << 16)).get("error")
    except (ValueError, AttributeError, OSError):
        return ""
    return f": {str(message).splitlines()[0]}" if message else ""


def _shown(labels: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in sorted(labels.items())) or "no labels"
