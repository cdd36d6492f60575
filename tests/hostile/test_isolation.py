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


def test_a_resources_list_is_judged_not_a_crash(tmp_path):
    repo = build(tmp_path / "repo", {
        "k8s/web.yaml": DEPLOYMENT.format(name="web", spec=RESOURCES_AS_A_LIST)})
    code, report = check(repo)
    assert report["errors"] == []
    finding = next(f for f in report["findings"] if f["rule_id"] == "PUR-FIN-015")
    assert (finding["file"], finding["line"]) == ("k8s/web.yaml", 1)
    assert code == 1  # the findings judge the gate: the check itself was complete


def test_a_rule_and_a_pricer_that_raise_cost_only_their_resource(tmp_path):
    repo = build(tmp_path / "repo", {
        "main.tf": BUCKET_TF,
        "k8s/broken.yaml": DEPLOYMENT.format(name="broken", spec=INIT_CONTAINERS_AS_A_NUMBER),
        "k8s/web.yaml": DEPLOYMENT.format(name="web", spec=RESOURCES_AS_A_LIST)})
    code, report = check(repo)
    assert code == 2  # incomplete: some pairs could not be judged
    broken = "k8s:apps/v1/Deployment/shop/broken"
    messages = [e["message"] for e in report["errors"]]
    assert messages and all(broken in m for m in messages)
    assert {(e["file"], e["line"]) for e in report["errors"]} == {("k8s/broken.yaml", 1)}
    assert f"rule PUR-FIN-015 raised on {broken}: TypeError: " \
           "'int' object is not iterable" in messages
    assert any(m.startswith(f"pricer for apps/Deployment failed on {broken}")
               for m in messages)
    found = {(f["rule_id"], f["resource"]) for f in report["findings"]}
    assert ("PUR-SEC-014", "aws_s3_bucket.site") in found  # everything else is still checked
    assert ("PUR-FIN-015", "k8s:apps/v1/Deployment/shop/web") in found
    assert report["cost"]["resources"]  # and still priced
