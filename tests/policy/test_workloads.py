"""Workload accessors hold nothing for a wrong-shaped manifest instead of raising."""

from purser.model import Resource, SourceRef
from purser.policy.workloads import containers, knative_autoscaling


def deployment(spec: dict) -> Resource:
    return Resource(address="k8s:d", type="apps/Deployment", provider="kubernetes", name="d",
                    attrs={"spec": {"template": spec}}, source=SourceRef(file="d.yaml"))


def test_containers_that_are_not_a_list_are_none():
    assert containers(deployment({"spec": {"containers": 7, "initContainers": "x"}})) == []


def test_annotations_that_are_not_a_mapping_hold_no_autoscaling_setting():
    knative = deployment({"metadata": {"annotations": ["a"]}, "spec": {}})
    knative.type = "serving.knative.dev/Service"
    assert knative_autoscaling(knative, "min-scale") is None
