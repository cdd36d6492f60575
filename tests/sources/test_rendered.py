"""Helm charts and Kustomize overlays: rendered by their own program when it is on PATH,
each object attributed to its chart or overlay; otherwise one notice per chart or overlay."""

import os
import shutil
import stat
from pathlib import Path

import pytest

from purser.config import Config
from purser.model import Resource
from purser.sources import LoadContext, Loaded, load_files
from purser.sources.walk import walk

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  template:
    spec:
      containers: [{{name: web, image: "nginx:1.27"}}]
"""
PATCH = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n"


def seed_layout(root: Path) -> Path:
    """base/ with one Deployment; overlays/dev and overlays/prod build on it with a patch."""
    files = {
        "base/kustomization.yaml": "resources: [deployment.yaml]\n",
        "base/deployment.yaml": DEPLOYMENT.format(name="web", namespace="default"),
        "overlays/dev/kustomization.yaml": "resources: [../../base]\nnamespace: dev\n",
        "overlays/prod/kustomization.yaml": ("resources: [../../base]\nnamespace: prod\n"
                                             "patchesStrategicMerge: [replicas.yaml]\n"),
        "overlays/prod/replicas.yaml": PATCH,
        "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
        "chart/values.yaml": "replicas: 1\n",
        "chart/templates/deployment.yaml": "metadata:\n  name: {{ .Release.Name }}\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def load(root: Path) -> Loaded:
    return load_files(walk(root).files, LoadContext(root=root, config=Config()))


def kind(resource: Resource) -> str:
    return resource.type.rsplit("/", 1)[-1]  # `Deployment` or `apps/Deployment`


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only the programs a test puts there."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def fake_kustomize(bin_dir: Path, record: Path) -> None:
    """A `kustomize` that notes how it was run and prints one Deployment per overlay."""
    script = bin_dir / "kustomize"
    script.write_text(f"""#!/bin/sh
