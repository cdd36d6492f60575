"""Where a generated application lands, so that no existing resource is renamed.

Addresses are a public contract (`purser.identity`): with more than one Terraform root
in a repository every root's folder prefixes its addresses, so a new root beside an
existing one would rename every resource already there. A repository that has roots
therefore gets the blueprint as a module folder (variables, resources, outputs; no
provider block) and one new file in an existing root that calls it: the new resources
are `module.<app>.…` of that root and nothing else changes. A repository without a root
gets a root of its own (with its provider) at `apps/<app>`. Kubernetes blueprints write
manifests, whose addresses name no folder.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass

from purser.config import Config
from purser.generate.conventions import EXAMPLE_FOLDERS, Conventions, is_example_path
from purser.generate.spec import IntentSpec
from purser.tree import Tree

DEFAULT_FOLDER = "apps"
DEFAULT_MODULE_PARENT = "modules"
__all__ = ["EXAMPLE_FOLDERS", "Layout", "LayoutError", "application_parent", "is_example_root",
           "place"]


class LayoutError(ValueError):
    """The application cannot land where asked: the message says why and what to pass."""


@dataclass(frozen=True)
class Layout:
    folder: str  # the blueprint's files (a root, or a module folder)
    root: str | None  # module mode: the existing root that calls the module, else None
    call_file: str | None  # module mode: the new file in `root` holding the module call
    module_source: str | None  # module mode: the call's `source`, relative to `root`
    root_region: str | None = None  # module mode: the region the root's provider sets

    @property
    def is_module(self) -> bool:
        return self.root is not None

    @property
    def module_name(self) -> str:
        return posixpath.basename(self.folder)

    def address_prefix(self, conventions: Conventions) -> str:
        """What the new resources' Terraform addresses start with (their local address
        follows): a new root beside other Terraform folders is one of several roots, whose
        addresses carry its folder."""
        if self.root is None:
            others = conventions.terraform_folders - {self.folder}
            return f"{self.folder}//" if others and self.folder != "." else ""
        several = len(conventions.terraform_roots) > 1
        qualifier = f"{self.root}//" if several and self.root != "." else ""
        return f"{qualifier}module.{self.name}."

    @property
    def name(self) -> str:
        """The module call's label (the application's slug)."""
        return posixpath.basename(self.call_file or "").removesuffix(".tf")

    @property
    def scope(self) -> str:
        """The folder a scoped gate reads: the calling root holds a module's resources."""
        return self.root if self.root is not None else self.folder


def place(tree: Tree, spec: IntentSpec, conventions: Conventions, config: Config, *,
          terraform: bool, out: str | None = None, root: str | None = None) -> Layout:
    """The layout for `spec` in the repository `tree`; `LayoutError` for a folder that is
    taken, outside the repository, or a root that is not one."""
    if any(a.name == spec.name for a in config.applications):
        raise LayoutError(f"purser.yaml already has an application named {spec.name}; "
                          "choose another name with --app")
    roots = conventions.terraform_roots
    if root is not None:
        root = _inside(root, "--root")
        if root not in roots:
            known = ", ".join(sorted(roots)) or "none"
            raise LayoutError(f"--root {root!r}: not a Terraform root with resources "
                              f"(roots: {known})")
    deployed = sorted(r for r in roots if not is_example_root(r))
    if not terraform or not (root or deployed):
        folder = _inside(out or posixpath.join(application_parent(config), spec.name), "--out")
        _free(tree, folder)
        return Layout(folder=folder, root=None, call_file=None, module_source=None)
    caller = root or max(deployed, key=lambda r: _weight(r, spec, roots))
    parent = conventions.module_parent or DEFAULT_MODULE_PARENT
    folder = _inside(out or posixpath.join(parent, spec.name), "--out")
    _free(tree, folder)
    call_file = posixpath.normpath(posixpath.join(caller, f"{spec.name}.tf"))
    if tree.exists(call_file) or (caller, spec.name) in conventions.module_calls:
        raise LayoutError(f"{caller}/ already has {call_file} or a module called {spec.name}; "
                          "choose another name with --app")
    source = posixpath.relpath(folder, caller)
    return Layout(folder=folder, root=caller, call_file=call_file,
                  module_source=source if source.startswith("../") else f"./{source}",
                  root_region=roots[caller] or config.defaults.region)


def application_parent(config: Config) -> str:
    """The folder most of purser.yaml's applications live in (`services/a`, `services/b` →
    `services`), else `apps`."""
    parents = Counter(posixpath.dirname(a.path) for a in config.applications)
    parents.pop("", None)
    parents.pop(".", None)
    return parents.most_common(1)[0][0] if parents else DEFAULT_FOLDER


def is_example_root(root: str) -> bool:
    """A root that demonstrates or tests a module (`examples/complete`, `tests/fixtures/x`)
    deploys nothing of the team's: a new application is never called from it unless
    `--root` names it."""
    return is_example_path(root)


def _weight(root: str, spec: IntentSpec, roots: dict[str, str | None]) -> tuple[int, int]:
    """Prefer a root in the spec's region, then a shallower one."""
    return (roots[root] == spec.region, -root.count("/"))


def _inside(rel: str, option: str) -> str:
    text = rel.strip().strip("/")
    normal = posixpath.normpath(text) if text else ""
    if (not normal or normal.startswith("../") or normal == ".."
            or posixpath.isabs(rel.strip()) or normal.split("/")[0] == ".git"
            or (normal == "." and option == "--out")):
        raise LayoutError(f"{option} {rel!r}: expected a folder inside the repository")
    return normal


def _free(tree: Tree, folder: str) -> None:
    target = tree.root / folder
    if target.is_symlink() or target.is_file() or (target.is_dir() and any(target.iterdir())):
        raise LayoutError(f"{folder}/ already holds files; choose another --out")
