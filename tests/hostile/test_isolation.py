"""Attack cases on the rule engine and the estimator: a manifest shaped so that a rule or a
pricer cannot read it costs that rule on that resource, never the whole check."""

import json
from pathlib import Path

from .conftest import build, run_purser

BUCKET_TF = 'resource "aws_s3_bucket" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}\n'

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: shop
spec:
  replicas: 2
  template:
    spec:
{spec}"""

RESOURCES_AS_A_LIST = """      containers:
        - name: app
          image: nginx:1.25
          resources:
            - limits: {cpu: "1"}
"""

INIT_CONTAINERS_AS_A_NUMBER = """      initContainers: 7
      containers:
        - name: app
          image: nginx:1.25
"""


def check(repo: Path) -> tuple[int, dict]:
    outcome = run_purser("check", repo, "--format", "json")
    outcome.assert_clean()
    return outcome.code, json.loads(outcome.stdout)


def test_a_resources_list_is_refused_as_kubernetes_would_refuse_it(tmp_path):
    repo = build(tmp_path / "repo", {
        "main.tf": BUCKET_TF,
        "k8s/web.yaml": DEPLOYMENT.format(name="web", spec=RESOURCES_AS_A_LIST)})
    code, report = check(repo)
    assert [(e["file"], e["line"], e["message"]) for e in report["errors"]] == [
        ("k8s/web.yaml", 1, "Deployment web: spec.template.spec.containers[0].resources: "
                            "expected a mapping, found a list")]
    assert ("PUR-SEC-014", "aws_s3_bucket.site") in {
        (f["rule_id"], f["resource"]) for f in report["findings"]}
    assert code == 2  # incomplete: the Deployment could not be judged


def test_a_wrong_shaped_workload_costs_only_itself(tmp_path):
    """Raising rules and pricers are isolated in process (tests/policy/test_engine.py,
    tests/cost/test_estimate.py); a manifest whose shape would make them raise is refused
    by the reader first, with its line, and everything else is still checked and priced."""
    repo = build(tmp_path / "repo", {
        "main.tf": BUCKET_TF,
        "k8s/broken.yaml": DEPLOYMENT.format(name="broken", spec=INIT_CONTAINERS_AS_A_NUMBER),
        "k8s/web.yaml": DEPLOYMENT.format(name="web", spec=""" containers:
        - name: app
          image: nginx:1.25
""".replace(" containers", "      containers"))})
    code, report = check(repo)
    assert code == 2
    assert [(e["file"], e["line"], e["message"]) for e in report["errors"]] == [
        ("k8s/broken.yaml", 1, "Deployment broken: spec.template.spec.initContainers: "
                               "expected a list, found a number or other scalar")]
    found = {(f["rule_id"], f["resource"]) for f in report["findings"]}
    assert ("PUR-SEC-014", "aws_s3_bucket.site") in found  # everything else is still checked
    assert ("PUR-FIN-015", "k8s:apps/Deployment/shop/web") in found
    assert report["cost"]["resources"]  # and still priced
