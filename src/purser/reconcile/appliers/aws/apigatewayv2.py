"""API Gateway v2 APIs (HTTP or WebSocket): name, protocol (a change replaces),
description and tags.

API Gateway is not listed by the tagging API in every region (nor by moto), so `discover`
pages through the account's APIs, each of which carries its tags. API names are not
unique: `find` prefers the API whose address tag is this resource's. Its routes,
integrations and stages are owned through it (`apigatewayv2_parts`).
"""

from __future__ import annotations

from typing import Any

from purser.reconcile.appliers import Desired, Live
from purser.reconcile.appliers.aws.client import is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, handlers
from purser.reconcile.appliers.aws.tags import stale_keys, user_tags, wanted_tags
from purser.reconcile.ownership import ADDRESS_TAG, APP_TAG, address_tag


def upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def all_apis(client: Any) -> list[dict[str, Any]]:
    """Every API of the account and region, each with its tags."""
    apis: list[dict[str, Any]] = []
    token = ""
    while True:
        page = client.get_apis(**({"NextToken": token} if token else {}))
        apis.extend(page.get("Items", []))
        token = page.get("NextToken", "")
        if not token:
            return apis


def owned_apis(client: Any, application: str) -> list[dict[str, Any]]:
    """The APIs whose ownership tags name `application` (and with them their children)."""
    return [api for api in all_apis(client) if api.get("Tags", {}).get(APP_TAG) == application]


@handlers.register("aws.apigatewayv2.api")
class Api(Handler):
    kind = "aws.apigatewayv2.api"
    delete_rank = 40
    name_field = "name"
    name_limit = 128
    fields = {"name": str, "protocol_type": upper, "description": str}
    replace_on = frozenset({"protocol_type"})
    tagging_type = None

    @property
    def apigatewayv2(self) -> Any:
        return self.aws.client("apigatewayv2")

    def _apis(self) -> list[dict[str, Any]]:
        return all_apis(self.apigatewayv2)

    def discover(self) -> list[str]:
        return [api["ApiId"] for api in owned_apis(self.apigatewayv2, self.application)]

    def read(self, handle: str, address: str) -> Live | None:
        try:
            api = self.apigatewayv2.get_api(ApiId=handle)
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        return self._live(api, address)

    def find(self, name: str, address: str) -> Live | None:
        named = [api for api in self._apis() if api["Name"] == name]
        mine = [api for api in named
                if api.get("Tags", {}).get(ADDRESS_TAG) == address_tag(address)]
        return self._live((mine or named)[0], address) if named else None

    def _live(self, api: dict[str, Any], address: str) -> Live:
        tags = dict(api.get("Tags", {}))
        fields: dict[str, Any] = {"protocol_type": api["ProtocolType"], "tags": user_tags(tags)}
        if api.get("Description"):
            fields["description"] = api["Description"]
        api_id, region = api["ApiId"], self.aws.region
        return Live(address=address, kind=self.kind, name=api["Name"], fields=fields,
                    handle=api_id, tags=tags, outputs={
                        "id": api_id, "ref": api_id, "name": api["Name"],
                        "arn": f"arn:aws:apigateway:{region}::/apis/{api_id}",
                        "api_endpoint": api.get("ApiEndpoint", "")})

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        fields = desired.fields
        options = {"Description": fields["description"]} if "description" in fields else {}
        api_id = with_retries(lambda: self.apigatewayv2.create_api(
            Name=desired.name, ProtocolType=fields.get("protocol_type", "HTTP"),
            Tags=wanted_tags(fields, tags), **options)["ApiId"],
            what=f"creating API {desired.name}")
        return self.written(self.read(api_id, desired.address), api_id)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        api_id = live.handle
        if "description" in changed:
            with_retries(lambda: self.apigatewayv2.update_api(
                ApiId=api_id, Description=desired.fields["description"]),
                what=f"updating API {live.name}")
        if "tags" in changed:
            arn = live.outputs["arn"]
            wanted = wanted_tags(desired.fields, tags)
            stale = stale_keys(live.tags, wanted)
            if stale:
                with_retries(lambda: self.apigatewayv2.untag_resource(ResourceArn=arn,
                                                                      TagKeys=stale),
                             what=f"untagging API {live.name}")
            with_retries(lambda: self.apigatewayv2.tag_resource(ResourceArn=arn, Tags=wanted),
                         what=f"tagging API {live.name}")
        return self.written(self.read(api_id, live.address), api_id)

    def delete(self, live: Live) -> None:
        with_retries(lambda: self.apigatewayv2.delete_api(ApiId=live.handle),
                     what=f"deleting API {live.name}")

