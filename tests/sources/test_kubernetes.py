"""Kubernetes and Knative manifests → Resources: addresses, types, lines, labels, lists."""

from pathlib import Path

import pytest

from purser.config import Config
from purser.model import Resource
from purser.sources import LoadContext, Loaded, kubernetes, load_files
from purser.sources.kubernetes import KubernetesFormat
from purser.sources.walk import walk

FIXTURES = Path(__file__).parent / "fixtures" / "kubernetes"


def load(root: Path) -> Loaded:
    return load_files(walk(root).files, LoadContext(root=root, config=Config()))


def by_address(loaded: Loaded) -> dict[str, Resource]:
    return {r.address: r for r in loaded.resources}


@pytest.fixture(scope="module")
def fixtures() -> Loaded:
    return load(FIXTURES)


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_fixture_manifests_load_without_errors(fixtures: Loaded) -> None:
    assert fixtures.errors == []
    assert {r.format for r in fixtures.resources} == {"kubernetes"}
    assert {r.provider for r in fixtures.resources} == {"kubernetes"}
    assert {r.region for r in fixtures.resources} == {None}


@pytest.mark.parametrize(("address", "type_"), [
    ("k8s:core/Pod/shop/debug", "core/Pod"),
    ("k8s:apps/Deployment/shop/web", "apps/Deployment"),
    ("k8s:apps/StatefulSet/shop/db", "apps/StatefulSet"),
    ("k8s:apps/DaemonSet/kube-system/log-agent", "apps/DaemonSet"),
    ("k8s:apps/ReplicaSet/default/legacy", "apps/ReplicaSet"),
    ("k8s:batch/Job/shop/migrate", "batch/Job"),
    ("k8s:batch/CronJob/shop/nightly-report", "batch/CronJob"),
])
def test_every_workload_kind_gets_its_address_and_type(fixtures: Loaded, address: str,
                                                       type_: str) -> None:
    resource = by_address(fixtures)[address]
    assert resource.type == type_
    assert resource.name == address.rsplit("/", 1)[1]


def test_multi_document_stream_keeps_each_documents_first_line(fixtures: Loaded) -> None:
    resources = by_address(fixtures)
    assert resources["k8s:core/Pod/shop/debug"].source.line == 2
    deployment = resources["k8s:apps/Deployment/shop/web"].source
    assert (deployment.file, deployment.line) == ("workloads.yaml", 12)
    assert deployment.end_line == 35  # the line before the next "---"


def test_manifest_is_kept_whole_in_attrs(fixtures: Loaded) -> None:
    web = by_address(fixtures)["k8s:apps/Deployment/shop/web"]
    assert web.attrs["apiVersion"] == "apps/v1"
    assert web.get("spec.replicas") == 2
    assert web.get("spec.template.spec.containers.0.resources.requests.cpu") == "250m"


def test_labels_become_string_tags_and_annotations_are_kept(fixtures: Loaded) -> None:
    web = by_address(fixtures)["k8s:apps/Deployment/shop/web"]
    assert web.tags == {"app": "web", "team": "storefront", "replicas-hint": "3"}
    assert web.annotations == {"purser.dev/justification": "serves the storefront"}


def test_list_kinds_contribute_their_items_at_the_items_lines(fixtures: Loaded) -> None:
    resources = by_address(fixtures)
    service = resources["k8s:core/Service/shop/web"]
    assert (service.type, service.source.file, service.source.line) == (
        "core/Service", "lists.yaml", 5)
    assert resources["k8s:core/ConfigMap/shop/settings"].source.line == 30
    assert resources["k8s:core/ConfigMap/shop/features"].get("data.NEW_CHECKOUT") == "true"
    assert not any(r.type in ("core/List", "core/ConfigMapList") for r in fixtures.resources)


def test_horizontal_pod_autoscalers_of_both_api_versions(fixtures: Loaded) -> None:
    resources = by_address(fixtures)
    v1 = resources["k8s:autoscaling/HorizontalPodAutoscaler/shop/web-legacy"]
    v2 = resources["k8s:autoscaling/HorizontalPodAutoscaler/shop/web"]
    assert v1.type == v2.type == "autoscaling/HorizontalPodAutoscaler"
    assert v1.get("spec.targetCPUUtilizationPercentage") == 70
    assert v2.get("spec.metrics.0.resource.target.averageUtilization") == 65
    assert v2.get("spec.scaleTargetRef.name") == "web"


