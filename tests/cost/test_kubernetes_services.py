"""Kubernetes Services of type LoadBalancer, priced as the AWS load balancer they create.

Catalog prices used (us-east-1, network.yaml): Network Load Balancer $0.0225 per hour and
$0.006 per NLCU-hour; Classic Load Balancer $0.025 per hour and $0.008 per GB processed.
"""

import pytest

NLB_HOUR, NLCU_HOUR, CLB_HOUR, CLB_GB = 0.0225, 0.006, 0.025, 0.008


def service(resource, spec_type="LoadBalancer", annotations=None, balancer_class=None):
    spec = {"type": spec_type, "ports": [{"port": 80}]}
    if balancer_class is not None:
        spec["loadBalancerClass"] = balancer_class
    manifest = {"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "web", "namespace": "shop",
                             "annotations": annotations or {}},
                "spec": spec}
    return resource("k8s:core/Service/shop/web", "core/Service", manifest)


def test_load_balancer_service_without_annotations_creates_a_classic_one(resource, priced,
                                                                         lines):
    cost = priced(service(resource))
    assert cost.monthly_cost == pytest.approx(730 * CLB_HOUR)  # $18.25
    data = lines(cost)["Data processed"]
    assert (data.unit_price, data.monthly_cost) == (CLB_GB, None)


def test_classic_one_reads_its_data_processed_from_usage(resource, priced):
    cost = priced(service(resource), {"monthly_data_processed_gb": 1000})
    assert cost.monthly_cost == pytest.approx(730 * CLB_HOUR + 1000 * CLB_GB)  # + $8.00


@pytest.mark.parametrize("annotations", [
    {"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"},
    {"service.beta.kubernetes.io/aws-load-balancer-type": "external",
     "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip"},
    {"service.beta.kubernetes.io/aws-load-balancer-type": "nlb-ip"},
])
def test_nlb_annotations_create_a_network_load_balancer(resource, priced, annotations):
    cost = priced(service(resource, annotations=annotations))
    assert cost.monthly_cost == pytest.approx(730 * NLB_HOUR)  # $16.43
    assert cost.components[0].component == "Network load balancer"


def test_the_aws_load_balancer_class_creates_a_network_load_balancer(resource, priced):
    cost = priced(service(resource, balancer_class="service.k8s.aws/nlb"),
                  {"processed_bytes_gb": 1000})
    # Infracost's reading: 1,000 GB processed are 1,000 NLCU-hours × $0.006 = $6.00
    assert cost.monthly_cost == pytest.approx(730 * NLB_HOUR + 1000 * NLCU_HOUR)


def test_another_load_balancer_class_is_unpriced_with_its_name(resource, estimate_of):
    result = estimate_of([service(resource, balancer_class="metallb.io/metallb")])
    assert [u.reason for u in result.unpriced] == [
        "load balancer class 'metallb.io/metallb': no price model"]


def test_an_unknown_type_annotation_is_unpriced_with_its_value(resource, estimate_of):
    result = estimate_of([service(resource, annotations={
        "service.beta.kubernetes.io/aws-load-balancer-type": "alb"})])
    assert [u.reason for u in result.unpriced] == [
        "service.beta.kubernetes.io/aws-load-balancer-type 'alb': no price model"]


@pytest.mark.parametrize("spec_type", ["ClusterIP", "NodePort", None])
def test_other_services_are_free(resource, estimate_of, spec_type):
    item = service(resource, spec_type=spec_type)
    assert estimate_of([item]).free == [item.address]
