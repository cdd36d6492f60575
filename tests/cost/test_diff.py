"""Base/head cost diff: resources joined by address, component deltas, unchanged counted."""

from __future__ import annotations

from pathlib import Path

import pygit2
import pytest

from purser.config import Config
from purser.cost.diff import diff
from purser.cost.estimate import Estimate, ResourceCost, Unpriced
from purser.gate import CheckOptions, diff_revisions
from purser.git import GitError
from purser.model import CostLine, PriceRef

PRICE = PriceRef(sku="sku", region="us-east-1", source="https://example.test/prices",
                 date="2025-01-01")


def line(component: str, quantity: float | None, unit_price: float, *,
         unit: str = "hours", address: str = "x") -> CostLine:
    cost = None if quantity is None else quantity * unit_price
    return CostLine(resource=address, component=component, unit=unit, monthly_quantity=quantity,
                    unit_price=unit_price, monthly_cost=cost, price=PRICE,
                    usage_origin="unknown" if quantity is None else "fixed")


def cost(address: str, *lines: CostLine, application: str | None = None) -> ResourceCost:
    return ResourceCost(
        address=address, type=address.split(".")[0], components=list(lines),
        monthly_cost=sum(c.monthly_cost or 0.0 for c in lines), application=application,
        usage_unknown=any(c.monthly_cost is None for c in lines))


def est(*costs: ResourceCost, unpriced: list[Unpriced] | None = None) -> Estimate:
    by_app: dict[str, float] = {}
    for c in costs:
        key = c.application or "(unassigned)"
        by_app[key] = by_app.get(key, 0.0) + c.monthly_cost
    return Estimate(total_monthly_cost=sum(c.monthly_cost for c in costs),
                    resources=list(costs), unpriced=unpriced or [],
                    totals={"application": by_app})


def test_added_removed_changed_are_listed_and_unchanged_only_counted():
    same = cost("aws_sqs_queue.same", line("requests", 10, 0.4))
    base = est(same, cost("aws_nat_gateway.old", line("hours", 730, 0.045)),
               cost("aws_instance.web", line("hours", 730, 0.0104)))
    head = est(same, cost("aws_nat_gateway.new", line("hours", 730, 0.045)),
               cost("aws_instance.web", line("hours", 730, 0.0208)))
    result = diff(base, head)
    assert [d.address for d in result.added] == ["aws_nat_gateway.new"]
    assert [d.address for d in result.removed] == ["aws_nat_gateway.old"]
    assert [d.address for d in result.changed] == ["aws_instance.web"]
    assert result.unchanged == 1
    assert result.added[0].base_monthly is None
    assert result.added[0].delta == pytest.approx(730 * 0.045)
    assert result.removed[0].head_monthly is None
    assert result.removed[0].delta == pytest.approx(-730 * 0.045)


def test_totals_delta_and_percentage():
    base = est(cost("aws_instance.a", line("hours", 100, 1.0)))
    head = est(cost("aws_instance.a", line("hours", 150, 1.0)))
    result = diff(base, head)
    assert (result.base_total, result.head_total) == (100, 150)
    assert result.delta == pytest.approx(50)
    assert result.delta_pct == pytest.approx(50.0)


def test_percentage_is_none_when_the_base_costs_nothing():
    result = diff(est(), est(cost("aws_instance.a", line("hours", 1, 2.0))))
    assert result.delta == pytest.approx(2.0)
    assert result.delta_pct is None


def test_component_deltas_name_the_quantity_and_price_that_moved():
    base = est(cost("aws_lambda_function.api", line("requests", 2.0, 0.2, unit="1M requests"),
                    line("duration", 1000, 0.0000166667, unit="GB-seconds")))
    head = est(cost("aws_lambda_function.api", line("requests", 2.0, 0.2, unit="1M requests"),
                    line("duration", 2000, 0.0000166667, unit="GB-seconds"),
                    line("provisioned", 730, 0.01)))
    [changed] = diff(base, head).changed
    by_name = {c.name: c for c in changed.components}
    assert set(by_name) == {"duration", "provisioned"}
    duration = by_name["duration"]
    assert (duration.base_quantity, duration.head_quantity) == (1000, 2000)
    assert duration.delta == pytest.approx(1000 * 0.0000166667)
    assert by_name["provisioned"].base_quantity is None
    assert changed.delta == pytest.approx(1000 * 0.0000166667 + 7.3)


def test_a_price_change_with_the_same_total_is_still_a_change():
    base = est(cost("aws_instance.a", line("hours", 100, 1.0), line("storage", 10, 1.0)))
    head = est(cost("aws_instance.a", line("hours", 50, 2.0), line("storage", 10, 1.0)))
    result = diff(base, head)
    assert [c.name for c in result.changed[0].components] == ["hours"]
    assert result.changed[0].delta == 0
    assert result.unchanged == 0


