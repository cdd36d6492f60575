"""Files recognised as not infrastructure: passed over on purpose, and counted.

A repository of infrastructure also holds CI workflows, documentation settings, package
manifests, Helm chart sources and Serverless Framework projects. They are YAML or JSON
like the templates and manifests, so without a word they would be read as broken ones (an
error) or passed over unseen. This format claims them first and counts them, so the report
says how many files were skipped and none is an error.

Recognition never hides a resource: a name alone is enough only where no manifest lives
(`.github/`, `mkdocs.yml`, `package.json`); elsewhere the neighbourhood decides (a
`values.yaml` is a chart's only inside a folder with `Chart.yaml`).
"""

from __future__ import annotations

import posixpath
import re
from typing import ClassVar

from purser.sources import LoadContext, Loaded, RepoFile, formats

#: Settings files of tools that are not infrastructure, by exact name.
TOOL_FILES = frozenset({
    "mkdocs.yml", "mkdocs.yaml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml",
    ".gitlab-ci.yml", ".travis.yml", "appveyor.yml", "azure-pipelines.yml",
    "bitbucket-pipelines.yml", "buildspec.yml", "codecov.yml", ".codecov.yml",
    ".golangci.yml", ".golangci.yaml", ".yamllint", ".yamllint.yml", ".yamllint.yaml",
    ".readthedocs.yml", ".readthedocs.yaml", "compose.yml", "compose.yaml",
    "package.json", "package-lock.json", "composer.json", "jsconfig.json", "cdk.json",
    "cdk.context.json", "tslint.json", ".eslintrc.json", ".prettierrc.json",
    "renovate.json", ".babelrc.json", "lerna.json", "nx.json", "deno.json",
    "samconfig.yaml", "samconfig.yml", "Chart.lock",
})
#: Name patterns of the same kind (docker-compose.prod.yml, tsconfig.build.json).
TOOL_FILE_PATTERNS = re.compile(r"^(docker-compose[\w.-]*\.ya?ml|tsconfig[\w.-]*\.json)$")
#: Folders holding only tool settings: CI workflows, editor and container settings.
TOOL_FOLDERS = frozenset({".github", ".gitlab", ".circleci", ".vscode", ".devcontainer",
                          ".idea"})
SERVERLESS_FILES = frozenset({"serverless.yml", "serverless.yaml"})
_SERVERLESS_KEYS = (re.compile(rb"^service\s*:", re.M), re.compile(rb"^provider\s*:", re.M))
CHART_FILE = "Chart.yaml"
# Messages of the Kubernetes API, never stored objects: requests and answers of webhooks and
# access checks (test fixtures of admission policies), and audit log events.
_MESSAGE_KINDS = re.compile(
    rb"(?:Admission|Token|Conversion|\w*SubjectAccess|SelfSubjectRules)Review")
_MESSAGE_GROUPS = re.compile(rb"audit\.k8s\.io/")
_MESSAGE_MARKS = (b"Review", b"audit.k8s.io/")  # one is in every file either pattern matches
_YAML_KINDS = re.compile(rb"^kind:[ \t]*[\"']?([\w.-]*)", re.M)
_YAML_API_VERSIONS = re.compile(rb"^apiVersion:[ \t]*[\"']?([\w./-]*)", re.M)
_JSON_KIND = re.compile(rb'"kind"\s*:\s*"([^"]*)"')
_JSON_API_VERSION = re.compile(rb'"apiVersion"\s*:\s*"([^"]*)"')


@formats.register("not_infrastructure")
class NotInfrastructure:
    name: ClassVar[str] = "not_infrastructure"
    priority: ClassVar[int] = 20  # before every reader of YAML and JSON
    extensions: ClassVar[frozenset[str]] = frozenset({".yaml", ".yml", ".json"})
    file_names: ClassVar[frozenset[str]] = frozenset({".yamllint"})

    def __init__(self) -> None:
        self.charts: set[str] = set()  # folders holding a Chart.yaml
        self.serverless: set[str] = set()  # folders holding a Serverless Framework project

    def survey(self, files: list[RepoFile]) -> None:
        for file in files:
            folder, name = posixpath.split(file.rel)
            if name == CHART_FILE:
                self.charts.add(folder)
            elif name in SERVERLESS_FILES and all(k.search(file.data) for k in _SERVERLESS_KEYS):
                self.serverless.add(folder)

    def claims(self, file: RepoFile) -> bool:
        folder, name = posixpath.split(file.rel)
        return (name in TOOL_FILES or bool(TOOL_FILE_PATTERNS.match(name))
                or any(part in TOOL_FOLDERS for part in folder.split("/"))
                or self._in_chart(folder, name)
                or self._in_serverless_project(folder, file)
                or _is_api_message(file))

    def load(self, files: list[RepoFile], context: LoadContext) -> Loaded:
        return Loaded(skipped=[file.rel for file in files])

    def _in_chart(self, folder: str, name: str) -> bool:
        """Every file of a Helm chart but its Chart.yaml (which names the chart to render)."""
        if name == CHART_FILE and folder in self.charts:
            return False
        return any(_is_within(folder, chart) for chart in self.charts)

    def _in_serverless_project(self, folder: str, file: RepoFile) -> bool:
        """serverless.yml and the fragments it includes (`${file(functions.yml)}`): not a
        CloudFormation template (those are read) nor a manifest."""
        if not any(_is_within(folder, project) for project in self.serverless):
            return False
        return posixpath.basename(file.rel) in SERVERLESS_FILES or not (
            b"AWS::" in file.data or _YAML_KINDS.search(file.data))


def _is_within(folder: str, ancestor: str) -> bool:
    return not ancestor or folder == ancestor or folder.startswith(ancestor + "/")


def _is_api_message(file: RepoFile) -> bool:
    """Every top-level object of the file is an API message (an AdmissionReview, an audit
    Event): the first of a JSON file, each document's own of a YAML one."""
    if not any(mark in file.data for mark in _MESSAGE_MARKS):
        return False  # the cheap test first: every file of a large tree is asked
    if file.suffix == ".json":
        kinds, api_versions = (found[:1] for found in (
            _JSON_KIND.findall(file.data), _JSON_API_VERSION.findall(file.data)))
    else:
        kinds = _YAML_KINDS.findall(file.data)
        api_versions = _YAML_API_VERSIONS.findall(file.data)
    by_kind = bool(kinds) and all(_MESSAGE_KINDS.fullmatch(kind) for kind in kinds)
    by_group = bool(api_versions) and all(_MESSAGE_GROUPS.match(a) for a in api_versions)
    return by_kind or by_group