echo "$@|$PWD|$HOME|$HTTPS_PROXY|${{SECRET_TOKEN:-absent}}" >> {record}
name=$(basename "$PWD")
printf 'apiVersion: apps/v1\\nkind: Deployment\\n'
printf 'metadata: {{name: web, namespace: %s}}\\n' "$name"
printf 'spec: {{template: {{spec: {{containers: [{{name: web, image: "nginx:1"}}]}}}}}}\\n'
""")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_without_the_programs_each_chart_and_overlay_gets_one_notice_and_base_is_read(
        tmp_path: Path, bin_dir: Path):
    loaded = load(seed_layout(tmp_path / "repo"))
    assert loaded.errors == []
    assert sorted(loaded.notices) == [
        "chart: Helm chart not rendered: `helm` is not on PATH; its templates are not checked",
        "overlays/dev: Kustomize overlay not rendered: `kustomize` or `kubectl` is not on "
        "PATH; the manifests it lists are checked as written, without its changes",
        "overlays/prod: Kustomize overlay not rendered: `kustomize` or `kubectl` is not on "
        "PATH; the manifests it lists are checked as written, without its changes"]
    # the base manifest as written; the patch is a change, not an object
    assert [r.source.file for r in loaded.resources] == ["base/deployment.yaml"]


def test_a_kustomize_on_path_renders_each_overlay_confined_and_attributes_its_objects(
        tmp_path: Path, bin_dir: Path, monkeypatch: pytest.MonkeyPatch):
    record = tmp_path / "runs.txt"
    fake_kustomize(bin_dir, record)
    monkeypatch.setenv("SECRET_TOKEN", "s3cret")
    root = seed_layout(tmp_path / "repo")
    loaded = load(root)
    assert loaded.errors == []
    assert [n for n in loaded.notices if "Kustomize" in n] == []
    found = sorted((r.source.file, r.source.line, kind(r)) for r in loaded.resources)
    assert found == [("overlays/dev/kustomization.yaml", 1, "Deployment"),
                     ("overlays/prod/kustomization.yaml", 1, "Deployment")]
    runs = sorted(record.read_text().splitlines())
    for run, overlay in zip(runs, ("dev", "prod"), strict=True):
        arguments, cwd, home, proxy, secret = run.split("|")
        folder = os.path.realpath(root / "overlays" / overlay)
        assert arguments == f"build {folder}" and os.path.realpath(cwd) == folder
        assert home != os.path.expanduser("~") and proxy == "http://127.0.0.1:9"
        assert secret == "absent"


def test_a_failing_program_is_an_error_of_the_overlay_and_its_manifests_are_still_read(
        tmp_path: Path, bin_dir: Path):
    script = bin_dir / "kustomize"
    script.write_text("#!/bin/sh\necho 'accumulating resources: boom' >&2\nexit 1\n")
    script.chmod(0o755)
    loaded = load(seed_layout(tmp_path / "repo"))
    assert {(e.file, e.message) for e in loaded.errors} == {
        (f"overlays/{o}/kustomization.yaml", "kustomize failed: exit 1: accumulating "
                                             "resources: boom") for o in ("dev", "prod")}
    assert {r.source.file for r in loaded.resources} == {"base/deployment.yaml"}


@pytest.mark.skipif(not (shutil.which("kustomize") or shutil.which("kubectl")),
                    reason="needs kustomize or kubectl")
def test_the_real_kustomize_renders_the_seed_layout_per_overlay(tmp_path: Path):
    loaded = load(seed_layout(tmp_path / "repo"))
    assert loaded.errors == []
    namespaces = sorted((r.source.file, r.attrs.get("metadata", {}).get("namespace"))
                        for r in loaded.resources)
    assert namespaces == [("overlays/dev/kustomization.yaml", "dev"),
                          ("overlays/prod/kustomization.yaml", "prod")]


@pytest.mark.skipif(not shutil.which("helm"), reason="needs helm")
def test_the_real_helm_renders_a_chart_attributed_to_its_chart_yaml(tmp_path: Path):
    root = seed_layout(tmp_path / "repo")
    (root / "chart/templates/deployment.yaml").write_text(
        DEPLOYMENT.format(name="{{ .Release.Name }}", namespace="default"))
    loaded = load(root)
    assert [r.source.file for r in loaded.resources if kind(r) == "Deployment"
            and r.source.file.startswith("chart/")] == ["chart/Chart.yaml"]


def test_many_overlays_render_side_by_side_each_attributed_to_its_own(
        tmp_path: Path, bin_dir: Path):
    root = tmp_path / "repo"
    names = [f"team{i}" for i in range(7)]  # more than RENDER_WORKERS at once
    for name in names:
        (root / name).mkdir(parents=True)
        (root / name / "kustomization.yaml").write_text("resources: []\n")
    script = bin_dir / "kustomize"  # shell builtins only: PATH holds nothing else
    script.write_text("#!/bin/sh\nprintf 'apiVersion: v1\\nkind: ConfigMap\\n"
                      "metadata: {name: c, namespace: %s}\\n' \"${PWD##*/}\"\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    loaded = load(root)
    assert loaded.errors == []
    assert sorted((r.source.file, r.id.namespace) for r in loaded.resources) == [
        (f"{name}/kustomization.yaml", name) for name in names]


def test_a_render_that_runs_too_long_is_that_overlays_error(
        tmp_path: Path, bin_dir: Path, monkeypatch: pytest.MonkeyPatch):
    from purser.sources import rendered

    monkeypatch.setattr(rendered, "TIMEOUT_SECONDS", 0.3)
    root = tmp_path / "repo"
    (root / "slow").mkdir(parents=True)
    (root / "slow" / "kustomization.yaml").write_text("resources: []\n")
    script = bin_dir / "kustomize"
    script.write_text("#!/bin/sh\nexec /bin/sleep 30\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    loaded = load(root)
    assert [(e.file, e.message) for e in loaded.errors] == [
        ("slow/kustomization.yaml", "kustomize failed: no result within 0.3 s")]
