"""CloudFormation and SAM templates (YAML with short-form tags, or JSON) → Resources.

Intrinsic functions are resolved where the template alone decides them: parameter
defaults, static pseudo parameters, conditions over those, joins and substitutions of
known parts, mappings. A reference to another resource stays a `Ref` (and a dependency);
a value only a deployment can tell is left out of `attrs` and its path listed in
`Resource.unknown`. SAM resources keep their SAM type (they are not expanded into the
resources the transform would generate); `Globals` are merged into them first.
"""

from __future__ import annotations

import base64
import codecs
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import yaml

from purser import safejson
from purser.config import Config
from purser.identity import CloudFormationId
from purser.model import Ref, Resource, SourceError, SourceRef
from purser.provenance import Origin, OriginKind, Span
from purser.safefile import Refused, decode
from purser.safeyaml import YamlError, last_line, load_documents
from purser.sources import LoadContext, Loaded, RepoFile, formats
from purser.sources.cache import ParseJob, cached_parse
from purser.sources.yaml_spans import ByteOffsets, Where, child_node, value_spans

PARSER_VERSION = "4"  # 4: Fn::Base64 of a known text is known
TOO_DEEP = "values nested too deeply to read; skipped"
SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
#: Most resources in one template: four times what CloudFormation itself accepts (500).
MAX_RESOURCES = 2_000
#: Most values (or 100-character pieces of text) resolving one template may build: lookups
#: (`Ref`, `Fn::FindInMap`, `Fn::Sub`) can repeat a large value many times over.
MAX_RESOLVED = 250_000

_TEMPLATE_MARK = re.compile(rb"AWSTemplateFormatVersion|AWS::Serverless"
                            rb"|\"Type\"\s*:\s*\"AWS::|(?:^|[{,])\s*Type\s*:\s*[\"']?AWS::", re.M)
_KUBERNETES_MARK = (re.compile(rb"^apiVersion:", re.M), re.compile(rb"^kind:", re.M))


@formats.register("cloudformation")
class CloudFormationFormat:
    name: ClassVar[str] = "cloudformation"
    priority: ClassVar[int] = 50  # before Kubernetes: a template is YAML too
    extensions: ClassVar[frozenset[str]] = frozenset({".yaml", ".yml", ".json", ".template"})
    file_names: ClassVar[frozenset[str]] = frozenset()

    def claims(self, file: RepoFile) -> bool:
        if file.suffix not in self.extensions or b"AWS" not in file.data:
            return False  # every mark has "AWS": the cheap test first, as each file is asked
        if not _TEMPLATE_MARK.search(file.data):
            return False
        # A Kubernetes manifest that merely embeds a template (a ConfigMap) is not one.
        return not all(mark.search(file.data) for mark in _KUBERNETES_MARK)

    def parse_jobs(self, files: list[RepoFile], context: LoadContext) -> list[ParseJob]:
        return [ParseJob("cloudformation", PARSER_VERSION, file.data, _parse) for file in files]

    def load(self, files: list[RepoFile], context: LoadContext) -> Loaded:
        stacks, errors = _stacks(files, context.config)
        loaded = Loaded(errors=errors)
        for file in files:
            if file.rel not in stacks:
                continue
            try:
                parsed = cached_parse("cloudformation", file.data, PARSER_VERSION, _parse,
                                      context.cache_dir)
            except RecursionError:
                parsed = {"error": [0, TOO_DEEP]}
            if "error" in parsed:
                line, message = parsed["error"]
                loaded.errors.append(SourceError(file=file.rel, line=line, message=message))
            else:
                loaded.extend(_Template(file.rel, stacks[file.rel], parsed, context).load())
        return loaded


