"""Files recognised as not infrastructure are skipped and counted, never errors, and never
hide a resource."""

from pathlib import Path

from purser.config import Config
from purser.model import Resource
from purser.sources import LoadContext, Loaded, load_files
from purser.sources.walk import walk

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers: [{name: web, image: nginx:1.27}]
"""
ADMISSION_REVIEW = """apiVersion: admission.k8s.io/v1beta1
kind: AdmissionReview
request:
  operation: UPDATE
  object:
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
"""
SERVERLESS = "service: api\nprovider:\n  name: aws\nfunctions:\n  f: ${file(functions.yml)}\n"
FUNCTIONS = "f:\n  handler: app.f\n  environment:\n    SECRET: !Ref Secret\n"
TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Queue:
    Type: AWS::SQS::Queue
"""


def kind(resource: Resource) -> str:
    """`Deployment` whether the type is spelled `Deployment` or `apps/Deployment`."""
    return resource.type.rsplit("/", 1)[-1]


def load(root: Path) -> Loaded:
    return load_files(walk(root).files, LoadContext(root=root, config=Config()))


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_tool_settings_ci_workflows_and_package_files_are_counted_not_errors(tmp_path: Path):
    root = write(tmp_path, {
        "mkdocs.yml": "site_name: x\nnav: [{Home: !!python/name:os.system}]\n",
        ".github/workflows/ci.yml": "on: push\njobs: {t: {runs-on: x, steps: [{run: '{{'}]}}\n",
        ".gitlab-ci.yml": "test:\n  script: [make]\n",
        ".pre-commit-config.yaml": "repos: []\n",
        "docker-compose.prod.yml": "services: {web: {image: nginx}}\n",
        "package.json": '{"name": "x", "kind": "y", "apiVersion": "z"}',
        "tsconfig.build.json": "{}",
        "k8s/web.yaml": DEPLOYMENT,
    })
    loaded = load(root)
    assert loaded.errors == []
    assert sorted(loaded.skipped) == sorted([
        "mkdocs.yml", ".github/workflows/ci.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml",
        "docker-compose.prod.yml", "package.json", "tsconfig.build.json"])
    assert [kind(r) for r in loaded.resources] == ["Deployment"]


def test_a_charts_templates_and_values_are_skipped_but_values_elsewhere_are_read(
        tmp_path: Path):
    root = write(tmp_path, {
        "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
        "chart/values.yaml": "replicas: 2\n",
        "chart/values-prod.yaml": DEPLOYMENT,
        "chart/templates/deployment.yaml": "kind: Deployment\nmetadata: {name: {{ .Name }}}\n",
        "other/values.yaml": DEPLOYMENT,
    })
    loaded = load(root)
    assert loaded.errors == []
    assert sorted(loaded.skipped) == ["chart/templates/deployment.yaml",
                                      "chart/values-prod.yaml", "chart/values.yaml"]
    assert [r.source.file for r in loaded.resources] == ["other/values.yaml"]


def test_admission_reviews_are_skipped_while_a_file_that_also_holds_an_object_is_read(
        tmp_path: Path):
    root = write(tmp_path, {
        "samples/update.yaml": ADMISSION_REVIEW,
        "samples/review.json": '{"apiVersion": "admission.k8s.io/v1", '
                               '"kind": "AdmissionReview", "request": {}}',
        "samples/audit.json": '{"kind": "Event", "apiVersion": "audit.k8s.io/v1"}',
        "samples/mixed.yaml": ADMISSION_REVIEW + "---\n" + DEPLOYMENT,
    })
    loaded = load(root)
    assert sorted(loaded.skipped) == ["samples/audit.json", "samples/review.json",
                                      "samples/update.yaml"]
    assert [r.source.file for r in loaded.resources] == ["samples/mixed.yaml"]


def test_a_serverless_framework_project_is_skipped_but_a_template_inside_is_read(
        tmp_path: Path):
    root = write(tmp_path, {
        "api/serverless.yml": SERVERLESS,
        "api/resources/functions.yml": FUNCTIONS,
        "api/resources/queue.yml": TEMPLATE,
        "elsewhere/functions.yml": "service: not-serverless\n",
    })
    loaded = load(root)
    assert loaded.errors == []
    assert sorted(loaded.skipped) == ["api/resources/functions.yml", "api/serverless.yml"]
    assert [kind(r) for r in loaded.resources] == ["AWS::SQS::Queue"]


def test_a_file_named_serverless_yml_without_service_and_provider_is_not_a_project(
        tmp_path: Path):
    root = write(tmp_path, {"serverless.yml": DEPLOYMENT})
    loaded = load(root)
    assert loaded.skipped == []
    assert [kind(r) for r in loaded.resources] == ["Deployment"]