def test_usage_becoming_known_is_a_change_and_the_unknown_side_counts_as_no_cost():
    base = est(cost("aws_lambda_function.f", line("requests", None, 0.2)))
    head = est(cost("aws_lambda_function.f", line("requests", 3.0, 0.2)))
    [changed] = diff(base, head).changed
    assert changed.usage_unknown
    assert changed.components[0].base_monthly is None
    assert changed.components[0].delta == pytest.approx(0.6)


def test_changes_are_ordered_by_the_size_of_their_delta():
    base = est(cost("a.small", line("h", 1, 1.0)), cost("a.big", line("h", 1, 1.0)))
    head = est(cost("a.small", line("h", 2, 1.0)), cost("a.big", line("h", 100, 1.0)))
    assert [d.address for d in diff(base, head).changed] == ["a.big", "a.small"]


def test_newly_unpriced_resources_are_reported():
    gone = Unpriced(address="aws_x.old", type="aws_x", reason="no price model for aws_x")
    new = Unpriced(address="aws_y.new", type="aws_y", reason="no price model for aws_y")
    result = diff(est(unpriced=[gone]), est(unpriced=[new]))
    assert [u.address for u in result.newly_unpriced] == ["aws_y.new"]
    assert [u.address for u in result.no_longer_unpriced] == ["aws_x.old"]


def test_group_totals_carry_both_sides_per_application():
    base = est(cost("a.one", line("h", 10, 1.0), application="shop"))
    head = est(cost("a.one", line("h", 25, 1.0), application="shop"),
               cost("a.two", line("h", 5, 1.0), application="search"))
    totals = diff(base, head).totals["application"]
    assert totals["shop"].delta == pytest.approx(15)
    assert (totals["search"].base, totals["search"].head) == (0, 5)


def test_ten_thousand_resources_diff_by_address_join():
    base = est(*(cost(f"aws_instance.i{n}", line("hours", 730, 0.01)) for n in range(10_000)))
    head = est(*(cost(f"aws_instance.i{n}", line("hours", 730, 0.02 if n % 20 == 0 else 0.01))
                 for n in range(10_000)))
    result = diff(base, head)
    assert (len(result.changed), result.unchanged) == (500, 9_500)


WHO = pygit2.Signature("tester", "tester@purser.invalid")
LAMBDA = '''resource "aws_lambda_function" "api" {{
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  memory_size   = {memory}
}}
'''


def commit(repo: pygit2.Repository, root: Path, memory: int) -> None:
    (root / "main.tf").write_text(LAMBDA.format(memory=memory))
    repo.index.add_all()
    repo.index.write()
    parents = [] if repo.head_is_unborn else [repo.head.target]
    repo.create_commit("HEAD", WHO, WHO, f"memory {memory}", repo.index.write_tree(), parents)


@pytest.fixture
def lambda_repo(tmp_path: Path) -> Path:
    repo = pygit2.init_repository(str(tmp_path), initial_head="main")
    commit(repo, tmp_path, 512)
    commit(repo, tmp_path, 1024)
    return tmp_path


class Requests:
    origin = "usage file"

    def quantities(self, resource):
        return {"monthly_requests": 1_000_000, "request_duration_ms": 100}


REQUESTS = CheckOptions(usage=Requests())


def test_diff_revisions_reads_both_sides_from_git(lambda_repo: Path):
    result = diff_revisions(lambda_repo, "HEAD~1", "HEAD", Config(), REQUESTS)
    [changed] = result.changed
    assert changed.address == "aws_lambda_function.api"
    assert changed.delta > 0
    assert result.head_revision is not None and result.base_revision != result.head_revision


def test_diff_revisions_against_the_work_tree_sees_uncommitted_edits(lambda_repo: Path):
    (lambda_repo / "main.tf").write_text(LAMBDA.format(memory=1024))
    assert diff_revisions(lambda_repo, "HEAD", None, Config(), REQUESTS).changed == []
    (lambda_repo / "main.tf").write_text(LAMBDA.format(memory=256))
    result = diff_revisions(lambda_repo, "HEAD", None, Config(), REQUESTS)
    assert result.head_revision is None
    assert result.changed[0].delta < 0


def test_diff_revisions_with_an_unknown_base_is_a_git_error(lambda_repo: Path):
    with pytest.raises(GitError, match="unknown revision 'release-9'"):
        diff_revisions(lambda_repo, "release-9", None, Config())


def test_a_component_renamed_with_its_settings_is_joined_by_its_price():
    def duration(memory: int, gb_seconds: float) -> CostLine:
        return line(f"Duration (x86_64, {memory} MB)", gb_seconds, 0.0000166667,
                    unit="GB-seconds")

    base = est(cost("aws_lambda_function.api", line("Requests", 1, 0.2), duration(512, 50_000)))
    head = est(cost("aws_lambda_function.api", line("Requests", 1, 0.2), duration(1024, 100_000)))
    [component] = diff(base, head).changed[0].components
    assert (component.name, component.base_name) == (
        "Duration (x86_64, 1024 MB)", "Duration (x86_64, 512 MB)")
    assert (component.base_quantity, component.head_quantity) == (50_000, 100_000)
    assert component.delta == pytest.approx(50_000 * 0.0000166667)
