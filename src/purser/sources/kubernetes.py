"""Kubernetes and Knative manifests (.yaml, .yml, and .json) → Resources, one per object.

Any document with `apiVersion` and `kind` is an object: workloads, Services, Ingresses,
autoscalers, Knative Services, RBAC, policies and custom resources alike. `kind: List`
(and `*List` kinds) contribute their items. Other YAML (CI workflows, usage files, Helm
values) is not a manifest and is passed over silently; Helm templates and Kustomize's
own files (kustomization.yaml and the patches it lists) are not objects either.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from purser import safejson
from purser.identity import CLUSTER_SCOPE, KubernetesId, kubernetes_group
from purser.model import Resource, SourceError, SourceRef
from purser.provenance import Deferred
from purser.safefile import Refused, decode
from purser.safeyaml import YamlError, load_documents
from purser.sources import LoadContext, Loaded, RepoFile, formats
from purser.sources.cache import ParseJob, cached_parse, digest, remembered
from purser.sources.yaml_spans import FileSpans

PARSER_VERSION = "4"
TOO_DEEP = "values nested too deeply to read; skipped"
#: Most objects (documents and List items) in one file: every object costs the whole gate.
MAX_OBJECTS = 10_000
#: Most distinct errors reported for one file; a repeated one is reported once, counted.
MAX_ERRORS_PER_FILE = 10
KUSTOMIZATION_FILES = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})

# Kinds that live outside any namespace; their address uses `_` for the namespace. The
# address has no version (see `purser.identity`): `apps/v1beta2` → `apps/v1` is one object.
CLUSTER_SCOPED_KINDS = frozenset({
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding",
    "StorageClass", "CustomResourceDefinition", "PriorityClass", "IngressClass",
    "RuntimeClass", "CSIDriver", "CSINode", "VolumeAttachment", "APIService",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration",
    "PodSecurityPolicy", "ClusterIssuer", "ClusterSecretStore", "ClusterPolicy",
    "ClusterServingRuntime", "ClusterDomainClaim",
})

# Tools whose own settings files look like objects (apiVersion + kind) but are not.
TOOL_CONFIG_GROUPS = frozenset({
    "kustomize.config.k8s.io", "kind.x-k8s.io", "kubeadm.k8s.io", "kubelet.config.k8s.io",
    "kubeproxy.config.k8s.io", "skaffold", "apiserver.config.k8s.io",
})


@formats.register("kubernetes")
class KubernetesFormat:
    name: ClassVar[str] = "kubernetes"
    priority: ClassVar[int] = 60
    extensions: ClassVar[frozenset[str]] = frozenset({".yaml", ".yml", ".json"})
    file_names: ClassVar[frozenset[str]] = frozenset()

    def claims(self, file: RepoFile) -> bool:
        if file.suffix == ".json":
            return _is_json_object(file.data)
        if file.suffix not in self.extensions or file.rel == "purser.yaml":
            return False
        return not _is_helm_template(file)

    def parse_jobs(self, files: list[RepoFile], context: LoadContext) -> list[ParseJob]:
        return [ParseJob("kubernetes", PARSER_VERSION, file.data, _parse) for file in files]

    def load(self, files: list[RepoFile], context: LoadContext) -> Loaded:
        loaded = Loaded()
        kustomizations = [f for f in files if f.path.name in KUSTOMIZATION_FILES]
        not_objects = _kustomize_patches(kustomizations, context.cache_dir)
        for file in files:
            if file.path.name in KUSTOMIZATION_FILES or file.rel in not_objects:
                continue
            try:
                loaded.extend(_load_file(file, context.cache_dir))
            except RecursionError:
                loaded.errors.append(SourceError(file=file.rel, message=TOO_DEEP))
        return loaded


def _is_helm_template(file: RepoFile) -> bool:
    return "templates" in file.rel.split("/")[:-1] and b"{{" in file.data


_JSON_SNIFF_BYTES = 4096
_JSON_OBJECT_MARKS = (re.compile(rb'"apiVersion"\s*:\s*"'), re.compile(rb'"kind"\s*:\s*"'))


def _is_json_object(data: bytes) -> bool:
    """A JSON manifest (`kubectl get -o json`, a JSON `List`) names its apiVersion and kind
    near the top; package.json, tsconfig.json and the like do not."""
    head = data[:_JSON_SNIFF_BYTES]
    return head.lstrip().startswith(b"{") and all(m.search(head) for m in _JSON_OBJECT_MARKS)


def _parse(data: bytes) -> dict[str, Any]:
    """Plain data (cacheable): the documents with their lines, or the YAML error."""
    try:
        text = decode(data.removeprefix(codecs.BOM_UTF8))
        if text.lstrip().startswith("{"):
            return _parse_json(text)
        documents = load_documents(text)
    except YamlError as exc:
        return {"error": [exc.line, exc.message]}
    except Refused as exc:
        return {"error": [exc.line, exc.reason]}
    parsed, objects = [], 0
    for document in documents:
        items = _list_items(document.data)
        objects += 1 if items is None else len(items)
        if objects > MAX_OBJECTS:
            first_extra = (document.line if items is None else
                           document.line_of(["items", len(items) - (objects - MAX_OBJECTS)]))
            return {"error": [first_extra, f"more than {MAX_OBJECTS:,} objects in one file"]}
        parsed.append({
            "data": document.data, "line": document.line, "end_line": document.end_line,
            "item_lines": [document.line_of(["items", i]) for i in range(len(items or []))],
        })
    return {"documents": parsed}


def _parse_json(text: str) -> dict[str, Any]:
    """One JSON document: an object, or a List whose items start on the lines found."""
    try:
        data = safejson.loads(text)
    except safejson.JsonError as exc:
        return {"error": [exc.line, exc.message]}
    items = _list_items(data)
    if items is not None and len(items) > MAX_OBJECTS:
        return {"error": [1, f"more than {MAX_OBJECTS:,} objects in one file"]}
    item_lines = _json_item_lines(text) if items else []
    if len(item_lines) != len(items or []):
        item_lines = [1] * len(items or [])  # `items` was not the top level's own key
    end_line = text.rstrip().count("\n") + 1
    return {"documents": [{"data": data, "line": 1, "end_line": end_line,
                           "item_lines": item_lines}], "json": True}


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')


def _json_item_lines(text: str) -> list[int]:
    """The line of each object directly inside the top-level `"items"` array."""
    lines: list[int] = []
    depth, line, counted, previous, in_items = 0, 1, 0, "", False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if token in "{[":
            depth += 1
            in_items = in_items or (depth == 2 and token == "[" and previous == '"items"')
            if in_items and depth == 3 and token == "{":
                lines.append(line)
        elif token in "}]":
            depth -= 1
            in_items = in_items and depth >= 2
        previous = token if depth == 1 else previous
    return lines


def _list_items(data: Any) -> list[Any] | None:
    """The items of a List kind (`kind: List`, `ServiceList`, ...), None for other data."""
    if (_is_object(data) and isinstance(data["kind"], str) and data["kind"].endswith("List")
            and isinstance(data.get("items"), list)):
        items: list[Any] = data["items"]
        return items
    return None


def _parsed(file: RepoFile, cache_dir: Path | None) -> dict[str, Any]:
    """The cached parse itself, not a copy: resources share its values, which nothing
    writes to (see `Resource`)."""
    parsed: dict[str, Any] = cached_parse("kubernetes", file.data, PARSER_VERSION, _parse,
                                          cache_dir)
    return parsed


def read_manifests(file: RepoFile, cache_dir: Path | None) -> Loaded:
    """The objects of one file of manifests (also a program's output: `sources.rendered`)."""
    return _load_file(file, cache_dir)


def _load_file(file: RepoFile, cache_dir: Path | None) -> Loaded:
    """The file's objects, remembered by its path and content: a check after an edit
    elsewhere hands out copies of the same resources (sharing their values) instead of
    building them again."""
    found = remembered(("kubernetes", file.rel, digest(file.data), PARSER_VERSION),
                       lambda: _read_file(file, cache_dir))
    return Loaded(resources=[resource.model_copy() for resource in found.resources],
                  errors=list(found.errors), settings=list(found.settings))


def _read_file(file: RepoFile, cache_dir: Path | None) -> Loaded:
    loaded = Loaded()
    parsed = _parsed(file, cache_dir)
    if "error" in parsed:
        line, message = parsed["error"]
        loaded.errors.append(SourceError(file=file.rel, line=line, message=message))
        return loaded
    documents = [(index, d) for index, d in enumerate(parsed["documents"])
                 if d["data"] is not None]
    if not any(_is_object(d["data"]) for _, d in documents):
        return loaded  # some other YAML file: not ours to judge
    spans = None if parsed.get("json") else FileSpans(file.rel, file.data)
    errors: list[SourceError] = []
    for index, document in documents:
        for data, line, end_line, item in _objects(document):
            if _is_skaffold(data):
                loaded.settings.append(_skaffold_setting(data, file.rel, line, end_line))
                continue
            resource, error = _resource(data, file.rel, line, end_line)
            if resource is not None:
                if spans is not None:
                    resource.spans = Deferred(partial(spans.of, index, item))
                loaded.resources.append(resource)
            elif error:
                errors.append(SourceError(file=file.rel, line=line, message=error))
    loaded.errors = summarised(errors)
    return loaded


SKAFFOLD_TYPE = "skaffold/Config"


def _is_skaffold(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("apiVersion"), str) \
        and kubernetes_group(data["apiVersion"]) == "skaffold" and data.get("kind") == "Config"


def _skaffold_setting(data: dict[str, Any], rel: str, line: int, end_line: int) -> Resource:
    """A Skaffold config, kept as a setting: the rules read which images it builds (and
    tags at deploy time), so that the manifests naming them bare are not mutable tags."""
    metadata = data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    name = name if isinstance(name, str) and name else f"line-{line}"
    return Resource(address=f"skaffold:{rel}#{name}", type=SKAFFOLD_TYPE, provider="skaffold",
                    name=name, format="kubernetes", attrs={str(k): v for k, v in data.items()},
                    source=SourceRef(file=rel, line=line, end_line=max(end_line, line)))


def summarised(errors: list[SourceError]) -> list[SourceError]:
    """One error per distinct message, counting its repeats, and at most
    MAX_ERRORS_PER_FILE of them: a stream of 10,000 broken objects is one problem."""
    repeats: dict[str, list[SourceError]] = {}
    for error in errors:
        repeats.setdefault(error.message, []).append(error)
    groups = list(repeats.values())
    shown = [_counted(same) for same in groups[:MAX_ERRORS_PER_FILE]]
    if len(groups) > MAX_ERRORS_PER_FILE:
        first_hidden = groups[MAX_ERRORS_PER_FILE][0]
        shown.append(first_hidden.model_copy(update={"message": (
            f"{len(groups) - MAX_ERRORS_PER_FILE:,} more different errors in this file; "
            f"the first: {first_hidden.message}")}))
    return shown


def _counted(same: list[SourceError]) -> SourceError:
    if len(same) == 1:
        return same[0]
    return same[0].model_copy(update={
        "message": f"{same[0].message} (and {len(same) - 1:,} more like it in this file)"})


def _objects(document: dict[str, Any]) -> list[tuple[Any, int, int, int | None]]:
    """The objects of one document: itself, or the items of a List kind (with their index)."""
    data, line, end_line = document["data"], document["line"], document["end_line"]
    items = _list_items(data)
    if items is None:
        return [(data, line, end_line, None)]
    lines = document["item_lines"]
    return [(item, lines[i], lines[i + 1] - 1 if i + 1 < len(lines) else end_line, i)
            for i, item in enumerate(items)]


def _is_object(data: Any) -> bool:
    return isinstance(data, dict) and "apiVersion" in data and "kind" in data


def _resource(data: Any, rel: str, line: int, end_line: int) -> tuple[Resource | None, str]:
    """The Resource of one object, or why it is not one ("" when it is silently not)."""
    if not isinstance(data, dict):
        return None, f"expected a Kubernetes object (a mapping), found {_kind_of(data)}"
    if not _is_object(data):
        return None, ""
    api_version, kind = data["apiVersion"], data["kind"]
    if not isinstance(api_version, str) or not isinstance(kind, str) or not kind:
        return None, "apiVersion and kind must be strings"
    group = kubernetes_group(api_version)
    metadata = data.get("metadata")
    if group in TOOL_CONFIG_GROUPS or (metadata is None and _is_kubeconfig(api_version, kind)):
        return None, ""
    if not isinstance(metadata, dict):
        return None, f"{kind} has no metadata.name"
    name = metadata.get("name") or metadata.get("generateName")
    if not isinstance(name, str | int) or name == "":
        return None, f"{kind} has no metadata.name"
    shape = _shape_error(data)
    if shape:  # the API server's strict decoding would refuse it too: fail closed
        return None, f"{kind} {name}: {shape}"
    namespace = CLUSTER_SCOPE if kind in CLUSTER_SCOPED_KINDS else str(
        metadata.get("namespace") or "default")
    return Resource(
        id=KubernetesId(group=group, kind=kind, namespace=namespace, name=str(name)),
        type=f"{group}/{kind}", provider="kubernetes", name=str(name), format="kubernetes",
        attrs={str(k): v for k, v in data.items()}, tags=_strings(metadata.get("labels")),
        annotations=_strings(metadata.get("annotations")),
        source=SourceRef(file=rel, line=line, end_line=max(end_line, line)),
    ), ""


# Where workload kinds keep their pod template, and the container fields rules and pricers
# read: a value of another shape is refused here so that no rule meets it.
_POD_TEMPLATES = (("spec", "template"), ("spec", "jobTemplate", "spec", "template"))
_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
_CONTAINER_FIELDS: dict[str, type] = {
    "image": str, "resources": dict, "securityContext": dict, "env": list, "envFrom": list,
    "ports": list, "volumeMounts": list}
_SHAPE_NAMES: dict[type, str] = {str: "a string", dict: "a mapping", list: "a list"}


def _shape_error(data: dict[str, Any]) -> str:
    """Why the object's metadata or pod spec has a shape Kubernetes would refuse, or ""."""
    found = _mapping_fields(data.get("metadata"), "metadata", ("labels", "annotations"))
    if found:
        return found
    for path in _POD_TEMPLATES:
        template = _at(data, path)
        if isinstance(template, dict):
            where = ".".join(path)
            return (_mapping_fields(template.get("metadata"), f"{where}.metadata",
                                    ("labels", "annotations"))
                    or _pod_spec_error(template.get("spec"), f"{where}.spec"))
    return _pod_spec_error(data.get("spec"), "spec") if data.get("kind") == "Pod" else ""


def _pod_spec_error(spec: Any, where: str) -> str:
    if not isinstance(spec, dict):
        return ""
    for field in _CONTAINER_LISTS:
        containers = spec.get(field)
        if containers is None:
            continue
        if not isinstance(containers, list):
            return f"{where}.{field}: expected a list, found {_kind_of(containers)}"
        for index, container in enumerate(containers):
            place = f"{where}.{field}[{index}]"
            if not isinstance(container, dict):
                return f"{place}: expected a container (a mapping), found {_kind_of(container)}"
            found = _container_error(container, place)
            if found:
                return found
    return ""


def _container_error(container: dict[str, Any], place: str) -> str:
    for field, shape in _CONTAINER_FIELDS.items():
        value = container.get(field)
        if value is not None and not isinstance(value, shape):
            return f"{place}.{field}: expected {_SHAPE_NAMES[shape]}, found {_kind_of(value)}"
    return _mapping_fields(container.get("resources"), f"{place}.resources",
                           ("requests", "limits"))


def _mapping_fields(parent: Any, where: str, fields: tuple[str, ...]) -> str:
    if not isinstance(parent, dict):
        return ""
    for field in fields:
        value = parent.get(field)
        if value is not None and not isinstance(value, dict):
            return f"{where}.{field}: expected a mapping, found {_kind_of(value)}"
    return ""


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _is_kubeconfig(api_version: str, kind: str) -> bool:
    return api_version == "v1" and kind == "Config"


def _strings(mapping: Any) -> dict[str, str]:
    if not isinstance(mapping, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in mapping.items()}


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "a string"
    return "a boolean" if isinstance(value, bool) else "a number or other scalar"


def _kustomize_patches(kustomizations: list[RepoFile], cache_dir: Path | None) -> set[str]:
    """Repository paths of the patch files the kustomizations list: changes, not objects."""
    patches: set[str] = set()
    for file in kustomizations:
        try:
            parsed = _parsed(file, cache_dir)
        except RecursionError:
            continue
        for document in parsed.get("documents", []):
            data = document["data"]
            if isinstance(data, dict):
                folder = posixpath.dirname(file.rel)
                patches |= {posixpath.normpath(posixpath.join(folder, path))
                            for path in _patch_paths(data)}
    return patches


def _patch_paths(kustomization: dict[str, Any]) -> list[str]:
    paths = [p for p in _list(kustomization.get("patchesStrategicMerge")) if isinstance(p, str)]
    entries = _list(kustomization.get("patches")) + _list(kustomization.get("patchesJson6902"))
    return paths + [e["path"] for e in entries
                    if isinstance(e, dict) and isinstance(e.get("path"), str)]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
