"""Static site: a private S3 bucket served only through CloudFront (origin access control,
HTTPS only); the bucket policy admits CloudFront for this one distribution."""

from __future__ import annotations

from typing import ClassVar

from purser.generate.blueprints import blueprint, storage
from purser.generate.design import Context, Design
from purser.generate.hcl import Block, Expr, Template, ref

DEFAULT_VIEWS = 100_000
DEFAULT_SITE_GB = 1.0
ZONE = "us"
AVERAGE_RESPONSE_KB = 100  # one static object (HTML, CSS, an image) served from the edge


@blueprint
class StaticSite:
    pattern: ClassVar[str] = "static-site"
    components: ClassVar[frozenset[str]] = frozenset({"s3", "cloudfront"})
    summary: ClassVar[str] = "private S3 bucket behind CloudFront (HTTPS, origin access control)"

    def design(self, ctx: Context) -> Design:
        design = Design()
        views = ctx.spec.traffic.monthly_requests or DEFAULT_VIEWS
        site_gb = ctx.spec.traffic.storage_gb or DEFAULT_SITE_GB
        cloudfront = {"Sid": "CloudFrontReads", "Effect": "Allow",
                      "Principal": {"Service": "cloudfront.amazonaws.com"},
                      "Action": "s3:GetObject",
                      "Resource": Template((Expr("aws_s3_bucket.site.arn"), "/*")),
                      "Condition": {"StringEquals": {
                          "AWS:SourceArn": ref("aws_cloudfront_distribution.site.arn")}}}
        # CloudFront caches: assume one origin fetch in ten views.
        storage.private_bucket(design, ctx, "site", standard_gb=site_gb, puts=1000,
                               gets=views // 10, expire_days=3650, policy=[cloudfront])
        design.add(Block("resource", ("aws_cloudfront_origin_access_control", "site"), [
            ("name", ctx.name("site")), ("origin_access_control_origin_type", "s3"),
            ("signing_behavior", "always"), ("signing_protocol", "sigv4")]))
        price_class = "PriceClass_100" if ctx.spec.cost_optimized else "PriceClass_All"
        design.add(Block("resource", ("aws_cloudfront_distribution", "site"), [
            ("enabled", True), ("default_root_object", "index.html"),
            ("price_class", price_class), ("http_version", "http2and3"),
            Block("origin", (), [
                ("origin_id", "site"),
                ("domain_name", ref("aws_s3_bucket.site.bucket_regional_domain_name")),
                ("origin_access_control_id", ref("aws_cloudfront_origin_access_control.site.id"))]),
            Block("default_cache_behavior", (), [
                ("target_origin_id", "site"), ("viewer_protocol_policy", "redirect-to-https"),
                ("allowed_methods", ["GET", "HEAD"]), ("cached_methods", ["GET", "HEAD"]),
                ("compress", True),
                ("cache_policy_id", "658327ea-f89d-4fab-a63d-7e88639e58f6")]),
            Block("restrictions", (), [Block("geo_restriction", (), [
                ("restriction_type", "none")])]),
            Block("viewer_certificate", (), [("cloudfront_default_certificate", True),
                                             ("minimum_protocol_version", "TLSv1.2_2021")]),
            ("tags", ctx.tags())]))
        # Infracost's usage keys by edge location group: the intent's traffic is counted
        # in the first group (US, Mexico, Canada), which every price class serves.
        design.usage["aws_cloudfront_distribution.site"] = {
            "monthly_https_requests": {ZONE: views}, "monthly_http_requests": {ZONE: 0},
            "monthly_data_transfer_to_origin_gb": {ZONE: 0},
            "monthly_invalidation_requests": 0}
        _egress(design, ctx)
        design.outputs.append(Block("output", ("site_domain",), [
            ("description", "The site's CloudFront domain."),
            ("value", ref("aws_cloudfront_distribution.site.domain_name"))]))
        design.decide(f"CloudFront {price_class}",
                      "cost-optimized: edge locations in North America and Europe only"
                      if ctx.spec.cost_optimized else "every edge location (the default)")
        design.decide("the bucket stays private; only this distribution reads it",
                      "origin access control signs CloudFront's requests; a public bucket "
                      "would not pass the gate")
        return design


def _egress(design: Design, ctx: Context) -> None:
    """The intent's data transfer out goes in the distribution's usage; none said, an
    average response size times the requests, and the decision says it was assumed."""
    egress = ctx.spec.traffic.egress_gb
    origin = "from the intent"
    if egress is None:
        views = design.usage["aws_cloudfront_distribution.site"]["monthly_https_requests"][ZONE]
        egress = round(views * AVERAGE_RESPONSE_KB / 1024 / 1024, 3)
        origin = f"{AVERAGE_RESPONSE_KB} KB per request assumed (the intent gives no egress)"
    design.usage["aws_cloudfront_distribution.site"]["monthly_data_transfer_to_internet_gb"] = {
        ZONE: egress}
    design.decide(f"{egress:,.1f} GB a month of CloudFront data transfer out",
                  f"{origin}, priced with the distribution at the US, Mexico and Canada rate",
                  "assumed" if origin != "from the intent" else "blueprint")
