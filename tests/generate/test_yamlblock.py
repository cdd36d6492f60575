"""purser.yaml and usage files are edited as text: the entry is added at the end of its
block and every other byte stays; what cannot be added to without a rewrite is refused."""

from __future__ import annotations

import pytest
import yaml

from purser.generate.yamlblock import NotAppendable, append

APP = {"name": "new", "path": "apps/new"}


def test_an_item_joins_an_indented_list_before_the_next_key_and_its_comments() -> None:
    text = ("project: shop  # ours\napplications:\n  # first\n  - name: a\n    path: a\n\n"
            "# about budgets\nbudgets: []\n")
    out = append(text, "applications", [APP], "generated")
    assert out == ("project: shop  # ours\napplications:\n  # first\n  - name: a\n    path: a\n"
                   "  # generated\n  - name: new\n    path: apps/new\n\n# about budgets\n"
                   "budgets: []\n")
    assert yaml.safe_load(out)["applications"][-1] == APP


def test_an_item_joins_a_list_written_at_the_margin() -> None:
    out = append("applications:\n- name: a\n# note\n- name: b\nother: 1\n", "applications",
                 [APP])
    assert yaml.safe_load(out) == {"applications": [{"name": "a"}, {"name": "b"}, APP],
                                   "other": 1}
    assert out.endswith("- name: new\n  path: apps/new\nother: 1\n")


def test_an_entry_joins_a_mapping_and_an_absent_or_empty_key_is_written_anew() -> None:
    usage = "version: 0.1\nresource_usage:\n    a.b:\n        x: 1\n"
    out = append(usage, "resource_usage", {"c.d": {"y": 2}})
    assert out == usage + "    c.d:\n      y: 2\n"
    assert yaml.safe_load(append("version: 0.1", "resource_usage", {"c.d": {"y": 2}})) == {
        "version": 0.1, "resource_usage": {"c.d": {"y": 2}}}
    assert yaml.safe_load(append("applications: []\n", "applications", [APP])) == {
        "applications": [APP]}


def test_a_list_written_on_one_line_is_refused_with_its_line() -> None:
    with pytest.raises(NotAppendable, match="line 2: applications is written on one line"):
        append("project: x\napplications: [{name: a}]\n", "applications", [APP])


def test_a_key_inside_another_block_is_not_taken_for_the_top_level_one() -> None:
    text = "cost:\n  applications:\n    - x\n"
    assert yaml.safe_load(append(text, "applications", [APP])) == {
        "cost": {"applications": ["x"]}, "applications": [APP]}
