"""Cost accuracy against Infracost's published AWS fixtures, resource by resource.

Give it a checkout of Infracost's repository (read where it lies, never copied into purser,
shipped or committed). Each fixture under
internal/providers/terraform/aws/testdata/<name>_test/ is a trio: `<name>_test.tf`, an
optional `<name>_test.usage.yml` and `<name>_test.golden`, the table Infracost prints for
them. For each fixture the .tf and the usage file are copied into a temporary folder and
priced as a user would (`purser cost PATH --usage FILE --format json`, in process: the same
`run_check` with policies off), and every resource of the golden table is compared with
purser's line for it:

* a resource's cost on each side is the sum of its components with a known monthly cost
  (Infracost's "Monthly cost depends on usage" lines and purser's lines without usage are
  left out on their side); within 2% of the golden figure (or within the golden's rounding
  of each line to the cent), or zero on both sides, matches;
* the rest say why: not priced by purser (with purser's reason), listed as free, missing
  from purser's output (loader errors quoted), or the cost differs (both figures);
* a reservation: Infracost's golden shows its recurring hourly fee only (an all-upfront
  one costs $0.00 there), purser adds the upfront fee amortised over the term. A resource
  whose other lines match the golden is counted apart, "differs by the amortised upfront
  fee Infracost leaves out", with both figures, never as within 2%; one that purser prices
  on-demand because the catalog lacks a reservation fee is counted apart too.

It prints per fixture (with each resource under --verbose), per resource type and in
total; the priced AWS resource types (Terraform types whose registered pricer is not the
free one: it adds cost lines), marking those that produced a line on the fixtures; and
the share within 2% on the resource types purser prices. A golden table in another
currency (the China fixtures, in CNY) is reported and not compared. Exits 0.

    python benchmarks/cost_accuracy.py /tmp/infracost [--fixture lb --fixture elb] [--verbose]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from purser.cost.pricers import load_builtin_pricers
from purser.cost.pricers.free import free as free_pricer
from purser.cost.pricers.reservation import UPFRONT_COMPONENT
from purser.cost.usage import UsageError, load_usage_file
from purser.estimates import Estimate
from purser.gate import CheckOptions, run_check

FIXTURES = Path("internal/providers/terraform/aws/testdata")
TOLERANCE = 0.02
ROUNDING = 0.005  # half a cent: the golden prints every line rounded to the cent
MAX_GOLDEN_BYTES = 5_000_000  # the largest published golden is about 60 kB
_SHOWN_REASON = 110  # characters of a reason in the per-resource and per-type lines
UPFRONT_LEFT_OUT = "differs by the amortised upfront fee Infracost leaves out"
RESERVATION_ON_DEMAND = "reservation priced on-demand (fee not in the catalog)"
_ON_DEMAND_MARK = "fee not in the catalog: on-demand, an upper bound"

# --- the golden table -------------------------------------------------------------------

_TREE = "│├└─ "  # drawing characters before a nested row's name
_AMOUNT = r"-?\$-?[\d,]+(?:\.\d+)?|-?[\d,]+(?:\.\d+)? ?元"
_COST_ROW = re.compile(
    rf"^(?P<name>.+?)(?:\s{{2,}}(?P<qty>-?[\d,]+(?:\.\d+)?)\s{{2,}}(?P<unit>\S.*?))?"
    rf"\s{{2,}}(?P<cost>{_AMOUNT})\s*\*?\s*$")
_USAGE_ROW = re.compile(
    rf"^(?P<name>.+?)\s{{2,}}Monthly cost depends on usage:\s*(?P<price>{_AMOUNT})"
    rf"\s+per\s+(?P<unit>.+?)\s*$")
_HEADER = re.compile(r"^\s*Name\s{2,}Monthly Qty\s{2,}Unit\s{2,}Monthly Cost\s*$")
_TOTAL = re.compile(r"^\s*OVERALL TOTAL\b(?: \((?P<currency>[A-Z]{3})\))?")
_TOTAL_AMOUNT = re.compile(rf"(?P<total>{_AMOUNT})\s*$")


@dataclass
class GoldenComponent:
    name: str  # with its parents' names: "root_block_device / Storage (gp2)"
    quantity: float | None
    unit: str | None
    cost: float | None  # None: "Monthly cost depends on usage"
    unit_price: float | None = None  # of a usage-dependent line


@dataclass
class GoldenResource:
    address: str
    components: list[GoldenComponent] = field(default_factory=list)

    @property
    def known_cost(self) -> float:
        return sum(c.cost for c in self.components if c.cost is not None)


@dataclass
class GoldenTable:
    resources: dict[str, GoldenResource]
    total: float | None  # OVERALL TOTAL, to check the parse against
    currency: str  # "USD", or the one OVERALL TOTAL names ("CNY")

    def unexplained(self) -> float | None:
        """How far the parsed components are from the table's own total (cents of rounding
        per line are expected); None when the table has no total."""
        if self.total is None:
            return None
        lines = sum(len(r.components) for r in self.resources.values())
        gap = abs(sum(r.known_cost for r in self.resources.values()) - self.total)
        return gap if gap > 0.01 * (lines + 1) else 0.0


def parse_golden(text: str) -> GoldenTable:
    """The resources of an Infracost table: a top-level row (one space, then a name) opens a
    resource; every tree row under it (├─ └─ │) is a component, a block or a nested
    resource; rows before the Name header and from OVERALL TOTAL on are not the table."""
    lines = text.splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if _HEADER.match(line)), 0)
    resources: dict[str, GoldenResource] = {}
    current: GoldenResource | None = None
    parents: list[tuple[int, str]] = []  # (depth, name) of the blocks above this row
    total, currency = None, "USD"
    for line in lines[start:]:
        closing = _TOTAL.match(line)
        if closing:
            amount = _TOTAL_AMOUNT.search(line)
            total = _amount(amount["total"]) if amount else None
            currency = closing["currency"] or ("CNY" if "元" in line else "USD")
            break
        if not line.strip() or line.lstrip().startswith(("┃", "┏", "┣", "┗", "─")):
            continue
        body = line[1:] if line.startswith(" ") else line
        if body[:1] not in _TREE:  # a top-level row: a resource
            current = resources.setdefault(body.strip(), GoldenResource(body.strip()))
            parents = []
            continue
        if current is None:
            continue
        depth = len(body) - len(body.lstrip(_TREE))
        row = body.lstrip(_TREE).rstrip()
        parents = [(d, n) for d, n in parents if d < depth]
        component = _component(row, [n for _d, n in parents])
        if component is None:  # a block or nested resource: names the rows under it
            parents.append((depth, row.strip()))
            continue
        current.components.append(component)
    return GoldenTable(resources, total, currency)


def _component(row: str, parents: list[str]) -> GoldenComponent | None:
    def named(name: str) -> str:
        return " / ".join([*parents, name.strip()])

    usage = _USAGE_ROW.match(row)
    if usage:
        return GoldenComponent(named(usage["name"]), None, usage["unit"], None,
                               _amount(usage["price"]))
    priced = _COST_ROW.match(row)
    if priced:
        quantity = _amount(priced["qty"]) if priced["qty"] else None
        return GoldenComponent(named(priced["name"]), quantity, priced["unit"],
                               _amount(priced["cost"]))
    return None


def _amount(text: str) -> float:
    negative = text.count("-") % 2 == 1
    value = float(re.sub(r"[^\d.]", "", text) or 0)
    return -value if negative else value


# --- pricing a fixture with purser -------------------------------------------------------

@dataclass
class Priced:
    estimate: Estimate | None
    problem: str | None  # the usage file refused, or the run failed: why
    load_errors: list[str]


def price_fixture(folder: Path, name: str) -> Priced:
    """Copy the fixture's .tf and usage file into a temporary folder and price it as
    `purser cost PATH --usage FILE` does."""
    with tempfile.TemporaryDirectory(prefix="purser-accuracy-") as temp:
        root = Path(temp)
        shutil.copyfile(folder / f"{name}.tf", root / "main.tf")
        usage_path = folder / f"{name}.usage.yml"
        usage = None
        if usage_path.is_file():
            shutil.copyfile(usage_path, root / "usage.yml")
            try:
                usage = load_usage_file(root / "usage.yml")
            except UsageError as exc:  # the CLI stops here with exit 2
                message = str(exc).replace(f"{root}/", "")
                return Priced(None, f"usage file refused: {message}", [])
        try:
            report = run_check(root, options=CheckOptions(policies=False, usage=usage))
        except Exception as exc:  # report it and go on with the next fixture
            return Priced(None, f"purser failed: {type(exc).__name__}: {exc}", [])
        return Priced(report.cost, None, [str(e) for e in report.errors])


# --- comparing --------------------------------------------------------------------------

@dataclass
class Outcome:
    fixture: str
    address: str
    type: str
    golden: float
    purser: float | None
    matched: bool
    reason: str  # why not, or "" when matched
    category: str  # "within 2%", "cost differs", "not priced", ...


def resource_type(address: str) -> str:
    """`module.a.aws_lb.web["x"]` → `aws_lb`: the first dotted part after the module path."""
    parts = [p for p in re.split(r"\.(?![^\[]*\])", address) if p]
    while len(parts) >= 2 and parts[0] == "module":
        parts = parts[2:]
    return re.sub(r"\[.*$", "", parts[0]) if parts else address


def compare(fixture: str, golden: GoldenTable, priced: Priced) -> list[Outcome]:
    return [_compare_one(fixture, resource, priced) for resource in golden.resources.values()]


def _compare_one(fixture: str, golden: GoldenResource, priced: Priced) -> Outcome:
    want = golden.known_cost
    lines = max(1, sum(1 for c in golden.components if c.cost is not None))

    def outcome(purser: float | None, category: str, reason: str = "") -> Outcome:
        return Outcome(fixture, golden.address, resource_type(golden.address), want, purser,
                       category == "within 2%", reason, category)

    if priced.estimate is None:
        return outcome(None, "run failed", priced.problem or "no estimate")
    found = {r.address: r for r in priced.estimate.resources}.get(golden.address)
    if found is not None:
        have = sum(c.monthly_cost for c in found.components if c.monthly_cost is not None)
        upfront = sum(c.monthly_cost or 0.0 for c in found.components
                      if c.component.startswith(UPFRONT_COMPONENT))
        if upfront and _close(have - upfront, want, lines):
            return outcome(have, UPFRONT_LEFT_OUT,
                           f"purser ${have:,.2f} of which ${upfront:,.2f} amortised upfront "
                           f"fee; golden ${want:,.2f} (recurring fee only)")
        if _close(have, want, lines):
            return outcome(have, "within 2%")
        if any(_ON_DEMAND_MARK in c.component for c in found.components):
            return outcome(have, RESERVATION_ON_DEMAND,
                           f"purser ${have:,.2f} on-demand (an upper bound) vs golden "
                           f"${want:,.2f} ({_delta(have, want)})")
        waiting = sum(1 for c in found.components if c.monthly_cost is None)
        return outcome(have, "cost differs",
                       f"purser ${have:,.2f} vs golden ${want:,.2f} ({_delta(have, want)})"
                       + (f"; {waiting} purser line(s) without usage" if waiting else ""))
    unpriced = {u.address: u for u in priced.estimate.unpriced}.get(golden.address)
    if unpriced is not None:
        return outcome(None, "not priced", f"not priced by purser: {unpriced.reason}")
    if golden.address in priced.estimate.free:
        if _close(0.0, want, lines):
            return outcome(0.0, "within 2%")
        return outcome(0.0, "listed free", f"purser lists it as free; golden ${want:,.2f}")
    errors = "; ".join(priced.load_errors)[:_SHOWN_REASON]
    return outcome(None, "missing", "missing in purser's output"
                   + (f" (loader: {errors})" if errors else ""))


def _close(have: float, want: float, lines: int) -> bool:
    """Within 2%, or within the golden's own rounding: each of its `lines` is printed to the
    cent (a $0.0929 Lambda shows as $0.02 + $0.07). Zero on both sides matches."""
    return abs(have - want) <= max(TOLERANCE * abs(want), ROUNDING * lines)


def _delta(have: float, want: float) -> str:
    return "golden is $0" if want == 0 else f"{(have - want) / abs(want):+.1%}"


# --- the run ----------------------------------------------------------------------------

def fixtures(root: Path, names: list[str]) -> Iterator[tuple[str, Path]]:
    base = root / FIXTURES
    if not base.is_dir():
        sys.exit(f"error: {base} is not a folder: give a checkout of Infracost's repository")
    wanted = {n.removesuffix("_test") for n in names}
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and p.name.endswith("_test")):
        short = folder.name.removesuffix("_test")
        if wanted and short not in wanted:
            continue
        trio = folder / folder.name
        if trio.with_suffix(".tf").is_file() and trio.with_suffix(".golden").is_file():
            yield folder.name, folder


def read_golden(path: Path) -> GoldenTable:
    if path.stat().st_size > MAX_GOLDEN_BYTES:
        return GoldenTable({}, None, "USD")
    return parse_golden(path.read_text(encoding="utf-8", errors="replace"))


def priced_types() -> list[str]:
    """Terraform AWS types with a price model that adds cost lines (not the free one)."""
    return sorted(t for t, pricer in load_builtin_pricers().items()
                  if t.startswith("aws_") and pricer is not free_pricer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("infracost", type=Path, help="checkout of Infracost's repository")
    parser.add_argument("--fixture", action="append", default=[],
                        help="fixture name (e.g. lb or lb_test); repeatable; default: all")
    parser.add_argument("--verbose", action="store_true", help="print every resource")
    args = parser.parse_args()

    start = time.perf_counter()
    outcomes: list[Outcome] = []
    other_currency: list[str] = []
    unparsed: list[str] = []  # goldens whose parsed rows miss their own total
    lined_types: set[str] = set()
    print(f"{'fixture':<46} {'compared':>8} {'within 2%':>9}")
    for name, folder in fixtures(args.infracost, args.fixture):
        golden = read_golden(folder / f"{name}.golden")
        if golden.currency != "USD":
            other_currency.append(name)
            print(f"{name:<46} {'-':>8} {'-':>9}  not compared: golden in {golden.currency}")
            continue
        gap = golden.unexplained()
        if gap:
            unparsed.append(name)
            print(f"    warning: the golden rows add up to ${gap:,.2f} off its OVERALL TOTAL")
        priced = price_fixture(folder, name)
        if priced.estimate is not None:
            lined_types.update(r.type for r in priced.estimate.resources if r.components)
        found = compare(name, golden, priced)
        outcomes.extend(found)
        matched = sum(o.matched for o in found)
        print(f"{name:<46} {len(found):>8} {matched:>9}"
              + (f"  {priced.problem[:_SHOWN_REASON]}" if priced.problem else ""))
        for o in found:
            if args.verbose or not o.matched:
                mark = "ok " if o.matched else "-- "
                detail = o.reason or f"${o.golden:,.2f}"
                print(f"    {mark}{o.address}: {detail[:_SHOWN_REASON * 2]}")
    seconds = time.perf_counter() - start
    _by_type(outcomes)
    if unparsed:
        print(f"\nwarning: {len(unparsed)} golden table(s) parsed short of their total: "
              + ", ".join(unparsed))
    _summary(outcomes, lined_types, other_currency, seconds)


def _by_type(outcomes: list[Outcome]) -> None:
    groups: defaultdict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.type].append(o)
    print(f"\n{'resource type':<46} {'compared':>8} {'within 2%':>9}  most frequent reason")
    for type_, found in sorted(groups.items()):
        matched = sum(o.matched for o in found)
        reasons = Counter(_short(o.reason) for o in found if not o.matched)
        top = reasons.most_common(1)[0][0] if reasons else ""
        print(f"{type_:<46} {len(found):>8} {matched:>9}  {top[:_SHOWN_REASON]}")


def _short(reason: str) -> str:
    """A reason without its figures, so that equal causes count together."""
    return re.sub(r"\$[\d,.]+|[+-]?[\d.]+%", "…", reason)


def _summary(outcomes: list[Outcome], lined: set[str], other_currency: list[str],
             seconds: float) -> None:
    total = len(outcomes)
    matched = sum(o.matched for o in outcomes)
    types = priced_types()
    print(f"\nTotal: {matched}/{total} resources within 2% of Infracost's golden "
          f"({_share(matched, total)}); {len(other_currency)} fixture(s) in another "
          f"currency not compared; {seconds:.1f} s")
    for category, count in Counter(o.category for o in outcomes).most_common():
        print(f"  {category:<14} {count:>5}")
    print(f"\nPriced AWS resource types: {len(types)} (Terraform types whose price model "
          "adds cost lines; * = produced a line on these fixtures)")
    for i in range(0, len(types), 3):
        print("  " + "".join(f"{t + ('*' if t in lined else ''):<46}" for t in types[i:i + 3]))
    ours = [o for o in outcomes if o.type in types]
    ours_matched = sum(o.matched for o in ours)
    print(f"\nwithin 2% on types purser prices: {ours_matched}/{len(ours)} "
          f"({_share(ours_matched, len(ours))})")
    upfront = sum(o.category == UPFRONT_LEFT_OUT for o in ours)
    print(f"{UPFRONT_LEFT_OUT} (counted apart, not within 2%): {upfront}; "
          f"{RESERVATION_ON_DEMAND}: "
          f"{sum(o.category == RESERVATION_ON_DEMAND for o in ours)}")


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


if __name__ == "__main__":
    main()