def _stacks(files: list[RepoFile], config: Config) -> tuple[dict[str, str], list[SourceError]]:
    """Each template's stack, the first part of its resources' addresses: its application's
    `stack:` in purser.yaml when given, else the template's path. One stack is one template:
    a second template under an application that names its stack would give two resources
    one address, so it is an error and is not read."""
    stacks: dict[str, str] = {}
    errors: list[SourceError] = []
    owners: dict[str, str] = {}
    for file in sorted(files, key=lambda f: f.rel):
        application = config.application_for(file.rel)
        stack = application.stack if application is not None else None
        if application is None or stack is None:
            stacks[file.rel] = file.rel
        elif stack in owners:
            errors.append(SourceError(file=file.rel, message=(
                f"application {application.name!r} names stack {stack!r}, which is already "
                f"{owners[stack]}: a stack is one template; give this one its own application "
                "in purser.yaml")))
        else:
            owners[stack] = file.rel
            stacks[file.rel] = stack
    return stacks, errors


# -- parsing: plain data (cacheable) with the line of each logical id ----------------------

def _parse(data: bytes) -> dict[str, Any]:
    try:
        text = decode(data.removeprefix(codecs.BOM_UTF8))
    except Refused as exc:
        return {"error": [exc.line, exc.reason]}
    if text.lstrip().startswith("{"):
        return _parse_json(text)
    return _parse_yaml(text, ByteOffsets(text, len(data) - len(data.removeprefix(
        codecs.BOM_UTF8))))


def _parse_json(text: str) -> dict[str, Any]:
    try:
        template = safejson.loads(text)
    except safejson.JsonError as exc:
        return {"error": [exc.line, exc.message]}
    return {"template": template, "lines": _json_resource_lines(text)}


def _parse_yaml(text: str, offsets: ByteOffsets) -> dict[str, Any]:
    try:
        documents = load_documents(text, cloudformation_tags=True)
    except YamlError as exc:
        return {"error": [exc.line, exc.message]}
    if not documents:
        return {"template": None, "lines": {}}
    root = documents[0].node
    return {"template": documents[0].data, "lines": _yaml_resource_lines(root),
            "spans": _template_spans(root, offsets)}


def _template_spans(root: yaml.Node, offsets: ByteOffsets) -> dict[str, dict[str, Any]]:
    """Value spans of each resource's Properties, of each Globals section and of the
    Parameters (see `purser.provenance`)."""
    def sections(name: str, inner: str | None) -> dict[str, Any]:
        node = child_node(root, name)
        if not isinstance(node, yaml.MappingNode):
            return {}
        found = {}
        for key, value in node.value:
            part = child_node(value, inner) if inner else value
            if isinstance(key, yaml.ScalarNode) and part is not None:
                found[str(key.value)] = value_spans(part, offsets)
        return found

    parameters = child_node(root, "Parameters")
    return {"properties": sections("Resources", "Properties"), "globals": sections("Globals", None),
            "parameters": value_spans(parameters, offsets) if parameters is not None else {}}


def _yaml_resource_lines(root: yaml.Node) -> dict[str, list[int]]:
    """Logical id → [line of the id, last line of its body]."""
    for key, value in root.value if isinstance(root, yaml.MappingNode) else []:
        if key.value == "Resources" and isinstance(value, yaml.MappingNode):
            return {str(k.value): [k.start_mark.line + 1, last_line(v)] for k, v in value.value}
    return {}


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:]')


def _json_resource_lines(text: str) -> dict[str, list[int]]:
    """Logical id → [line, 0], found by a scan that tracks nesting, so a property named like
    a resource is never mistaken for it."""
    lines: dict[str, list[int]] = {}
    depth, resources_depth = 0, -1
    top_key, previous = "", None
    counted, line = 0, 1
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
            if token == "{" and depth == 2 and top_key == "Resources":
                resources_depth = depth
        elif token in "}]":
            if depth == resources_depth:
                break
            depth -= 1
        elif token == ":" and previous is not None and previous.group().startswith('"'):
            key = safejson.without_surrogates(json.loads(previous.group()))
            if depth == 1:
                top_key = key
            elif depth == resources_depth:
                line += text.count("\n", counted, previous.start())
                counted = previous.start()
                lines[key] = [line, 0]
        previous = match
    return lines


# -- one template ---------------------------------------------------------------------------

class _Unknown:
    """A value only a deployment can tell."""


class _TooLarge(Exception):
    """The template resolves to more than MAX_RESOLVED values."""


