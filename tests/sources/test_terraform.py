"""Terraform configurations → Resources: variables, locals, expansion, modules, errors."""

import json
from pathlib import Path

import pytest

from purser.config import Config
from purser.model import Ref, Resource
from purser.sources import LoadContext, Loaded, RepoFile
from purser.sources.terraform import TerraformFormat

from .tree import write

FIXTURES = Path(__file__).parent / "fixtures" / "terraform"


def load(root: Path, variables: dict[str, str] | None = None) -> Loaded:
    reader = TerraformFormat()
    files = [RepoFile(p, p.relative_to(root).as_posix(), p.read_bytes())
             for p in sorted(root.rglob("*")) if p.is_file()]
    context = LoadContext(root=root, config=Config(), variables=variables or {})
    return reader.load([f for f in files if reader.claims(f)], context)




def resources(root: Path, variables: dict[str, str] | None = None) -> dict[str, Resource]:
    loaded = load(root, variables)
    assert loaded.errors == []
    return {r.address: r for r in loaded.resources}


def one(tmp_path: Path, text: str, variables: dict[str, str] | None = None) -> Resource:
    found = resources(write(tmp_path, {"main.tf": text}), variables)
    assert len(found) == 1, list(found)
    return next(iter(found.values()))


# Variables -------------------------------------------------------------------------------

VARIABLES = {
    "variables.tf": """
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
""",
    "main.tf": """
resource "aws_sqs_queue" "q" {
  name = join(",", [var.a, var.b, var.c, var.d, var.e])
}
""",
    "terraform.tfvars": 'b = "tfvars"\nc = "tfvars"\nd = "tfvars"\ne = "tfvars"\n',
    "a.auto.tfvars": 'c = "auto-a"\nd = "auto-a"\ne = "auto-a"\n',
    "b.auto.tfvars": 'd = "auto-b"\ne = "auto-b"\n',
    "prod.tfvars": 'a = "never loaded: not terraform.tfvars nor *.auto.tfvars"\n',
}


def test_variables_precedence_is_default_tfvars_auto_tfvars_in_order_then_cli(tmp_path: Path):
    queue = resources(write(tmp_path, VARIABLES), {"e": "cli"})["aws_sqs_queue.q"]
    assert queue.attrs["name"] == "default,tfvars,auto-a,auto-b,cli"


def test_cli_variables_are_converted_to_the_declared_type(tmp_path: Path):
    fn = one(tmp_path, """
variable "memory" { type = number }
variable "enabled" { type = bool }
variable "subnets" { type = list(string) }
variable "labels" { type = map(string) }
variable "name" { type = string }
resource "aws_lambda_function" "f" {
  memory_size = var.memory + 1
  publish     = !var.enabled
  subnet_ids  = var.subnets
  tags        = var.labels
  description = var.name
}
""", {"memory": "128", "enabled": "true", "subnets": '["a", "b"]',
      "labels": '{ team = "x" }', "name": "[not a list]"})
    assert fn.attrs["memory_size"] == 129
    assert fn.attrs["publish"] is False
    assert fn.attrs["subnet_ids"] == ["a", "b"]
    assert fn.tags == {"team": "x"}
    assert fn.attrs["description"] == "[not a list]"


def test_a_variable_without_value_is_unknown_and_left_out(tmp_path: Path):
    fn = one(tmp_path, """
variable "role" {}
resource "aws_lambda_function" "f" {
  role    = var.role
  runtime = "python3.12"
}
""")
    assert "role" not in fn.attrs
    assert fn.unknown == ["role"]
    assert fn.is_unknown("role") and not fn.missing("role")


def test_object_variables_get_optional_defaults(tmp_path: Path):
    fn = one(tmp_path, """
variable "settings" {
  type = object({ memory = optional(number, 256), timeout = optional(number) })
  default = {}
}
resource "aws_lambda_function" "f" {
  memory_size = var.settings.memory
  timeout     = var.settings.timeout
}
""")
    assert fn.attrs["memory_size"] == 256
    assert fn.attrs["timeout"] is None


# Locals and expressions -------------------------------------------------------------------

