"""Kubernetes manifests written as JSON are read like YAML ones: objects and Lists."""

from pathlib import Path

from purser.config import Config
from purser.model import Resource
from purser.sources import LoadContext, Loaded, load_files
from purser.sources.walk import walk

LIST = """{
\t"apiVersion": "v1",
\t"kind": "List",
\t"items": [
\t\t{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
\t\t "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1"}]}}}},
\t\t{
\t\t\t"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}
\t\t}
\t]
}
"""


def kind(resource: Resource) -> str:
    """`Deployment` whether the type is spelled `Deployment` or `apps/Deployment`."""
    return resource.type.rsplit("/", 1)[-1]


def load(root: Path) -> Loaded:
    return load_files(walk(root).files, LoadContext(root=root, config=Config()))


def test_a_json_list_gives_each_item_with_its_line(tmp_path: Path):
    (tmp_path / "app.json").write_text(LIST)
    loaded = load(tmp_path)
    assert loaded.errors == []
    assert [(kind(r), r.source.line) for r in loaded.resources] == [
        ("Deployment", 5), ("Service", 7)]
    assert {r.format for r in loaded.resources} == {"kubernetes"}


def test_a_json_object_is_read_and_broken_json_is_an_error_with_its_line(tmp_path: Path):
    (tmp_path / "cm.json").write_text(
        '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}')
    (tmp_path / "broken.json").write_text('{"apiVersion": "v1", "kind": "Pod",\n  "x": }')
    loaded = load(tmp_path)
    assert [kind(r) for r in loaded.resources] == ["ConfigMap"]
    [error] = loaded.errors
    assert (error.file, error.line) == ("broken.json", 2)


def test_json_that_merely_mentions_kind_and_api_version_is_not_a_manifest(tmp_path: Path):
    (tmp_path / "record.json").write_text(
        '{"id": {"S": "x"}, "kind": {"S": "Event"}, "apiVersion": {"S": "v1"}}')
    (tmp_path / "settings.json").write_text('{"editor": {"kind": "x"}}')
    loaded = load(tmp_path)
    assert (loaded.resources, loaded.errors) == ([], [])