def test_knative_service_is_typed_by_its_group(fixtures: Loaded) -> None:
    service = by_address(fixtures)["k8s:serving.knative.dev/Service/ml/recommender"]
    assert service.type == "serving.knative.dev/Service"
    assert service.tags == {"team": "ml"}
    assert service.get("spec.template.metadata.annotations")[
        "autoscaling.knative.dev/min-scale"] == "1"


@pytest.mark.parametrize(("address", "type_"), [
    ("k8s:core/Namespace/_/shop", "core/Namespace"),
    ("k8s:rbac.authorization.k8s.io/ClusterRole/_/reader",
     "rbac.authorization.k8s.io/ClusterRole"),
    ("k8s:rbac.authorization.k8s.io/RoleBinding/shop/web-reader",
     "rbac.authorization.k8s.io/RoleBinding"),
    ("k8s:core/ServiceAccount/shop/web", "core/ServiceAccount"),
    ("k8s:networking.k8s.io/NetworkPolicy/shop/default-deny",
     "networking.k8s.io/NetworkPolicy"),
    ("k8s:networking.k8s.io/Ingress/shop/web", "networking.k8s.io/Ingress"),
    ("k8s:policy/PodDisruptionBudget/shop/web", "policy/PodDisruptionBudget"),
    ("k8s:core/Secret/shop/db", "core/Secret"),
])
def test_other_kinds_and_cluster_scoped_ones_use_underscore(fixtures: Loaded, address: str,
                                                            type_: str) -> None:
    assert by_address(fixtures)[address].type == type_


def test_custom_resources_are_resources_too(tmp_path: Path) -> None:
    write(tmp_path, "cert.yaml", "apiVersion: cert-manager.io/v1\nkind: Certificate\n"
                                 "metadata: {name: shop-tls, namespace: shop}\n"
                                 "spec: {secretName: shop-tls}\n")
    [certificate] = load(tmp_path).resources
    assert certificate.address == "k8s:cert-manager.io/Certificate/shop/shop-tls"
    assert certificate.type == "cert-manager.io/Certificate"


def test_yaml_that_is_not_a_manifest_is_passed_over_silently(tmp_path: Path) -> None:
    write(tmp_path, ".github/workflows/ci.yml", "on: push\njobs: {test: {runs-on: x}}\n")
    write(tmp_path, "ansible/site.yml", "- hosts: all\n  tasks: []\n")
    write(tmp_path, "usage.yml", "version: 0.1\nresource_usage: {}\n")
    write(tmp_path, "purser.yaml", "project: shop\n")
    write(tmp_path, "empty.yaml", "")
    loaded = load(tmp_path)
    assert loaded.resources == [] and loaded.errors == []


def test_helm_templates_are_skipped_without_error(tmp_path: Path) -> None:
    write(tmp_path, "chart/templates/deployment.yaml",
          "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")
    write(tmp_path, "chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 1.0.0\n")
    write(tmp_path, "chart/values.yaml", "replicaCount: 2\n")
    loaded = load(tmp_path)
    assert loaded.resources == [] and loaded.errors == []


def test_plain_manifests_in_a_templates_folder_still_load(tmp_path: Path) -> None:
    write(tmp_path, "templates/ns.yaml", "apiVersion: v1\nkind: Namespace\n"
                                         "metadata: {name: shop}\n")
    assert [r.address for r in load(tmp_path).resources] == ["k8s:core/Namespace/_/shop"]


def test_kustomization_and_the_patches_it_lists_are_not_objects(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))  # not rendered: read as written
    deployment = ("apiVersion: apps/v1\nkind: Deployment\n"
                  "metadata: {name: web, namespace: shop}\nspec: {replicas: %d}\n")
    write(tmp_path, "base/deployment.yaml", deployment % 1)
    write(tmp_path, "base/kustomization.yaml",
          "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
          "resources: [deployment.yaml]\n")
    write(tmp_path, "overlays/prod/replicas.yaml", deployment % 5)
    write(tmp_path, "overlays/prod/kustomization.yaml",
          "resources: [../../base]\npatches:\n  - path: replicas.yaml\n")
    loaded = load(tmp_path)
    assert loaded.errors == []
    assert [(r.address, r.source.file) for r in loaded.resources] == [
        ("k8s:apps/Deployment/shop/web", "base/deployment.yaml")]