def test_locals_are_evaluated_in_dependency_order_across_files(tmp_path: Path):
    write(tmp_path, {
        "a.tf": 'locals {\n  name = "${local.prefix}-${local.env}"\n}\n'
                'resource "aws_s3_bucket" "b" {\n  bucket = local.name\n}\n',
        "b.tf": 'locals {\n  prefix = upper(local.env)\n  env = var.env\n}\n'
                'variable "env" { default = "dev" }\n'})
    assert resources(tmp_path)["aws_s3_bucket.b"].attrs["bucket"] == "DEV-dev"


def test_a_cycle_between_locals_is_unknown_not_a_crash(tmp_path: Path):
    bucket = one(tmp_path, """
locals {
  a = local.b
  b = local.a
}
resource "aws_s3_bucket" "b" {
  bucket = local.a
}
""")
    assert bucket.unknown == ["bucket"]


def test_interpolation_heredoc_escapes_and_directives(tmp_path: Path):
    fn = one(tmp_path, r'''
locals {
  env = "prod"
}
resource "aws_lambda_function" "f" {
  function_name = "fn-${local.env}-${1 + 2}"
  description   = "say \"hi\"\n$${literal} %%{literal}"
  handler       = <<-EOT
    first ${local.env}
      indented
    EOT
  runtime       = "%{ if local.env == "prod" }a%{ else }b%{ endif }"
  role          = "${aws_iam_role.r.arn}"
  layers        = ["${aws_lambda_layer_version.l.arn}:1"]
}
''')
    assert fn.attrs["function_name"] == "fn-prod-3"
    assert fn.attrs["description"] == 'say "hi"\n${literal} %{literal}'
    assert fn.attrs["handler"] == "first prod\n  indented\n"
    assert "runtime" in fn.unknown
    assert fn.attrs["role"] == Ref(address="aws_iam_role.r", attribute="arn")
    assert fn.attrs["layers"] == ["${aws_lambda_layer_version.l.arn}:1"]


def test_operators_conditionals_for_expressions_and_splat(tmp_path: Path):
    item = one(tmp_path, """
locals {
  users = [{ name = "ann", admin = true }, { name = "bob", admin = false }]
  sizes = { small = 1, large = 8 }
}
resource "null_resource" "x" {
  triggers = {
    admins   = join(",", [for u in local.users : u.name if u.admin])
    names    = join(",", local.users[*].name)
    doubled  = jsonencode({ for k, v in local.sizes : upper(k) => v * 2 })
    grouped  = jsonencode({ for u in local.users : u.admin ? "admin" : "user" => u.name... })
    arith    = 7 % 4 + 10 / 4 - -1
    compare  = 3 >= 2 && !(1 == 2) || false
    chosen   = length(local.users) > 1 ? "many" : "one"
    indexed  = local.users[1]["name"]
    legacy   = local.users.0.name
  }
}
""")
    triggers = item.attrs["triggers"]
    assert triggers["admins"] == "ann"
    assert triggers["names"] == "ann,bob"
    assert triggers["doubled"] == '{"LARGE":16,"SMALL":2}'
    assert triggers["grouped"] == '{"admin":["ann"],"user":["bob"]}'
    assert triggers["arith"] == 6.5
    assert triggers["compare"] is True
    assert triggers["chosen"] == "many"
    assert triggers["indexed"] == "bob"
    assert triggers["legacy"] == "ann"


def test_unknown_parts_of_a_map_are_listed_by_path_and_the_rest_kept(tmp_path: Path):
    fn = one(tmp_path, """
resource "aws_lambda_function" "f" {
  environment {
    variables = {
      STAGE = "prod"
      TOKEN = data.aws_ssm_parameter.token.value
      WHEN  = timestamp()
    }
  }
  tags = { team = "a", owner = var.missing }
}
""")
    # a data source read stays a reference to the data source; timestamp() is unknown
    assert fn.get("environment.variables") == {
        "STAGE": "prod", "TOKEN": Ref(address="data.aws_ssm_parameter.token", attribute="value")}
    assert sorted(fn.unknown) == ["environment.variables.WHEN", "tags.owner"]
    assert fn.is_unknown("environment.variables.WHEN")
    assert fn.tags == {"team": "a"}