UNKNOWN = _Unknown()
NO_VALUE = object()  # AWS::NoValue: the property is removed

_STATIC_PSEUDO = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
_RUNTIME_PSEUDO = ("AWS::AccountId", "AWS::StackName", "AWS::StackId",
                   "AWS::NotificationARNs")
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class _Template:
    def __init__(self, rel: str, stack: str, parsed: dict[str, Any],
                 context: LoadContext) -> None:
        self.rel = rel
        self.stack = stack
        self.template = parsed["template"]
        self.lines: dict[str, list[int]] = parsed["lines"]
        self.spans: dict[str, dict[str, Any]] = parsed.get("spans") or {}  # none for JSON
        self.loaded = Loaded()
        application = context.config.application_for(rel)
        self.region = (application.target.region if application else None) or \
            context.config.defaults.region
        body = self.template if isinstance(self.template, dict) else {}
        self.parameters = _mapping(body.get("Parameters"))
        self.mappings = _mapping(body.get("Mappings"))
        self.conditions = _mapping(body.get("Conditions"))
        self.resources = _mapping(body.get("Resources"))
        self.globals = _mapping(body.get("Globals")) if _is_sam(body) else {}
        self._condition_values: dict[str, bool | _Unknown] = {}
        self._depends: list[str] = []
        self._budget = MAX_RESOLVED

    def identity(self, logical_id: str) -> CloudFormationId:
        return CloudFormationId(stack=self.stack, logical_id=logical_id)

    def address(self, logical_id: str) -> str:
        return self.identity(logical_id).address

    def load(self) -> Loaded:
        if self.template is None:
            return self.loaded
        if not isinstance(self.template, dict):
            self._error(1, "expected a CloudFormation template (a mapping at the top level)")
        elif "Resources" in self.template and not isinstance(self.template["Resources"], dict):
            self._error(1, "Resources must be a mapping of logical ids to resources")
        elif len(self.resources) > MAX_RESOURCES:
            first_extra = list(self.resources)[MAX_RESOURCES]
            self._error(self.lines.get(first_extra, [0])[0],
                        f"more than {MAX_RESOURCES:,} resources in one template")
        else:
            self._load_resources()
        return self.loaded

    def _load_resources(self) -> None:
        for logical_id, body in self.resources.items():
            try:
                self._load_resource(str(logical_id), body)
            except _TooLarge:
                self.loaded.resources.clear()  # a bound that trips fails the file, in full
                line = self.lines.get(str(logical_id), [0])[0]
                return self._error(line, f"resolving the template builds more than "
                                         f"{MAX_RESOLVED:,} values (repeated lookups?)")
        return None

    def _spend(self, cost: int) -> None:
        self._budget -= cost
        if self._budget < 0:
            raise _TooLarge

    def _load_resource(self, logical_id: str, body: Any) -> None:
        line, end_line = self.lines.get(logical_id, [0, 0])
        if not isinstance(body, dict):
            return self._error(line, f"resource {logical_id} must be a mapping")
        kind = body.get("Type")
        if not isinstance(kind, str) or not kind:
            return self._error(line, f"resource {logical_id} has no Type")
        properties = body.get("Properties", {})
        if not isinstance(properties, dict):
            return self._error(line, f"resource {logical_id}: Properties must be a mapping")
        if "Condition" in body and self.condition(body["Condition"]) is False:
            return None  # statically never created
        section = kind.rsplit("::", 1)[1] if kind.startswith("AWS::Serverless::") else ""
        if section:
            properties = _sam_merge(_mapping(self.globals.get(section)), properties)
        self._depends = []
        unknown: list[str] = []
        try:
            attrs = self._resolve_mapping(properties, "", unknown)
        except RecursionError:
            return self._error(line, f"resource {logical_id}: {TOO_DEEP}")
        depends = self._depends + [self.address(d) for d in _strings_of(body.get("DependsOn"))]
        self.loaded.resources.append(Resource(
            id=self.identity(logical_id), type=kind, provider="aws", name=logical_id,
            format="cloudformation", region=self.region, attrs=attrs,
            depends_on=list(dict.fromkeys(depends)), tags=_tags(attrs.get("Tags")),
            source=SourceRef(file=self.rel, line=line, end_line=max(end_line, line)),
            unknown=unknown, **self._provenance(logical_id, section, properties)))
        return None

    def _provenance(self, logical_id: str, section: str,
                    properties: dict[str, Any]) -> dict[str, Any]:
        """Spans of the resource's own properties and, for SAM, of those it inherits from
        Globals (their origin); the origin of properties that are a parameter's default."""
        spans = {path: Span(self.rel, *where) for path, where in
                 self.spans.get("properties", {}).get(logical_id, {}).items()}
        origins: dict[str, Origin] = {}
        inherited: dict[str, Where] = self.spans.get("globals", {}).get(section, {})
        for path, where in inherited.items():
            if path not in spans:
                spans[path] = Span(self.rel, *where)
                origins[path] = Origin(OriginKind.sam_globals, f"Globals.{section}.{path}",
                                       spans[path])
        defaults: dict[str, Where] = self.spans.get("parameters", {})
        for path, name in _parameter_refs(properties, ""):
            default = defaults.get(f"{name}.Default")
            if default is not None and path in spans:
                origins[path] = Origin(OriginKind.parameter_default, name,
                                       Span(self.rel, *default))
        return {"spans": spans, "origins": origins}

    def _error(self, line: int, message: str) -> None:
        self.loaded.errors.append(SourceError(file=self.rel, line=line, message=message))

    # -- values

    def _resolve_mapping(self, value: dict[Any, Any], path: str,
                         unknown: list[str]) -> dict[str, Any]:
        resolved: dict[str, Any] = {}
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            result = self.resolve(item, here, unknown)
            if result is UNKNOWN:
                unknown.append(here)
            elif result is not NO_VALUE:
                resolved[str(key)] = result
        return resolved

    def resolve(self, value: Any, path: str, unknown: list[str]) -> Any:
        """The static value of `value`; UNKNOWN paths inside it are added to `unknown`."""
        self._spend(1 + len(value) // 100 if isinstance(value, str) else 1)
        if isinstance(value, dict):
            function = _intrinsic(value)
            if function is not None:
                return self._call(function, value[function], path, unknown)
            return self._resolve_mapping(value, path, unknown)
        if isinstance(value, list):
            items = []
            for index, item in enumerate(value):
                result = self.resolve(item, f"{path}.{index}", unknown)
                if result is UNKNOWN:
                    unknown.append(f"{path}.{index}")
                elif result is not NO_VALUE:
                    items.append(result)
            return items
        return value

    def _call(self, function: str, argument: Any, path: str, unknown: list[str]) -> Any:
        handler = self._FUNCTIONS.get(function)
        if handler is None:
            return UNKNOWN
        try:
            result = handler(self, argument, path, unknown)
        except (TypeError, ValueError, LookupError, AttributeError, ArithmeticError):
            return UNKNOWN  # a malformed call: CloudFormation would reject it; not ours
        if isinstance(result, str):  # joined and substituted text counts by its length
            self._spend(len(result) // 100)
        return result

    def _ref(self, name: Any, path: str, unknown: list[str]) -> Any:
        if not isinstance(name, str):
            return UNKNOWN
        if name == "AWS::NoValue":
            return NO_VALUE
        if name == "AWS::Region":
            return self.region
        if name in _STATIC_PSEUDO:
            return _STATIC_PSEUDO[name]
        if name in self.parameters:
            return self._parameter(name)
        if name in self.resources:
            return self._reference(name, "")
        return UNKNOWN

    def _parameter(self, name: str) -> Any:
        parameter = self.parameters[name]
        if not isinstance(parameter, dict) or "Default" not in parameter:
            return UNKNOWN
        default = parameter["Default"]
        if not isinstance(default, str | int | float):  # CloudFormation takes only these
            return UNKNOWN
        if str(parameter.get("Type", "")).startswith("List<") or \
                parameter.get("Type") == "CommaDelimitedList":
            return self.resolve([part.strip() for part in str(default).split(",")], "", [])
        return self.resolve(default, "", [])

    def _reference(self, logical_id: str, attribute: str) -> Ref:
        self._depends.append(self.address(logical_id))
        return Ref(address=self.address(logical_id), attribute=attribute)

    def _get_att(self, argument: Any, path: str, unknown: list[str]) -> Any:
        if isinstance(argument, str):
            argument = argument.split(".", 1)
        if not all(isinstance(part, str) for part in argument):
            return UNKNOWN
        logical_id, attribute = argument[0], ".".join(argument[1:])
        if logical_id in self.resources and attribute:
            return self._reference(logical_id, attribute)
        return UNKNOWN

    def _sub(self, argument: Any, path: str, unknown: list[str]) -> Any:
        template, variables = (argument, {}) if isinstance(argument, str) else argument
        if not isinstance(template, str) or not isinstance(variables, dict):
            return UNKNOWN
        parts: list[str] = []
        position = 0
        for match in _SUB_VARIABLE.finditer(template):
            parts.append(template[position:match.start()])
            position = match.end()
            name = match.group(1).strip()
            if name.startswith("!"):  # ${!Literal} is written as ${Literal}
                parts.append("${" + name[1:] + "}")
                continue
            text = self._sub_variable(name, variables, path)
            if text is None:
                return UNKNOWN
            parts.append(text)
        parts.append(template[position:])
        return "".join(parts)

    def _sub_variable(self, name: str, variables: dict[str, Any], path: str) -> str | None:
        """The text of one `${name}`; a runtime value (a resource's attribute, the account)
        stays as reference text; None when the string cannot be known."""
        if name in variables:
            value = self.resolve(variables[name], path, [])
        elif name in _RUNTIME_PSEUDO:
            return "${" + name + "}"
        elif "." in name and name.split(".", 1)[0] in self.resources:
            logical_id, attribute = name.split(".", 1)
            value = self._reference(logical_id, attribute)
        else:
            value = self._ref(name, path, [])
        return _text(value)

    def _join(self, argument: Any, path: str, unknown: list[str]) -> Any:
        delimiter, parts = argument
        missing: list[str] = []
        parts = self.resolve(parts, path, missing)
        if missing or not isinstance(parts, list) or not isinstance(delimiter, str):
            return UNKNOWN
        texts = [_text(part) for part in parts]
        return UNKNOWN if None in texts else delimiter.join(t for t in texts if t is not None)

    def _if(self, argument: Any, path: str, unknown: list[str]) -> Any:
        name, when_true, when_false = argument
        decided = self.condition(name)
        if isinstance(decided, _Unknown):
            return UNKNOWN
        return self.resolve(when_true if decided else when_false, path, unknown)

    def _select(self, argument: Any, path: str, unknown: list[str]) -> Any:
        index, items = (self.resolve(part, path, []) for part in argument)
        if isinstance(index, str) and index.isascii() and index.isdigit():
            index = int(index)  # CloudFormation takes "1" as well as 1
        if isinstance(items, list) and type(index) is int and 0 <= index < len(items):
            return items[index]
        return UNKNOWN  # an index that is no whole number in range: the stack would fail

    def _split(self, argument: Any, path: str, unknown: list[str]) -> Any:
        delimiter, text = argument
        text = self.resolve(text, path, [])
        return text.split(delimiter) if isinstance(text, str) else UNKNOWN

    def _find_in_map(self, argument: Any, path: str, unknown: list[str]) -> Any:
        keys = [self.resolve(part, path, []) for part in argument]
        value: Any = self.mappings
        for key in keys:
            if not isinstance(key, str | int) or not isinstance(value, dict):
                return UNKNOWN
            value = value[key]
        return self.resolve(value, path, unknown)

    def _base64(self, argument: Any, path: str, unknown: list[str]) -> Any:
        """The text CloudFormation passes on, base64-encoded (an instance's UserData)."""
        text = _text(self.resolve(argument, path, []))
        return base64.b64encode(text.encode()).decode("ascii") if text is not None else UNKNOWN

    _FUNCTIONS: ClassVar[dict[str, Callable[..., Any]]] = {
        "Ref": _ref, "Fn::GetAtt": _get_att, "Fn::Sub": _sub, "Fn::Join": _join,
        "Fn::If": _if, "Fn::Select": _select, "Fn::Split": _split,
        "Fn::FindInMap": _find_in_map, "Fn::Base64": _base64,
    }

    # -- conditions

    def condition(self, name: Any) -> bool | _Unknown:
        """A named condition's value from parameter defaults, or UNKNOWN."""
        if not isinstance(name, str) or name not in self.conditions:
            return UNKNOWN
        if name not in self._condition_values:
            self._condition_values[name] = UNKNOWN  # a cycle stays unknown
            self._condition_values[name] = self._decide(self.conditions[name])
        return self._condition_values[name]

    def _decide(self, expression: Any) -> bool | _Unknown:
        function = _intrinsic(expression) if isinstance(expression, dict) else None
        if function is None:
            return UNKNOWN
        argument = expression[function]
        try:
            if function == "Condition":
                return self.condition(argument)
            if function == "Fn::Equals":
                left, right = (self.resolve(part, "", []) for part in argument)
                if any(isinstance(side, _Unknown | Ref) for side in (left, right)):
                    return UNKNOWN
                return _text(left) == _text(right)
            if function == "Fn::Not":
                inner = self._decide(argument[0])
                return inner if isinstance(inner, _Unknown) else not inner
            if function in ("Fn::And", "Fn::Or"):
                return _combine(function, [self._decide(part) for part in argument])
        except (TypeError, ValueError, IndexError):
            pass
        return UNKNOWN


def _combine(function: str, values: list[bool | _Unknown]) -> bool | _Unknown:
    decisive = function == "Fn::Or"  # True decides an Or, False decides an And
    if decisive in values:
        return decisive
    return UNKNOWN if any(isinstance(v, _Unknown) for v in values) else not decisive


def _intrinsic(value: dict[Any, Any]) -> str | None:
    if len(value) != 1:
        return None
    [(key, argument)] = value.items()
    if key == "Condition":  # also an ordinary property name; the function takes a name
        return key if isinstance(argument, str) else None
    return key if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")) else None


def _text(value: Any) -> str | None:
    """How a value reads inside a string; a Ref reads as `${address.attribute}`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float | Ref):
        return str(value)
    return None


def _parameter_refs(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, parameter) for every `Ref` in the properties (parameters and resources alike:
    only parameters have a `Default` span)."""
    if isinstance(value, dict):
        if _intrinsic(value) == "Ref" and isinstance(value["Ref"], str):
            yield path, value["Ref"]
            return
        for key, item in value.items():
            yield from _parameter_refs(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _parameter_refs(item, f"{path}.{index}")


def _is_sam(template: dict[str, Any]) -> bool:
    transform = template.get("Transform")
    return SAM_TRANSFORM in (transform if isinstance(transform, list) else [transform])


def _sam_merge(defaults: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """SAM's Globals rule: mappings merge, lists add up (globals first), the resource's
    own scalar (or intrinsic) wins."""
    merged = dict(defaults)
    for key, value in own.items():
        base = merged.get(key)
        if isinstance(base, dict) and isinstance(value, dict) and \
                _intrinsic(base) is None and _intrinsic(value) is None:
            merged[key] = _sam_merge(base, value)
        elif isinstance(base, list) and isinstance(value, list):
            merged[key] = base + value
        else:
            merged[key] = value
    return merged


def _tags(value: Any) -> dict[str, str]:
    """CloudFormation's [{Key, Value}] list or SAM's mapping → strings."""
    if isinstance(value, dict):
        pairs: Iterator[tuple[Any, Any]] = iter(value.items())
    elif isinstance(value, list):
        pairs = ((t.get("Key"), t.get("Value")) for t in value if isinstance(t, dict))
    else:
        return {}
    tags = {}
    for key, text in pairs:
        if isinstance(key, str) and (rendered := _text(text)) is not None:
            tags[key] = rendered
    return tags


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

