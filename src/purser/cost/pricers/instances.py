"""EC2 capacity: what each instance costs, whether an instance, a launch template or a
launch configuration describes it, priced for any number of instances.

A `LaunchSpec` gathers what decides the price: the instance type, tenancy, EBS
optimisation, detailed monitoring, the CPU credit mode of burstable types and the EBS
volumes. An instance launched from a template takes the template's settings and
overrides them with its own (volumes field by field, matched by device name).

Lines for N instances running H hours each:
- instance hours at the on-demand price of the type, operating system (usage
  `operating_system`, Linux by default) and tenancy; none for an instance on a dedicated
  host, which the host's price covers. A reservation in the usage file
  (`reserved_instance_type`, `_term`, `_payment_option`) is priced as reservation.py says:
  its recurring fee and its upfront fee amortised, or on-demand (an upper bound, said on
  the line) when the catalog lacks either fee.
- EBS optimisation, for the older types that charge for it (the catalog holds a price for
  them; for current types it is included).
- detailed monitoring: EC2's 7 metrics per instance at CloudWatch's custom-metric price,
  prorated by the hour as CloudWatch bills it.
- CPU credits of burstable types in unlimited mode (T2 defaults to standard, T3, T3a and
  T4g to unlimited): usage `monthly_cpu_credit_hrs` × `vcpu_count` per instance.
- each EBS volume × N. A root volume an instance or launch configuration leaves to its AMI
  is assumed to be 8 GB of gp2, as Infracost assumes (Amazon Linux 2's), and marked as an
  assumption; a launch template that maps no root device (`/dev/xvda`, `/dev/sda1`) gets
  an unknown root-volume line instead, as Infracost prices none: totals stay comparable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from purser import kinds
from purser.cost.catalog import Price
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    DEFAULT,
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    ResourceIndex,
    Unpriceable,
)
from purser.cost.pricers.ebs import bill_volume, ebs_prices, product
from purser.cost.pricers.regional import add_where_priced, regional_prices
from purser.cost.pricers.reservation import bill_reservation, on_demand_note, reservation
from purser.cost.usage import Quantity
from purser.model import Ref, Resource, dig, number

ASSUMED_ROOT_GB = 8.0
ASSUMED_ROOT_TYPE = "gp2"
ROOT_DEVICE_NAMES = frozenset({"/dev/xvda", "/dev/sda1"})
DETAILED_MONITORING_METRICS = 7  # CloudWatch pricing's EC2 detailed-monitoring example
UNLIMITED_BY_DEFAULT = frozenset({"t3", "t3a", "t4g"})
BURSTABLE = UNLIMITED_BY_DEFAULT | {"t2"}
OPERATING_SYSTEMS = {"linux": "Linux", "windows": "Windows"}
MAX_VOLUMES = 64  # more block devices than any instance type attaches


@dataclass(frozen=True)
class Volume:
    device: str  # device name, or "root"
    volume_type: str | None = None
    size_gb: float | None = None
    iops: float | None = None
    throughput: float | None = None
    note: str = ""  # what was assumed, shown in the line's name
    assumed: bool = False  # its size is an assumption, not the configuration's
    left_to_ami: bool = False  # a root block written without a size: the AMI's

    def over(self, base: Volume) -> Volume:
        """This volume's settings, with `base`'s where this one leaves them unset."""
        return Volume(self.device, self.volume_type or base.volume_type,
                      _first(self.size_gb, base.size_gb), _first(self.iops, base.iops),
                      _first(self.throughput, base.throughput))


@dataclass(frozen=True)
class LaunchSpec:
    instance_type: str | None = None
    tenancy: str | None = None  # default, dedicated or host
    host_id: Any = None  # the dedicated host it runs on, which bills its hours
    ebs_optimized: bool | None = None
    monitoring: bool | None = None
    cpu_credits: str | None = None  # standard or unlimited
    root: Volume | None = None
    volumes: dict[str, Volume] = field(default_factory=dict)
    assume_root: bool = True  # an instance's or configuration's unset root: the AMI's
    operating_system: str | None = None  # what the resource says (a node group's AMI type)

    def over(self, base: LaunchSpec) -> LaunchSpec:
        """This spec's settings, with `base`'s (a launch template's) where these are unset."""
        root = self.root.over(base.root) if self.root and base.root else self.root or base.root
        volumes = dict(base.volumes)
        for device, volume in self.volumes.items():
            volumes[device] = volume.over(volumes[device]) if device in volumes else volume
        return LaunchSpec(
            self.instance_type or base.instance_type, self.tenancy or base.tenancy,
            _first(self.host_id, base.host_id), _first(self.ebs_optimized, base.ebs_optimized),
            _first(self.monitoring, base.monitoring), self.cpu_credits or base.cpu_credits,
            root, volumes, self.assume_root, self.operating_system or base.operating_system)


def _first(value: Any, fallback: Any) -> Any:
    return fallback if value is None else value


# -- reading a spec ----------------------------------------------------------------------

def launch_spec(index: ResourceIndex, resource: Resource) -> LaunchSpec:
    """What `resource` (an instance, launch template or launch configuration) launches."""
    kind = resource.kind
    if kind == "aws.ec2.launch_template":
        return _template_spec(resource)
    if kind == "aws.ec2.launch_configuration":
        return _configuration_spec(resource)
    spec = LaunchSpec(
        instance_type=_text(resource.get("instance_type")),
        tenancy=_word(resource.get("tenancy")),
        host_id=resource.get("host_id") or None,
        ebs_optimized=_flag(resource.get("ebs_optimized")),
        monitoring=_flag(resource.get("monitoring")),
        cpu_credits=_word(resource.get("credit_specification.cpu_credits")),
        **_disks(resource))
    template = launch_template(index, resource.get("launch_template"))
    return spec.over(_template_spec(template)) if template is not None else spec


def _template_spec(template: Resource) -> LaunchSpec:
    return LaunchSpec(
        instance_type=_text(template.get("instance_type")),
        tenancy=_word(template.get("placement.tenancy")),
        host_id=template.get("placement.host_id") or None,
        ebs_optimized=_flag(template.get("ebs_optimized")),
        monitoring=_flag(template.get("monitoring.enabled")),
        cpu_credits=_word(template.get("credit_specification.cpu_credits")),
        **_disks(template), assume_root=False)


def _configuration_spec(configuration: Resource) -> LaunchSpec:
    monitoring = _flag(configuration.get("enable_monitoring"))
    return LaunchSpec(
        instance_type=_text(configuration.get("instance_type")),
        tenancy=_word(configuration.get("placement_tenancy")),
        ebs_optimized=_flag(configuration.get("ebs_optimized")),
        monitoring=True if monitoring is None else monitoring,  # AWS's default: enabled
        **_disks(configuration))


def _disks(resource: Resource) -> dict[str, Any]:
    """The root volume (Terraform's `root_block_device`, else a mapping of a root device
    name) and the other volumes, as LaunchSpec fields."""
    volumes = _volumes(resource)
    block = resource.get("root_block_device")
    if isinstance(block, list):
        block = block[0] if block else None
    root = _volume("root", block) if isinstance(block, dict) else None
    if root is not None and root.size_gb is None and not _size_unknown(resource):
        root = replace(root, size_gb=None, left_to_ami=True)  # the block leaves the size
    if root is None:
        mapped = next((volumes.pop(d) for d in list(volumes) if d in ROOT_DEVICE_NAMES), None)
        root = replace(mapped, device="root") if mapped else None
    return {"root": root, "volumes": volumes}


def _size_unknown(resource: Resource) -> bool:
    """Something in the root block could not be evaluated (its size, perhaps)."""
    return resource.is_unknown("root_block_device")


def _volumes(resource: Resource) -> dict[str, Volume]:
    """`ebs_block_device` blocks and `block_device_mappings` (with their `ebs` settings), by
    device name; a mapping without EBS settings (an instance store) costs nothing here."""
    found: dict[str, Volume] = {}
    for block in _dicts(resource.get("ebs_block_device")):
        device = str(block.get("device_name") or f"ebs_block_device[{len(found)}]")
        found[device] = _volume(device, block)
    for mapping in _dicts(resource.get("block_device_mappings")):
        ebs = dig(mapping, "ebs")
        ebs = ebs[0] if isinstance(ebs, list) and ebs else ebs
        if isinstance(ebs, dict):
            device = str(mapping.get("device_name") or f"block_device_mappings[{len(found)}]")
            found[device] = _volume(device, ebs)
    return dict(list(found.items())[:MAX_VOLUMES])


def _volume(device: str, block: dict[str, Any]) -> Volume:
    return Volume(device, _word(block.get("volume_type")), _positive(block.get("volume_size")),
                  _positive(block.get("iops")), _positive(block.get("throughput")))


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value.strip()[:64] if isinstance(value, str) and value.strip() else None


def _word(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text else None


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _positive(value: Any) -> float | None:
    parsed = number(value)
    return parsed if parsed is not None and 0 <= parsed <= 1e6 else None


def launch_template(index: ResourceIndex, value: Any) -> Resource | None:
    """The launch template a `launch_template` block (`id` or `name`) or a mixed
    instances policy's specification names, when it is in the repository."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, dict):
        return None
    for key in ("id", "name", "launch_template_id", "launch_template_name"):
        found = resolve(index, value.get(key), kinds.types("aws.ec2.launch_template"))
        if found is not None:
            return found
    return None


def resolve(index: ResourceIndex, value: Any, types: Iterable[str]) -> Resource | None:
    """The resource a reference or a name points at. A reference into a counted resource's
    splat (`aws_launch_configuration.lc.*.id[count.index]`) points at its indexed instance."""
    if isinstance(value, Ref) and value.address.endswith("[*]"):
        position = value.attribute.rsplit(".", 1)[-1]
        if position.isdigit():
            return index.get(f"{value.address[:-3]}[{position}]")
        return None
    found = index.referenced(value)
    if found is not None or not isinstance(value, str):
        return found
    for type_ in types:
        found = index.find(type_, "name", value)
        if found is not None:
            return found
    return None


# -- pricing a spec ----------------------------------------------------------------------

def bill_instances(ctx: PricingContext, spec: LaunchSpec, instances: Quantity,
                   hours: Quantity | None = None, *, spot: bool = False) -> None:
    """The lines of `instances` instances of `spec`, each running `hours` a month (730).
    Spot instances have no fixed price: their hours show the on-demand price, unknown."""
    hours = hours or Quantity(HOURS_PER_MONTH, FIXED)
    instance_type = spec.instance_type
    if instance_type is None:
        raise Unpriceable("instance type not known statically")
    running = product(instances, hours)
    family = instance_type.split(".", 1)[0].lower()
    if spec.host_id is not None or spec.tenancy == "host":
        if resolve(ctx.index, spec.host_id, kinds.types("aws.ec2.host")) is None:
            raise Unpriceable("runs on a dedicated host that is not in this repository "
                              "(the host bills its hours)")
    else:
        _bill_hours(ctx, spec, instance_type, instances, None if spot else running,
                    spot=spot)
        if spec.ebs_optimized:
            optimized = regional_prices(ctx, "ec2", meter="ebs_optimized",
                                        instance_type=instance_type)
            if optimized is not None:  # current types include it at no charge
                ctx.add("EBS-optimized usage", optimized, running)
    if spec.monitoring:
        metrics = product(instances, hours, Quantity(
            DETAILED_MONITORING_METRICS / HOURS_PER_MONTH, FIXED))
        ctx.add(f"EC2 detailed monitoring ({DETAILED_MONITORING_METRICS} metrics per instance)",
                ctx.prices("cloudwatch", meter="custom_metrics"), metrics)
    if family in BURSTABLE and _credit_mode(spec, family) == "unlimited":
        credits = product(ctx.used("monthly_cpu_credit_hrs"), ctx.used("vcpu_count"),
                          instances)
        add_where_priced(ctx, "CPU credits (unlimited mode)", "ec2", credits,
                         meter="cpu_credits", family=family,
                         os=operating_system(ctx, spec.operating_system))
    _bill_volumes(ctx, spec, instances)


def _bill_hours(ctx: PricingContext, spec: LaunchSpec, instance_type: str,
                instances: Quantity, running: Quantity | None, *, spot: bool) -> None:
    os = operating_system(ctx, spec.operating_system)
    attributes = {"meter": "instance", "instance_type": instance_type, "os": os}
    if spec.tenancy == "dedicated":
        attributes["tenancy"] = "dedicated"
    label = instance_type if instances.value == 1 else f"{instances.value:g} × {instance_type}"
    tenancy = ", dedicated" if spec.tenancy == "dedicated" else ""
    if spot:
        ctx.add(f"Instance usage ({OPERATING_SYSTEMS[os]}, Spot, {label}; spot price varies, "
                "on-demand shown)", _on_demand(ctx, attributes, instance_type, spec), None)
        return
    terms = reservation(ctx, offering_class=True)
    why = None
    if terms is not None:
        why = bill_reservation(ctx, f"Instance usage ({OPERATING_SYSTEMS[os]}{tenancy}, "
                               f"{label})", "ec2", attributes, terms, instances.value)
        if why is None:
            return
    ctx.add(f"Instance usage ({OPERATING_SYSTEMS[os]}, on-demand{tenancy}, {label}"
            f"{on_demand_note(why)})",
            _on_demand(ctx, attributes, instance_type, spec), running)


def _on_demand(ctx: PricingContext, attributes: dict[str, str], instance_type: str,
               spec: LaunchSpec) -> list[Price]:
    tiers = regional_prices(ctx, "ec2", **attributes)
    if tiers is None:
        described = f"{instance_type} ({OPERATING_SYSTEMS[attributes['os']]}"
        described += ", dedicated)" if spec.tenancy == "dedicated" else ")"
        raise Unpriceable(f"no on-demand price for instance type {described} in {ctx.region}")
    return tiers


def operating_system(ctx: PricingContext, default: str | None = None) -> str:
    """Usage `operating_system`, else what the resource says, else Linux."""
    os = (ctx.text("operating_system") or default or "linux").lower()
    if os not in OPERATING_SYSTEMS:
        raise Unpriceable(f"no price model for operating system {os[:40]!r}")
    return os


def _credit_mode(spec: LaunchSpec, family: str) -> str:
    if spec.cpu_credits in ("standard", "unlimited"):
        return spec.cpu_credits
    return "unlimited" if family in UNLIMITED_BY_DEFAULT else "standard"


def _bill_volumes(ctx: PricingContext, spec: LaunchSpec, instances: Quantity) -> None:
    count = instances.value
    each = "" if count == 1 else f" × {count:g}"
    root = spec.root
    if spec.assume_root and (root is None or root.left_to_ami):
        volume_type = (root.volume_type if root else None) or ASSUMED_ROOT_TYPE
        root = replace(root or Volume("root"), volume_type=volume_type,
                       size_gb=ASSUMED_ROOT_GB, assumed=True,
                       note=f"the AMI's, assumed {ASSUMED_ROOT_GB:g} GB {volume_type}")
    if root is None:
        ctx.add("Root volume (the AMI's; not in the launch template)",
                ebs_prices(ctx, "storage", ASSUMED_ROOT_TYPE), None)
    else:
        note = f" ({root.note}{each})" if root.note else each
        _bill_volume(ctx, root, instances, f"Root volume{note}")
    for volume in spec.volumes.values():
        _bill_volume(ctx, volume, instances, f"Volume {volume.device[:40]}{each}")


def _bill_volume(ctx: PricingContext, volume: Volume, instances: Quantity, label: str) -> None:
    volume_type = volume.volume_type or ASSUMED_ROOT_TYPE  # EC2's block device default
    origin = DEFAULT if volume.assumed else FIXED
    size = None if volume.size_gb is None else Quantity(volume.size_gb, origin)
    shown = "unknown size" if volume.size_gb is None else f"{volume.size_gb:g} GB"
    bill_volume(ctx, volume_type, size, component=f"{label}: storage ({volume_type}, {shown})",
                iops=volume.iops, throughput=volume.throughput, copies=instances)


# -- aws_instance and dedicated hosts ----------------------------------------------------

@prices(*kinds.types("aws.ec2.instance"))
def ec2_instance(ctx: PricingContext) -> None:
    """One instance (usage `monthly_hrs`, else all month); see the module's note."""
    spec = launch_spec(ctx.index, ctx.resource)
    bill_instances(ctx, spec, Quantity(1, FIXED), ctx.used("monthly_hrs"))


@prices(*kinds.types("aws.ec2.host"))
def ec2_host(ctx: PricingContext) -> None:
    """A dedicated host all month at its family's host price, or reserved (reservation.py);
    the instances it runs add nothing."""
    family = _text(ctx.resource.get("instance_family"))
    instance_type = _text(ctx.resource.get("instance_type"))
    family = (family or (instance_type or "").split(".", 1)[0]).lower()
    if not family:
        raise Unpriceable("host instance family not known statically")
    terms = reservation(ctx)
    why = None
    if terms is not None:
        why = bill_reservation(ctx, f"Dedicated host ({family})", "ec2",
                               {"meter": "host", "family": family}, terms)
        if why is None:
            return
    tiers = regional_prices(ctx, "ec2", meter="host", family=family)
    if tiers is None:
        raise Unpriceable(f"no on-demand dedicated host price for {family} in {ctx.region}"
                          + (f" ({why})" if why else ""))
    ctx.fixed(f"Dedicated host (on-demand, {family}{on_demand_note(why)})",
              tiers, HOURS_PER_MONTH)