# References --------------------------------------------------------------------------------

def test_references_become_refs_and_depends_on(tmp_path: Path):
    found = resources(write(tmp_path, {"main.tf": """
locals {
  role_arn = aws_iam_role.lambda.arn
}
resource "aws_iam_role" "lambda" {
  name = "r"
}
resource "aws_lambda_function" "a" {
  role       = local.role_arn
  kms_key_arn = aws_kms_key.k.arn
  depends_on = [aws_cloudwatch_log_group.a, module.net]
}
resource "aws_lambda_function" "b" {
  role = local.role_arn
  environment {
    variables = { QUEUE = "${aws_sqs_queue.q.url}/x" }
  }
  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}
"""}))
    a, b = found["aws_lambda_function.a"], found["aws_lambda_function.b"]
    assert a.attrs["role"] == Ref(address="aws_iam_role.lambda", attribute="arn")
    assert a.depends_on == ["aws_cloudwatch_log_group.a", "aws_iam_role.lambda",
                            "aws_kms_key.k", "module.net"]
    assert "depends_on" not in a.attrs
    assert b.depends_on == ["aws_iam_role.lambda", "aws_sqs_queue.q", "aws_subnet.private"]
    assert b.get("environment.variables.QUEUE") == "${aws_sqs_queue.q.url}/x"
    assert b.get("vpc_config.subnet_ids") == Ref(address="aws_subnet.private[*]",
                                                 attribute="id")


# count, for_each, dynamic -------------------------------------------------------------------

def test_count_and_for_each_expand_into_addressed_instances(tmp_path: Path):
    found = resources(write(tmp_path, {"main.tf": """
variable "functions" {
  default = { api = 512, worker = 1024 }
}
resource "aws_subnet" "private" {
  count      = 2
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
resource "aws_lambda_function" "fn" {
  for_each      = var.functions
  function_name = "fn-${each.key}"
  memory_size   = each.value
  subnet_ids    = [aws_subnet.private[0].id]
}
resource "aws_sqs_queue" "q" {
  for_each = toset(["b", "a"])
  name     = each.value
}
resource "aws_sns_topic" "none" {
  count = 0
}
"""}))
    assert found["aws_subnet.private[0]"].attrs["cidr_block"] == "10.0.0.0/24"
    assert found["aws_subnet.private[1]"].attrs["cidr_block"] == "10.0.1.0/24"
    api = found['aws_lambda_function.fn["api"]']
    assert api.attrs["function_name"] == "fn-api" and api.attrs["memory_size"] == 512
    assert api.attrs["subnet_ids"] == [Ref(address="aws_subnet.private[0]", attribute="id")]
    assert api.name == "fn" and api.type == "aws_lambda_function"
    assert found['aws_lambda_function.fn["worker"]'].attrs["memory_size"] == 1024
    assert found['aws_sqs_queue.q["a"]'].attrs["name"] == "a"
    assert not any(address.startswith("aws_sns_topic") for address in found)


def test_unknown_count_yields_one_unindexed_resource_marked_unknown(tmp_path: Path):
    found = resources(write(tmp_path, {"main.tf": """
resource "aws_instance" "web" {
  count         = var.instances
  instance_type = "t3.micro"
  tags          = { Name = "web-${count.index}" }
}
resource "aws_sqs_queue" "q" {
  for_each = data.aws_ssm_parameter.names.value
  name     = each.key
}
"""}))
    web = found["aws_instance.web"]
    assert web.attrs["instance_type"] == "t3.micro"
    assert set(web.unknown) == {"count", "tags.Name"}
    assert found["aws_sqs_queue.q"].unknown == ["for_each", "name"]


