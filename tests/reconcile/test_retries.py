"""Transient errors are retried with growing, jittered pauses; permanent ones are not."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from purser.reconcile.appliers import ApplyError
from purser.reconcile.appliers.aws.client import MAX_ATTEMPTS, with_retries


def error(code: str, message: str = "") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "CreateFunction")


def failing(*errors: Exception):
    remaining = list(errors)

    def call() -> str:
        if remaining:
            raise remaining.pop(0)
        return "done"

    return call


def test_an_eventually_consistent_error_is_retried_with_growing_jittered_pauses():
    pauses: list[float] = []
    role_not_ready = error("InvalidParameterValueException",
                           "The role defined for the function cannot be assumed by Lambda.")

    result = with_retries(failing(role_not_ready, role_not_ready, role_not_ready),
                          what="creating function f", sleep=pauses.append)

    assert result == "done" and len(pauses) == 3
    assert pauses[0] < pauses[2]  # exponential: the jitter never undoes a doubling twice
    assert all(0.1 <= pause <= 5.0 for pause in pauses)


def test_a_permanent_error_is_not_retried_and_names_what_failed():
    pauses: list[float] = []

    with pytest.raises(ApplyError, match=r"creating queue q: InvalidAttributeValue: bad value"):
        with_retries(failing(error("InvalidAttributeValue", "bad\n value")),
                     what="creating queue q", sleep=pauses.append)
    assert pauses == []


def test_retries_stop_after_the_last_attempt():
    pauses: list[float] = []
    busy = error("ResourceConflictException", "An update is in progress for resource")

    with pytest.raises(ApplyError, match="in progress"):
        with_retries(failing(*[busy] * MAX_ATTEMPTS), what="updating function f",
                     sleep=pauses.append)
    assert len(pauses) == MAX_ATTEMPTS - 1


def test_an_unreachable_endpoint_is_one_line():
    with pytest.raises(ApplyError, match=r"^listing: Could not connect to the endpoint URL"):
        with_retries(failing(EndpointConnectionError(endpoint_url="http://127.0.0.1:9")),
                     what="listing", sleep=lambda _: None)
