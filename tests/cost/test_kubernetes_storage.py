"""Volume claims priced as the EBS volume their StorageClass provisions.

Catalog prices used (us-east-1, ebs.yaml), per GB-month: gp3 $0.08, gp2 $0.10, io1 $0.125
plus $0.065 per provisioned IOPS-month, st1 $0.045; gp3 IOPS above 3,000 $0.005 each and
throughput above 125 MB/s $0.04 per MB/s.
"""

import pytest

GP3, GP2, IO1, IO1_IOPS, ST1 = 0.08, 0.10, 0.125, 0.065, 0.045
GP3_IOPS, GP3_THROUGHPUT = 0.005, 0.04


def claim(resource, storage_class=None, storage="100Gi"):
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": storage}}}
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    manifest = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": {"name": "data", "namespace": "shop"}, "spec": spec}
    return resource("k8s:core/PersistentVolumeClaim/shop/data", "core/PersistentVolumeClaim",
                    manifest)


def storage_class(resource, name, provisioner="ebs.csi.aws.com", parameters=None,
                  default=False):
    annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if default else {}
    manifest = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                "metadata": {"name": name, "annotations": annotations},
                "provisioner": provisioner, "parameters": parameters or {}}
    return resource(f"k8s:storage.k8s.io/StorageClass/_/{name}", "storage.k8s.io/StorageClass",
                    manifest)


def test_claim_uses_the_type_of_its_storage_class_in_the_tree(resource, priced, lines):
    fast = storage_class(resource, "fast", parameters={"type": "io1", "iopsPerGB": "10"})
    cost = priced(claim(resource, "fast"), others=[fast])
    # 100 GiB io1 × $0.125 = $12.50; 10 IOPS per GB × 100 = 1,000 IOPS × $0.065 = $65.00
    assert cost.monthly_cost == pytest.approx(100 * IO1 + 1000 * IO1_IOPS)
    assert "Storage 100 GiB as io1 (storage class fast)" in lines(cost)


def test_csi_class_defaults_to_gp3_and_bills_iops_and_throughput_above_the_baseline(
        resource, priced):
    tuned = storage_class(resource, "tuned", parameters={"iops": "4000", "throughput": "250"})
    cost = priced(claim(resource, "tuned"), others=[tuned])
    # $8.00 + 1,000 IOPS × $0.005 + 125 MB/s × $0.04
    assert cost.monthly_cost == pytest.approx(100 * GP3 + 1000 * GP3_IOPS + 125 * GP3_THROUGHPUT)


def test_in_tree_provisioner_defaults_to_gp2(resource, priced):
    legacy = storage_class(resource, "legacy", provisioner="kubernetes.io/aws-ebs")
    assert priced(claim(resource, "legacy"), others=[legacy]).monthly_cost == pytest.approx(
        100 * GP2)


def test_claim_without_a_class_gets_the_default_class_in_the_tree(resource, priced, lines):
    default = storage_class(resource, "throughput", parameters={"type": "st1"}, default=True)
    cost = priced(claim(resource), others=[default])
    assert cost.monthly_cost == pytest.approx(100 * ST1)
    assert "Storage 100 GiB as st1 (default storage class)" in lines(cost)


def test_a_class_named_after_a_volume_type_is_taken_as_that_type(resource, priced, lines):
    cost = priced(claim(resource, "gp2"))  # EKS creates a gp2 class
    assert cost.monthly_cost == pytest.approx(100 * GP2)
    assert "Storage 100 GiB as gp2 (storage class gp2, by its name)" in lines(cost)


def test_an_unknown_class_is_assumed_gp3_and_says_so(resource, priced, lines):
    cost = priced(claim(resource, "premium"))
    assert cost.monthly_cost == pytest.approx(100 * GP3)
    assert ("Storage 100 GiB as gp3 (storage class premium not in the repository; "
            "gp3 assumed)") in lines(cost)


def test_a_class_that_is_not_ebs_is_unpriced_with_its_provisioner(resource, estimate_of):
    shared = storage_class(resource, "shared", provisioner="efs.csi.aws.com")
    result = estimate_of([claim(resource, "shared"), shared])
    assert [u.reason for u in result.unpriced] == [
        "storage class shared provisions with 'efs.csi.aws.com': no price model"]


def test_stateful_set_claim_templates_follow_their_class(resource, priced, lines):
    fast = storage_class(resource, "fast", parameters={"type": "io1", "iops": "500"})
    manifest = {"metadata": {"name": "db", "namespace": "shop"},
                "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "db"}]}},
                         "volumeClaimTemplates": [{
                             "metadata": {"name": "data"},
                             "spec": {"storageClassName": "fast",
                                      "resources": {"requests": {"storage": "10Gi"}}}}]}}
    cost = priced(resource("k8s:apps/StatefulSet/shop/db", "apps/StatefulSet", manifest),
                  others=[fast])
    # 2 replicas × (10 GiB io1 × $0.125 + 500 IOPS × $0.065) = $2.50 + $65.00
    assert cost.monthly_cost == pytest.approx(2 * 10 * IO1 + 2 * 500 * IO1_IOPS)
    assert lines(cost)["Provisioned IOPS (io1)"].monthly_quantity == 1000


def test_storage_classes_are_free(resource, estimate_of):
    item = storage_class(resource, "fast")
    assert estimate_of([item]).free == [item.address]