def test_dynamic_blocks_expand_with_and_without_iterator(tmp_path: Path):
    group = one(tmp_path, """
locals {
  ports = [443, 80]
  rules = { office = "203.0.113.0/24", vpn = "198.51.100.0/24" }
}
resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = local.ports
    content {
      from_port = ingress.value
      to_port   = ingress.value
      position  = ingress.key
    }
  }
  dynamic "egress" {
    for_each = local.rules
    iterator = rule
    content {
      description = rule.key
      cidr_blocks = [rule.value]
    }
  }
  dynamic "unknowable" {
    for_each = var.nothing
    content {
      x = 1
    }
  }
}
""")
    assert group.attrs["ingress"] == [{"from_port": 443, "to_port": 443, "position": 0},
                                      {"from_port": 80, "to_port": 80, "position": 1}]
    assert group.attrs["egress"] == [
        {"description": "office", "cidr_blocks": ["203.0.113.0/24"]},
        {"description": "vpn", "cidr_blocks": ["198.51.100.0/24"]}]
    assert group.unknown == ["unknowable"]


def test_nested_blocks_are_lists_of_dicts_and_meta_blocks_are_dropped(tmp_path: Path):
    fn = one(tmp_path, """
resource "aws_lambda_function" "f" {
  environment {
    variables = { A = "1" }
  }
  lifecycle {
    prevent_destroy = true
  }
}
""")
    assert fn.attrs == {"environment": [{"variables": {"A": "1"}}]}
    assert fn.get("environment.variables.A") == "1"
    assert fn.source.line == 2 and fn.source.end_line == 9


# Providers, tags, regions -------------------------------------------------------------------

def test_default_tags_merge_under_resource_tags_and_provider_region_applies(tmp_path: Path):
    found = resources(write(tmp_path, {"main.tf": """
provider "aws" {
  region = "eu-central-1"
  default_tags {
    tags = { team = "platform", env = "prod" }
  }
}
provider "aws" {
  alias  = "us"
  region = "us-west-2"
}
resource "aws_s3_bucket" "b" {
  tags = { team = "payments", size = 3 }
}
resource "aws_s3_bucket" "us" {
  provider = aws.us
}
resource "google_storage_bucket" "g" {
  name = "g"
}
"""}))
    bucket = found["aws_s3_bucket.b"]
    assert bucket.tags == {"team": "payments", "env": "prod", "size": "3"}
    assert bucket.attrs["tags"] == {"team": "payments", "size": 3}
    assert bucket.region == "eu-central-1" and bucket.provider == "aws"
    assert found["aws_s3_bucket.us"].region == "us-west-2"
    google = found["google_storage_bucket.g"]
    assert google.provider == "gcp" and google.region == Config().defaults.region
    assert google.format == "terraform"


# Modules ----------------------------------------------------------------------------------

def test_local_modules_are_followed_with_inputs_outputs_and_prefixed_addresses():
    found = resources(FIXTURES / "modules_repo")
    assert sorted(found) == [
        "aws_security_group.app",
        "aws_sns_topic.alerts",
        "module.net.aws_vpc.main",
        "module.net.module.flow.aws_flow_log.this",
        'module.queue["orders"].aws_sqs_queue.this',
        'module.queue["refunds"].aws_sqs_queue.this',
    ]
    app = found["aws_security_group.app"]
    assert app.attrs["name"] == "shop-net-app"
    assert app.attrs["vpc_id"] == Ref(address="module.net.aws_vpc.main", attribute="id")
    assert app.depends_on == ["module.net.aws_vpc.main"]
    vpc = found["module.net.aws_vpc.main"]
    assert vpc.attrs["cidr_block"] == "10.0.0.0/16"
    assert vpc.source.file == "modules/net/main.tf"
    assert vpc.region == "eu-west-1"
    assert vpc.tags == {"managed-by": "purser", "team": "platform", "Name": "shop"}
    flow = found["module.net.module.flow.aws_flow_log.this"]
    assert flow.attrs["vpc_id"] == Ref(address="module.net.aws_vpc.main", attribute="id")
    assert found['module.queue["refunds"].aws_sqs_queue.this'].attrs["name"] == "refunds-queue"


def test_outputs_of_a_remote_module_are_unknown():
    alerts = resources(FIXTURES / "modules_repo")["aws_sns_topic.alerts"]
    assert alerts.unknown == ["tags.remote"]