def test_a_document_without_a_name_is_one_error_and_the_others_still_load(
        tmp_path: Path) -> None:
    write(tmp_path, "app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                                "---\napiVersion: v1\nkind: ConfigMap\n"
                                "metadata: {namespace: shop}\n"
                                "---\n- not\n- a mapping\n"
                                "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n")
    loaded = load(tmp_path)
    assert [r.name for r in loaded.resources] == ["a", "b"]
    assert [str(e) for e in loaded.errors] == [
        "app.yaml:5: ConfigMap has no metadata.name",
        "app.yaml:9: expected a Kubernetes object (a mapping), found a list"]


def test_malformed_yaml_is_one_error_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n")
    write(tmp_path, "good.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n")
    loaded = load(tmp_path)
    [error] = loaded.errors
    assert (error.file, error.line) == ("bad.yaml", 5)
    assert error.message.startswith("invalid YAML")
    assert [r.name for r in loaded.resources] == ["ok"]


def test_a_field_set_on_a_loaded_resource_does_not_reach_the_next_load(tmp_path: Path) -> None:
    write(tmp_path, "ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")
    [first] = load(tmp_path).resources
    first.attrs = {"metadata": {"name": "changed"}}
    [second] = load(tmp_path).resources
    assert second.attrs["metadata"]["name"] == "shop"


def test_claims_yaml_but_not_purser_yaml_or_other_extensions(tmp_path: Path) -> None:
    files = {f.rel: f for f in walk(_repo_with(tmp_path, "a.yml", "b.yaml", "purser.yaml",
                                               "c.json", "sub/purser.yaml")).files}
    reader = KubernetesFormat()
    assert sorted(rel for rel, f in files.items() if reader.claims(f)) == [
        "a.yml", "b.yaml", "sub/purser.yaml"]


def _repo_with(root: Path, *rels: str) -> Path:
    for rel in rels:
        write(root, rel, "{}\n")
    return root


def test_values_nested_too_deeply_are_one_error_with_a_line(tmp_path: Path) -> None:
    depth = 990  # within the YAML parser's own limit, beyond Python's recursion limit
    write(tmp_path, "deep.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
                                 "data: " + "[" * depth + "]" * depth + "\n")
    write(tmp_path, "ok.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n")
    loaded = load(tmp_path)
    assert [str(e) for e in loaded.errors] == [
        "deep.yaml:4: values nested more than 100 levels deep"]
    assert [r.name for r in loaded.resources] == ["ok"]


# -- hostile manifests ----------------------------------------------------------------------

PRIVILEGED_HIDDEN = """\
apiVersion: v1
kind: Pod
metadata: {name: sneaky}
spec:
  containers:
    - name: app
      image: app:1
      securityContext:
        privileged: true
      securityContext:
        privileged: false
"""


def test_a_second_security_context_cannot_hide_the_first(tmp_path: Path) -> None:
    write(tmp_path, "pod.yaml", PRIVILEGED_HIDDEN)
    write(tmp_path, "ok.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n")
    loaded = load(tmp_path)
    assert [str(e) for e in loaded.errors] == [
        "pod.yaml:10: duplicate key 'securityContext' (first written on line 8)"]
    assert [r.name for r in loaded.resources] == ["ok"]


def test_a_list_past_the_object_bound_is_one_error_at_the_first_extra_item(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kubernetes, "MAX_OBJECTS", 3)
    items = "".join(f"  - {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}}}}}\n"
                    for i in range(5))
    write(tmp_path, "list.yaml", "apiVersion: v1\nkind: List\nitems:\n" + items)
    write(tmp_path, "three.yaml", "apiVersion: v1\nkind: List\nitems:\n" + items[:3 * 60])
    loaded = load(tmp_path)
    assert [str(e) for e in loaded.errors] == ["list.yaml:7: more than 3 objects in one file"]
    assert [r.name for r in loaded.resources] == ["c0", "c1", "c2"]


