"""Bad input in a repository: each broken file is one clear one-line error naming it (and
its line, where there is one), and the good files beside it still yield their resources.

Malformed HCL and Rego are pinned beside their own formats.
"""


import pytest

from purser.config import Config
from purser.model import SourceError
from purser.sources import Loaded, load_repository

GOOD_MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
"""

GOOD_SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, Runtime: python3.12}
"""

GOOD_JSON_TEMPLATE = '{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}\n'

MALFORMED_YAML = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web
spec: {}
"""

MALFORMED_TEMPLATE_JSON = """\
{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Bucket": {"Type": "AWS::S3::Bucket" "Properties": {}}
  }
}
"""


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        items = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{items}]")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    base = tmp_path_factory.mktemp("bad-input")
    repo, outside = base / "repo", base / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(GOOD_MANIFEST)
    files = {
        "k8s/web.yaml": GOOD_MANIFEST,
        "sam/template.yaml": GOOD_SAM,
        "cfn/queue.json": GOOD_JSON_TEMPLATE,
        "k8s/broken.yaml": MALFORMED_YAML,
        "cfn/broken.json": MALFORMED_TEMPLATE_JSON,
        "k8s/bomb.yaml": billion_laughs(),
    }
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    with open(repo / "k8s" / "huge.yaml", "wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: the test writes no 50 MB
    (repo / "k8s" / "escape.yaml").symlink_to(outside / "secret.yaml")
    (repo / "k8s" / "latin1.yaml").write_bytes(GOOD_MANIFEST.encode().replace(
        b"name: web", b"name: caf\xe9"))
    (repo / "cfn" / "latin1.json").write_bytes(b'{"Resources":\n {"Q\xe9": {}}}')
    (repo / "plan.json").write_bytes(b'{"terraform_version": "1",\n\n"x": "\xff"}')
    return load_repository(repo, Config())


def errors_of(loaded: Loaded, file: str) -> list[SourceError]:
    return [e for e in loaded.errors if e.file == file]


def test_good_files_still_yield_their_resources(loaded: Loaded) -> None:
    assert sorted(r.address for r in loaded.resources) == [
        "cfn:cfn/queue.json#Queue",
        "cfn:sam/template.yaml#Api",
        "k8s:apps/Deployment/shop/web",
    ]


def test_each_bad_file_is_exactly_one_error_and_nothing_else_is(loaded: Loaded) -> None:
    assert sorted(e.file for e in loaded.errors) == [
        "cfn/broken.json", "cfn/latin1.json", "k8s/bomb.yaml", "k8s/broken.yaml",
        "k8s/escape.yaml", "k8s/huge.yaml", "k8s/latin1.yaml", "plan.json"]


def test_every_error_is_a_single_line_naming_its_file(loaded: Loaded) -> None:
    for error in loaded.errors:
        text = str(error)
        assert "\n" not in text and text.startswith(error.file)
        assert "Traceback" not in text


def test_malformed_yaml_names_its_line(loaded: Loaded) -> None:
    [error] = errors_of(loaded, "k8s/broken.yaml")
    assert error.line == 6  # where the unclosed flow mapping is found to be broken
    assert error.message.startswith("invalid YAML:")


def test_malformed_cloudformation_json_names_its_line(loaded: Loaded) -> None:
    [error] = errors_of(loaded, "cfn/broken.json")
    assert error.line == 4
    assert error.message == "invalid JSON: Expecting ',' delimiter"


def test_a_fifty_megabyte_file_is_refused_unread(loaded: Loaded) -> None:
    [error] = errors_of(loaded, "k8s/huge.yaml")
    assert str(error) == "k8s/huge.yaml: file is 50.0 MB, above the 5 MB limit; skipped"


def test_a_yaml_alias_bomb_is_refused_with_its_line(loaded: Loaded) -> None:
    [error] = errors_of(loaded, "k8s/bomb.yaml")
    assert error.line > 0
    assert "alias bomb" in error.message


def test_a_symlink_out_of_the_repository_is_refused(loaded: Loaded) -> None:
    [error] = errors_of(loaded, "k8s/escape.yaml")
    assert error.message.startswith("symlink points outside the repository (")
    assert error.message.endswith("secret.yaml); not followed")


def test_bytes_that_are_not_utf8_are_the_files_error_with_their_line(loaded: Loaded) -> None:
    assert sorted(str(e) for e in loaded.errors if "UTF-8" in e.message) == [
        "cfn/latin1.json:2: not valid UTF-8 (byte 0xe9); skipped",
        "k8s/latin1.yaml:3: not valid UTF-8 (byte 0xe9); skipped",
        "plan.json:3: not valid UTF-8 (byte 0xff); skipped"]