def test_every_uncalled_directory_is_its_own_root_module_qualifying_its_addresses(
        tmp_path: Path):
    write(tmp_path, {
        "prod/main.tf": 'module "app" {\n  source = "../modules/app"\n  env = "prod"\n}\n',
        "dev/main.tf": 'module "app" {\n  source = "../modules/app"\n  env = "dev"\n}\n',
        "modules/app/main.tf": 'variable "env" {}\n'
                               'resource "aws_sqs_queue" "q" {\n  name = "q-${var.env}"\n}\n'})
    loaded = load(tmp_path)
    names = sorted(r.attrs["name"] for r in loaded.resources)
    assert names == ["q-dev", "q-prod"]
    assert sorted(r.address for r in loaded.resources) == [
        "dev//module.app.aws_sqs_queue.q", "prod//module.app.aws_sqs_queue.q"]


def test_a_module_counted_by_count_prefixes_its_index(tmp_path: Path):
    found = resources(write(tmp_path, {
        "main.tf": 'module "worker" {\n  source = "./worker"\n  count = 2\n'
                   '  name = "w${count.index}"\n}\n'
                   'resource "aws_sns_topic" "t" {\n  name = module.worker[1].queue_name\n}\n',
        "worker/main.tf": 'variable "name" {}\nresource "aws_sqs_queue" "q" {\n'
                          '  name = var.name\n}\noutput "queue_name" {\n  value = var.name\n}\n'}))
    assert found["module.worker[0].aws_sqs_queue.q"].attrs["name"] == "w0"
    assert found["module.worker[1].aws_sqs_queue.q"].attrs["name"] == "w1"
    assert found["aws_sns_topic.t"].attrs["name"] == "w1"


# Errors -----------------------------------------------------------------------------------

def test_a_malformed_file_is_one_error_with_its_line_and_siblings_still_load():
    loaded = load(FIXTURES / "malformed")
    assert [(e.file, e.line) for e in loaded.errors] == [("broken.tf", 10)]
    assert loaded.errors[0].message.startswith("invalid HCL")
    assert [r.address for r in loaded.resources] == ["aws_sqs_queue.jobs"]


@pytest.mark.parametrize("text", [
    'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n',
    'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n',
    'locals {\n  a = [1, 2\n}\n',
])
def test_syntax_errors_never_raise(tmp_path: Path, text: str):
    loaded = load(write(tmp_path, {"main.tf": text}))
    assert len(loaded.errors) == 1 and loaded.errors[0].file == "main.tf"
    assert loaded.errors[0].line >= 1


def test_a_bad_function_call_makes_the_value_unknown(tmp_path: Path):
    fn = one(tmp_path, """
resource "aws_lambda_function" "f" {
  memory_size = max("a", 1)
  handler     = element([], 0)
  runtime     = no_such_function(1)
  timeout     = 10
}
""")
    assert fn.attrs == {"timeout": 10}
    assert sorted(fn.unknown) == ["handler", "memory_size", "runtime"]


# Data sources -----------------------------------------------------------------------------

def test_iam_policy_documents_render_to_json_and_other_data_sources_are_not_resources(
        tmp_path: Path):
    found = resources(write(tmp_path, {"main.tf": """
data "aws_iam_policy_document" "read" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}
data "aws_caller_identity" "me" {}
resource "aws_s3_bucket_policy" "p" {
  bucket = "b"
  policy = data.aws_iam_policy_document.read.json
  owner  = data.aws_caller_identity.me.account_id
}
"""}))
    assert list(found) == ["aws_s3_bucket_policy.p"]
    policy = found["aws_s3_bucket_policy.p"]
    assert json.loads(policy.attrs["policy"]) == {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "${aws_s3_bucket.b.arn}/*",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}
    assert policy.depends_on == ["aws_s3_bucket.b"]
    assert policy.attrs["owner"] == Ref(address="data.aws_caller_identity.me",
                                        attribute="account_id")


