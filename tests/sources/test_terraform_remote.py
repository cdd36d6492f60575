"""Remote Terraform modules: read from the copies `terraform init` made, else listed as not
evaluated (never a silent zero)."""

import json
from pathlib import Path

from purser.config import Config
from purser.sources import Loaded, load_repository

from .tree import write

CALL = ('module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n'
        '  name    = "shop"\n}\n'
        'resource "aws_flow_log" "vpc" {\n  vpc_id = module.vpc.vpc_id\n}\n')
VPC = ('variable "name" {}\n'
       'resource "aws_vpc" "this" {\n  tags = { Name = var.name }\n}\n'
       'module "subnets" {\n  source = "./modules/subnets"\n  vpc_id = aws_vpc.this.id\n}\n'
       'module "endpoints" {\n  source = "terraform-aws-modules/vpc/aws//modules/endpoints"\n'
       '}\n'
       'output "vpc_id" {\n  value = aws_vpc.this.id\n}\n')
SUBNETS = 'variable "vpc_id" {}\nresource "aws_subnet" "a" {\n  vpc_id = var.vpc_id\n}\n'
ENDPOINTS = 'resource "aws_vpc_endpoint" "s3" {\n  service_name = "s3"\n}\n'




def manifest(*entries: tuple[str, str]) -> str:
    modules = [{"Key": "", "Source": "", "Dir": "."}] + [
        {"Key": key, "Source": "registry.terraform.io/terraform-aws-modules/vpc/aws",
         "Version": "5.0.0", "Dir": folder} for key, folder in entries]
    return json.dumps({"Modules": modules}, indent=2)


def initialised(root: Path) -> Path:
    return write(root, {
        "infra/main.tf": CALL,
        "infra/.terraform/modules/modules.json": manifest(
            ("vpc", ".terraform/modules/vpc"),
            ("vpc.subnets", ".terraform/modules/vpc/modules/subnets"),
            ("vpc.endpoints", ".terraform/modules/vpc.endpoints/modules/endpoints")),
        "infra/.terraform/modules/vpc/main.tf": VPC,
        "infra/.terraform/modules/vpc/modules/subnets/main.tf": SUBNETS,
        "infra/.terraform/modules/vpc.endpoints/modules/endpoints/main.tf": ENDPOINTS})


def load(root: Path) -> Loaded:
    return load_repository(root, Config())


def test_initialised_remote_modules_are_evaluated_from_their_copies(tmp_path: Path):
    loaded = load(initialised(tmp_path))
    assert (loaded.errors, loaded.notices) == ([], [])
    found = {r.address: r for r in loaded.resources}
    assert sorted(found) == [
        "aws_flow_log.vpc", "module.vpc.aws_vpc.this",
        "module.vpc.module.endpoints.aws_vpc_endpoint.s3",
        "module.vpc.module.subnets.aws_subnet.a"]
    vpc = found["module.vpc.aws_vpc.this"]
    assert vpc.attrs["tags"] == {"Name": "shop"}
    assert vpc.source.file == "infra/.terraform/modules/vpc/main.tf"
    assert vpc.caller == "module.vpc"
    assert found["aws_flow_log.vpc"].depends_on == ["module.vpc.aws_vpc.this"]


def test_remote_modules_without_terraform_init_are_listed_as_not_evaluated(tmp_path: Path):
    loaded = load(write(tmp_path, {"infra/main.tf": CALL}))
    assert loaded.errors == []
    assert [r.address for r in loaded.resources] == ["aws_flow_log.vpc"]
    assert loaded.notices == [
        "infra/main.tf:1: not evaluated: module source 'terraform-aws-modules/vpc/aws' "
        "(module.vpc): a remote module: run `terraform init` to read it"]


def test_a_call_added_after_terraform_init_is_listed_too(tmp_path: Path):
    root = initialised(tmp_path)
    (root / "infra/cache.tf").write_text(
        'module "cache" {\n  source = "terraform-aws-modules/elasticache/aws"\n}\n')
    loaded = load(root)
    assert len(loaded.resources) == 4
    assert loaded.notices == [
        "infra/cache.tf:1: not evaluated: module source "
        "'terraform-aws-modules/elasticache/aws' (module.cache): not in "
        ".terraform/modules/modules.json: run `terraform init` again to read it"]


def test_a_module_folder_outside_the_repository_is_an_error_of_the_manifest(tmp_path: Path):
    root = write(tmp_path / "repo", {
        "infra/main.tf": CALL,
        "infra/.terraform/modules/modules.json": manifest(("vpc", "../../../outside"))})
    write(tmp_path, {"outside/main.tf": VPC})
    loaded = load(root)
    assert [(e.file, e.message) for e in loaded.errors] == [(
        "infra/.terraform/modules/modules.json",
        "module 'vpc': folder '../../../outside' is outside the repository; not read")]
    assert [r.address for r in loaded.resources] == ["aws_flow_log.vpc"]
    assert len(loaded.notices) == 1


def test_a_module_copy_linking_out_of_the_repository_is_refused(tmp_path: Path):
    outside = write(tmp_path / "outside", {"main.tf": VPC})
    root = write(tmp_path / "repo", {
        "infra/main.tf": CALL,
        "infra/.terraform/modules/modules.json": manifest(("vpc", ".terraform/modules/vpc"))})
    (root / "infra/.terraform/modules/vpc").symlink_to(outside)
    loaded = load(root)
    assert [e.file for e in loaded.errors] == ["infra/.terraform/modules/vpc"]
    assert [r.address for r in loaded.resources] == ["aws_flow_log.vpc"]


def test_a_malformed_manifest_is_an_error_with_its_line(tmp_path: Path):
    loaded = load(write(tmp_path, {"infra/main.tf": CALL,
                                   "infra/.terraform/modules/modules.json": '{\n  "Modules": [\n'}))
    assert [(e.file, e.line > 0) for e in loaded.errors] == [
        ("infra/.terraform/modules/modules.json", True)]
    assert [r.address for r in loaded.resources] == ["aws_flow_log.vpc"]


def test_remote_modules_calling_each_other_are_still_a_reported_cycle(tmp_path: Path):
    loaded = load(write(tmp_path, {
        "infra/main.tf": CALL,
        "infra/.terraform/modules/modules.json": manifest(
            ("vpc", ".terraform/modules/vpc"), ("vpc.endpoints", ".terraform/modules/vpc")),
        "infra/.terraform/modules/vpc/main.tf": VPC}))
    assert any("module cycle" in e.message for e in loaded.errors)
