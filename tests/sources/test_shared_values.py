"""A re-check shares the values of resources it already built, so nothing may write to them.

The sources remember each manifest's objects and each Terraform root's resources, and a
later load hands out copies that share their values (the one-file-edit re-check builds
nothing again). These tests pin both halves: the values are shared, and a whole check
(rules, Rego, pricing, budgets, canonical names) never writes into them.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest

from purser.config import Config, load_config
from purser.gate import CheckOptions, run_check
from purser.model import Resource
from purser.sources import cache, load_repository

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"

ALIASED = {  # canonical names are written into nested blocks (kinds.canonicalize)
    "template.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
""",
    "main.tf": """\
resource "aws_security_group" "ops" {
  name = "ops"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { team = "ops" }
}
""",
    "web.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:latest
          securityContext: {privileged: true}
""",
}


@pytest.fixture(params=["example", "aliased"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    cache.clear_memory()
    root = tmp_path / "repo"
    if request.param == "example":
        shutil.copytree(EXAMPLE, root)
    else:
        root.mkdir()
        for name, text in ALIASED.items():
            (root / name).write_text(text)
    return root


def _values(resource: Resource) -> tuple[Any, ...]:
    return (resource.attrs, resource.tags, resource.annotations, resource.unknown,
            resource.depends_on)


def test_a_second_load_shares_the_values_of_the_first(repo: Path) -> None:
    first = load_repository(repo, Config()).resources
    second = load_repository(repo, Config()).resources
    assert first and len(first) == len(second)
    remembered = [(before, again) for before, again in zip(first, second, strict=True)
                  if before.format in ("terraform", "kubernetes")]
    assert remembered
    for before, again in remembered:
        assert again is not before
        assert all(again.attrs[key] is value for key, value in before.attrs.items())


def test_a_whole_check_never_writes_into_the_values_it_loaded(repo: Path) -> None:
    config = load_config(repo)
    loaded = load_repository(repo, config).resources
    written = [copy.deepcopy(_values(resource)) for resource in loaded]
    report = run_check(repo, config, CheckOptions(cost=True))  # shares `loaded`'s values
    assert report.findings
    assert [_values(resource) for resource in loaded] == written
    assert [_values(r) for r in load_repository(repo, config).resources] == written
