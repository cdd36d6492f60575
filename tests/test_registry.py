"""Registries: names to implementations; built-ins are every module of a package, so a new
pricer, rule or source format is one file dropped in place."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import purser
from purser.registry import Registry, import_modules


def test_registry_refuses_a_name_twice_and_names_known_items():
    things: Registry[int] = Registry("thing")
    things.register("a")(1)
    with pytest.raises(ValueError):
        things.register("a")(2)
    with pytest.raises(KeyError) as caught:
        things.get("b")
    assert "a" in str(caught.value)
    assert list(things) == ["a"]


def test_a_registry_imports_every_module_of_its_package_on_first_lookup(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    package = tmp_path / "gadgets"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from purser.registry import Registry\n"
        "gadgets = Registry('gadget', package=__name__)\n")
    for name in ("zeta", "alpha"):
        (package / f"{name}.py").write_text(
            f"from gadgets import gadgets\ngadgets.register('{name}')({name!r})\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from gadgets import gadgets  # type: ignore[import-not-found]

    assert gadgets.items() == [("alpha", "alpha"), ("zeta", "zeta")]
    assert import_modules("gadgets") == ["alpha", "zeta"]  # name order, every time


PLUGINS = {
    "sources/widgets.py": '''
        """*.widget files: one widget per line."""
        from typing import ClassVar

        from purser.model import Resource, SourceRef
        from purser.sources import LoadContext, Loaded, RepoFile, formats


        @formats.register("widgets")
        class WidgetFormat:
            name: ClassVar[str] = "widgets"
            priority: ClassVar[int] = 70
            extensions: ClassVar[frozenset[str]] = frozenset({".widget"})
            file_names: ClassVar[frozenset[str]] = frozenset()

            def claims(self, file: RepoFile) -> bool:
                return file.suffix == ".widget"

            def load(self, files: list[RepoFile], context: LoadContext) -> Loaded:
                return Loaded(resources=[
                    Resource(address=f"acme_widget.{name}", type="acme_widget",
                             provider="aws", name=name,
                             source=SourceRef(file=file.rel, line=line))
                    for file in files
                    for line, name in enumerate(file.text.split(), start=1)])
    ''',
    "cost/pricers/widgets.py": '''
        from purser.cost.pricers import Unpriceable, prices


        @prices("acme_widget")
        def widget(ctx):
            raise Unpriceable("widgets are priced by hand")
    ''',
    "policy/packs/widgets.py": '''
        from purser.model import Category, Severity
        from purser.policy.rule import Rule, rule


        @rule
        class NoWidgets(Rule):
            id = "ACME-001"
            title = "No widgets"
            severity = Severity.high
            category = Category.finops
            pack = "acme"
            resource_types = ("acme_widget",)

            def check(self, resource, context):
                yield f"{resource.name} is a widget"
    ''',
}


def test_a_pricer_rule_and_source_dropped_in_place_are_used_by_the_gate(tmp_path: Path):
    """A copy of the package with three new modules and no other change: the walk opens
    the new extension, the format reads it, the rule judges it and the pricer prices it."""
    site = tmp_path / "site"
    shutil.copytree(Path(purser.__file__).parent, site / "purser",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for rel, text in PLUGINS.items():
        (site / "purser" / rel).write_text(textwrap.dedent(text))
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "shop.widget").write_text("sprocket\n")
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-m", "purser", "check", str(repo), "-f", "json"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [(f["rule_id"], f["resource"], f["file"]) for f in report["findings"]] == [
        ("ACME-001", "acme_widget.sprocket", "shop.widget")]
    assert "widgets are priced by hand" in json.dumps(report["cost"])