def test_counted_and_for_each_policy_documents_render_per_instance(tmp_path: Path):
    found = resources(write(tmp_path, {"main.tf": """
variable "on" { default = true }
data "aws_iam_policy_document" "counted" {
  count = var.on ? 1 : 0
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:us-east-1:123456789012:q${count.index}"]
  }
}
data "aws_iam_policy_document" "keyed" {
  for_each = toset(["a"])
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${each.key}/*"]
  }
}
resource "aws_iam_policy" "counted" {
  policy = data.aws_iam_policy_document.counted[0].json
}
resource "aws_iam_policy" "keyed" {
  policy = data.aws_iam_policy_document.keyed["a"].json
}
"""}))
    counted = json.loads(found["aws_iam_policy.counted"].attrs["policy"])
    assert counted["Statement"][0]["Resource"] == "arn:aws:sqs:us-east-1:123456789012:q0"
    keyed = json.loads(found["aws_iam_policy.keyed"].attrs["policy"])
    assert keyed["Statement"][0]["Resource"] == "arn:aws:s3:::a/*"


def test_policy_document_with_unknown_count_stays_a_reference(tmp_path: Path):
    policy = one(tmp_path, """
data "aws_iam_policy_document" "d" {
  count = length(aws_subnet.s)
  statement {
    actions = ["s3:GetObject"]
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.d[0].json
}
""")
    assert policy.attrs["policy"] == Ref(address="data.aws_iam_policy_document.d[0]",
                                         attribute="json")


def test_principals_blocks_of_one_type_merge_their_identifiers(tmp_path: Path):
    role = one(tmp_path, """
variable "extra" {
  default = [{ type = "Service", identifiers = ["ecs.amazonaws.com"] },
             { type = "AWS", identifiers = ["arn:aws:iam::123456789012:root"] }]
}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    dynamic "principals" {
      for_each = var.extra
      content {
        type        = principals.value.type
        identifiers = principals.value.identifiers
      }
    }
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
""")
    statement = json.loads(role.attrs["assume_role_policy"])["Statement"][0]
    assert statement["Principal"] == {
        "Service": ["lambda.amazonaws.com", "ecs.amazonaws.com"],
        "AWS": "arn:aws:iam::123456789012:root"}


def test_a_reference_passed_to_a_string_variable_stays_a_reference(tmp_path: Path):
    found = resources(write(tmp_path, {
        "main.tf": """
resource "aws_sqs_queue" "dlq" {
  name = "dlq"
}
module "fn" {
  source = "./fn"
  dlq    = aws_sqs_queue.dlq.arn
}
""",
        "fn/main.tf": """
variable "dlq" {
  type = string
}
resource "aws_lambda_function" "f" {
  dead_letter_config {
    target_arn = var.dlq
  }
}
"""}))
    function = found["module.fn.aws_lambda_function.f"]
    assert function.get("dead_letter_config.target_arn") == Ref(address="aws_sqs_queue.dlq",
                                                                attribute="arn")


def test_terraform_module_downloads_are_not_root_modules(tmp_path: Path):
    write(tmp_path, {
        "main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n',
        ".terraform/modules/vpc/main.tf": 'resource "aws_vpc" "v" {\n  cidr_block = "x"\n}\n'})
    assert list(resources(tmp_path)) == ["aws_sqs_queue.q"]


def test_a_module_with_unknown_count_still_yields_its_resources(tmp_path: Path):
    found = resources(write(tmp_path, {
        "main.tf": 'module "m" {\n  source = "./m"\n  count = var.n\n  name = "x"\n}\n',
        "m/main.tf": 'variable "name" {}\nresource "aws_sqs_queue" "q" {\n  name = var.name\n}\n'}))
    assert found["module.m.aws_sqs_queue.q"].attrs["name"] == "x"


def test_absurdly_deep_nesting_is_an_error_not_a_crash(tmp_path: Path):
    depth = 5000
    loaded = load(write(tmp_path, {"main.tf": "locals {\n  a = " + "[" * depth + "]" * depth
                                   + "\n}\n"}))
    assert len(loaded.errors) == 1 and loaded.errors[0].file == "main.tf"