def test_documents_and_items_count_together_against_the_bound(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kubernetes, "MAX_OBJECTS", 3)
    one = "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n"
    two = "apiVersion: v1\nkind: List\nitems:\n" + "  - {apiVersion: v1, kind: Namespace," \
          " metadata: {name: m}}\n" * 2
    write(tmp_path, "mixed.yaml", one + "---\n" + one + "---\n" + two)
    assert [str(e) for e in load(tmp_path).errors] == [
        "mixed.yaml:13: more than 3 objects in one file"]


def test_a_repeated_problem_is_one_error_with_its_count(tmp_path: Path) -> None:
    broken = "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n"
    write(tmp_path, "many.yaml", "---\n".join([broken] * 500))
    assert [str(e) for e in load(tmp_path).errors] == [
        "many.yaml:1: ConfigMap has no metadata.name (and 499 more like it in this file)"]


def test_many_different_problems_are_capped_with_how_many_more(tmp_path: Path) -> None:
    kinds = [f"Kind{i}" for i in range(kubernetes.MAX_ERRORS_PER_FILE + 5)]
    write(tmp_path, "many.yaml", "---\n".join(
        f"apiVersion: v1\nkind: {kind}\nmetadata: {{}}\n" for kind in kinds))
    errors = load(tmp_path).errors
    assert len(errors) == kubernetes.MAX_ERRORS_PER_FILE + 1
    assert errors[-1].message == (
        f"5 more different errors in this file; the first: {kinds[-5]} has no metadata.name")


@pytest.mark.parametrize(("value", "expected"), [
    ("2027-13-45", "2027-13-45"),  # no date: the text as written
    ('"\\uDFFF"', None),  # a lone surrogate: refused
    ("9" * 5000, None),  # an integer of 5,000 digits: refused
])
def test_hostile_scalars_are_text_or_the_files_error(tmp_path: Path, value: str,
                                                     expected: str | None) -> None:
    write(tmp_path, "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
                               f"data:\n  v: {value}\n")
    loaded = load(tmp_path)
    if expected is None:
        assert [(e.file, e.line) for e in loaded.errors] == [("cm.yaml", 5)]
    else:
        assert loaded.errors == [] and loaded.resources[0].attrs["data"] == {"v": expected}


POD_TEMPLATE = """apiVersion: {api}
kind: {kind}
metadata:
  name: x
spec:
{spec}"""


@pytest.mark.parametrize(("kind", "api", "spec", "message"), [
    ("Deployment", "apps/v1", "  template:\n    spec:\n      containers: 7\n",
     "Deployment x: spec.template.spec.containers: expected a list, found a number or "
     "other scalar"),
    ("Deployment", "apps/v1", "  template:\n    spec:\n      containers: [7]\n",
     "Deployment x: spec.template.spec.containers[0]: expected a container (a mapping), "
     "found a number or other scalar"),
    ("Pod", "v1", "  containers:\n    - name: a\n      env: {A: b}\n",
     "Pod x: spec.containers[0].env: expected a list, found a mapping"),
    # An image rule would otherwise pass it unread.
    ("Pod", "v1", "  containers:\n    - name: a\n      image: {x: 1}\n",
     "Pod x: spec.containers[0].image: expected a string, found a mapping"),
    ("CronJob", "batch/v1",
     "  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n"
     "            - resources: {requests: [1]}\n",
     "CronJob x: spec.jobTemplate.spec.template.spec.containers[0].resources.requests: "
     "expected a mapping, found a list"),
    ("Service", "serving.knative.dev/v1",
     "  template:\n    metadata:\n      annotations: [a]\n    spec:\n      containers: []\n",
     "Service x: spec.template.metadata.annotations: expected a mapping, found a list"),
])
def test_a_workload_of_a_shape_kubernetes_refuses_is_an_error_not_a_resource(
        tmp_path: Path, kind: str, api: str, spec: str, message: str) -> None:
    write(tmp_path, "w.yaml", POD_TEMPLATE.format(api=api, kind=kind, spec=spec))
    write(tmp_path, "ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    loaded = load(tmp_path)
    assert [(e.file, e.line, e.message) for e in loaded.errors] == [("w.yaml", 1, message)]
    assert [r.name for r in loaded.resources] == ["c"]


def test_labels_that_are_not_a_mapping_are_an_error(tmp_path: Path) -> None:
    write(tmp_path, "c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
                              "  labels: [team]\n")
    assert [e.message for e in load(tmp_path).errors] == [
        "ConfigMap c: metadata.labels: expected a mapping, found a list"]
