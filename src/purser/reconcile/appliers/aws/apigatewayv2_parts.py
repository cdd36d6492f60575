"""API Gateway v2 routes, integrations and stages: an API's children, owned through it.

They carry no ownership tags (routes and integrations take no tags; a stage's tags are
not applied either, so all three are treated alike), so `discover` lists the children of
the APIs tagged with this application, and each is known by an identity made of its API
and its own key, the same text `identity` makes from a resolved declaration:

- route: `route <api id> <route key>`
- stage: `stage <api id> <stage name>`
- integration: `integration <api id> <type> <uri>`. An integration has no key of its own,
  so two of one API with the same type and URI are one to purser. The method is left out:
  API Gateway fills in POST when a declaration gives none.

Changing a key (route key, stage name, integration type or URI) is therefore a new child
and the old one's delete (prune) or orphan, not an update. `find` never finds one: a child
with the same key inside an owned API is the one `discover` already matched, and an
unowned API's children are never looked at.
"""

from __future__ import annotations

from typing import Any, ClassVar

from purser.model import Resource
from purser.reconcile.appliers import ApplyError, Desired, Live
from purser.reconcile.appliers.aws.apigatewayv2 import owned_apis, upper
from purser.reconcile.appliers.aws.client import is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, boolean, handlers, integer, same
from purser.reconcile.ownership import APP_TAG

Path = tuple[str, ...]


class ApiChild(Handler):
    """What routes, integrations and stages share: listed through the owned APIs, read,
    written and deleted by id inside their API. `keys` maps each managed field to where
    the API spells it (`("AccessLogSettings", "Format")` for a nested setting)."""

    collection: ClassVar[str]  # "routes": the handle is `<api id>/routes/<child id>`
    id_key: ClassVar[str]  # the child's id in API Gateway's answers: "RouteId"
    keys: ClassVar[dict[str, Path]]
    taggable = False
    tagging_type = None
    replace_on = frozenset({"api_id"})

    @property
    def apigatewayv2(self) -> Any:
        return self.aws.client("apigatewayv2")

    # ---------------------------------------------------------------- what it is known by
    def key(self, api_id: str, name: str, fields: dict[str, Any]) -> str:
        """The identity, from the API id, the physical name and the (resolved) fields."""
        raise NotImplementedError

    def identity(self, desired: Desired) -> str:
        api_id = desired.fields.get("api_id")
        if not isinstance(api_id, str):  # its API is still to be created: nothing to match
            return ""
        return self.key(api_id, desired.name, desired.fields)

    # ---------------------------------------------------------------- calls per kind
    def list_children(self, api_id: str) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get_child(self, api_id: str, child_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def create_child(self, api_id: str, name: str, params: dict[str, Any]) -> str:
        """Create the child; its id."""
        raise NotImplementedError

    def update_child(self, api_id: str, child_id: str, params: dict[str, Any]) -> None:
        raise NotImplementedError

    def delete_child(self, api_id: str, child_id: str) -> None:
        raise NotImplementedError

    def outputs(self, api: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def name_of(self, child: dict[str, Any]) -> str:
        return ""

    # ---------------------------------------------------------------- live
    def discover(self) -> list[str]:
        return [self._handle(api["ApiId"], child[self.id_key])
                for api in owned_apis(self.apigatewayv2, self.application)
                for child in self.list_children(api["ApiId"])]

    def read(self, handle: str, address: str) -> Live | None:
        api_id, child_id = _ids(handle)
        try:
            api = self.apigatewayv2.get_api(ApiId=api_id)
            child = self.get_child(api_id, child_id)
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        fields = {"api_id": api_id, **_fields(child, self.keys)}
        name = self.name_of(child)
        application = api.get("Tags", {}).get(APP_TAG)
        return Live(address=address, kind=self.kind, name=name, fields=fields, handle=handle,
                    tags={APP_TAG: application} if application else {},
                    outputs={"api_id": api_id, **self.outputs(api, child)},
                    identity=self.key(api_id, name, fields))

    def find(self, name: str, address: str) -> Live | None:
        return None

    # ---------------------------------------------------------------- writes
    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        api_id = desired.fields["api_id"]
        params = _params(desired.fields, set(desired.fields), self.keys)
        child_id = with_retries(lambda: self.create_child(api_id, desired.name, params),
                                what=f"creating {self._noun(desired.name)} of API {api_id}")
        handle = self._handle(api_id, child_id)
        return self.written(self.read(handle, desired.address), handle)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        api_id, child_id = _ids(live.handle)
        params = _params(desired.fields, _with_siblings(changed, self.keys), self.keys)
        if params:
            with_retries(lambda: self.update_child(api_id, child_id, params),
                         what=f"updating {self._noun(live.name)} of API {api_id}")
        return self.written(self.read(live.handle, live.address), live.handle)

    def delete(self, live: Live) -> None:
        """Gone already is done: deleting the API (pruned beside it) deletes its children."""
        api_id, child_id = _ids(live.handle)
        try:
            with_retries(lambda: self.delete_child(api_id, child_id),
                         what=f"deleting {self._noun(live.name)} of API {api_id}")
        except ApplyError as error:
            if error.__cause__ is None or not is_not_found(error.__cause__):
                raise

    # ---------------------------------------------------------------- plumbing
    def _handle(self, api_id: str, child_id: str) -> str:
        return f"{api_id}/{self.collection}/{child_id}"

    def _noun(self, name: str) -> str:
        return f"{self.collection[:-1]} {name}".strip()


    def _paged(self, call: Any, api_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        token = ""
        while True:
            page = call(ApiId=api_id, **({"NextToken": token} if token else {}))
            items.extend(page.get("Items", []))
            token = page.get("NextToken", "")
            if not token:
                return items


@handlers.register("aws.apigatewayv2.route")
class Route(ApiChild):
    """A route: its key is its name (a new key is a new route), its target an integration."""

    kind = "aws.apigatewayv2.route"
    delete_rank = 10
    name_field = "route_key"
    name_limit = 256
    collection, id_key = "routes", "RouteId"
    keys = {"target": ("Target",), "authorization_type": ("AuthorizationType",),
            "authorizer_id": ("AuthorizerId",), "authorization_scopes": ("AuthorizationScopes",),
            "api_key_required": ("ApiKeyRequired",), "operation_name": ("OperationName",)}
    fields = {"api_id": str, "route_key": str, "target": str, "authorization_type": upper,
              "authorizer_id": str, "authorization_scopes": same, "api_key_required": boolean,
              "operation_name": str}
    required = {"api_id": "a route belongs to an API", "route_key": "a route needs its key"}

    def key(self, api_id: str, name: str, fields: dict[str, Any]) -> str:
        return f"route {api_id} {name}"

    def name_of(self, child: dict[str, Any]) -> str:
        return str(child["RouteKey"])

    def list_children(self, api_id: str) -> list[dict[str, Any]]:
        return self._paged(self.apigatewayv2.get_routes, api_id)

    def get_child(self, api_id: str, child_id: str) -> dict[str, Any]:
        return dict(self.apigatewayv2.get_route(ApiId=api_id, RouteId=child_id))

    def create_child(self, api_id: str, name: str, params: dict[str, Any]) -> str:
        return str(self.apigatewayv2.create_route(ApiId=api_id, RouteKey=name,
                                                  **params)["RouteId"])

    def update_child(self, api_id: str, child_id: str, params: dict[str, Any]) -> None:
        self.apigatewayv2.update_route(ApiId=api_id, RouteId=child_id, **params)

    def delete_child(self, api_id: str, child_id: str) -> None:
        self.apigatewayv2.delete_route(ApiId=api_id, RouteId=child_id)

    def outputs(self, api: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
        return {"id": child["RouteId"], "ref": child["RouteId"], "route_key": child["RouteKey"]}


@handlers.register("aws.apigatewayv2.integration")
class Integration(ApiChild):
    """An integration: no name of its own (`Desired.name` is ""), known by type and URI;
    its `id` is what a route's target (`integrations/<id>`) refers to."""

    kind = "aws.apigatewayv2.integration"
    delete_rank = 20
    name_field = ""
    collection, id_key = "integrations", "IntegrationId"
    keys = {"integration_type": ("IntegrationType",), "integration_uri": ("IntegrationUri",),
            "integration_method": ("IntegrationMethod",),
            "integration_subtype": ("IntegrationSubtype",),
            "payload_format_version": ("PayloadFormatVersion",),
            "timeout_milliseconds": ("TimeoutInMillis",), "description": ("Description",),
            "connection_type": ("ConnectionType",), "connection_id": ("ConnectionId",),
            "credentials_arn": ("CredentialsArn",)}
    fields = {"api_id": str, "integration_type": upper, "integration_uri": str,
              "integration_method": upper, "integration_subtype": str,
              "payload_format_version": str, "timeout_milliseconds": integer,
              "description": str, "connection_type": upper, "connection_id": str,
              "credentials_arn": str}
    replace_on = frozenset({"api_id", "integration_type"})
    required = {"api_id": "an integration belongs to an API",
                "integration_type": "an integration needs its type"}

    def desired(self, resource: Resource) -> Desired:
        found = super().desired(resource)
        return Desired(found.address, found.kind, "", found.fields, found.depends_on)

    def key(self, api_id: str, name: str, fields: dict[str, Any]) -> str:
        return (f"integration {api_id} {fields.get('integration_type', '')} "
                f"{fields.get('integration_uri', '')}").strip()

    def list_children(self, api_id: str) -> list[dict[str, Any]]:
        return self._paged(self.apigatewayv2.get_integrations, api_id)

    def get_child(self, api_id: str, child_id: str) -> dict[str, Any]:
        return dict(self.apigatewayv2.get_integration(ApiId=api_id, IntegrationId=child_id))

    def create_child(self, api_id: str, name: str, params: dict[str, Any]) -> str:
        return str(self.apigatewayv2.create_integration(ApiId=api_id,
                                                        **params)["IntegrationId"])

    def update_child(self, api_id: str, child_id: str, params: dict[str, Any]) -> None:
        self.apigatewayv2.update_integration(ApiId=api_id, IntegrationId=child_id, **params)

    def delete_child(self, api_id: str, child_id: str) -> None:
        self.apigatewayv2.delete_integration(ApiId=api_id, IntegrationId=child_id)

    def outputs(self, api: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
        selection = child.get("IntegrationResponseSelectionExpression") or ""
        return {"id": child["IntegrationId"], "ref": child["IntegrationId"],
                "integration_response_selection_expression": selection}


@handlers.register("aws.apigatewayv2.stage")
class Stage(ApiChild):
    """A stage: its name is its key (a new name is a new stage). Its handle ends in the
    name, the id API Gateway addresses a stage by."""

    kind = "aws.apigatewayv2.stage"
    delete_rank = 10
    name_field = "name"
    name_limit = 128
    collection, id_key = "stages", "StageName"
    keys = {"auto_deploy": ("AutoDeploy",), "description": ("Description",),
            "stage_variables": ("StageVariables",),
            "access_log_settings.destination_arn": ("AccessLogSettings", "DestinationArn"),
            "access_log_settings.format": ("AccessLogSettings", "Format"),
            "default_route_settings.detailed_metrics_enabled":
                ("DefaultRouteSettings", "DetailedMetricsEnabled"),
            "default_route_settings.throttling_burst_limit":
                ("DefaultRouteSettings", "ThrottlingBurstLimit"),
            "default_route_settings.throttling_rate_limit":
                ("DefaultRouteSettings", "ThrottlingRateLimit")}
    fields = {"api_id": str, "name": str, "auto_deploy": boolean, "description": str,
              "stage_variables": same, "access_log_settings.destination_arn": str,
              "access_log_settings.format": str,
              "default_route_settings.detailed_metrics_enabled": boolean,
              "default_route_settings.throttling_burst_limit": integer,
              "default_route_settings.throttling_rate_limit": same}
    required = {"api_id": "a stage belongs to an API", "name": "a stage needs its name"}

    def key(self, api_id: str, name: str, fields: dict[str, Any]) -> str:
        return f"stage {api_id} {name}"

    def name_of(self, child: dict[str, Any]) -> str:
        return str(child["StageName"])

    def list_children(self, api_id: str) -> list[dict[str, Any]]:
        return self._paged(self.apigatewayv2.get_stages, api_id)

    def get_child(self, api_id: str, child_id: str) -> dict[str, Any]:
        return dict(self.apigatewayv2.get_stage(ApiId=api_id, StageName=child_id))

    def create_child(self, api_id: str, name: str, params: dict[str, Any]) -> str:
        self.apigatewayv2.create_stage(ApiId=api_id, StageName=name, **params)
        return name

    def update_child(self, api_id: str, child_id: str, params: dict[str, Any]) -> None:
        self.apigatewayv2.update_stage(ApiId=api_id, StageName=child_id, **params)

    def delete_child(self, api_id: str, child_id: str) -> None:
        self.apigatewayv2.delete_stage(ApiId=api_id, StageName=child_id)

    def outputs(self, api: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
        name, api_id = child["StageName"], api["ApiId"]
        path = "" if name == "$default" else name  # the default stage is served at the root
        return {"id": name, "ref": name, "name": name,
                "arn": f"arn:aws:apigateway:{self.aws.region}::/apis/{api_id}/stages/{name}",
                "invoke_url": f"{api.get('ApiEndpoint', '')}/{path}"}


def _fields(child: dict[str, Any], keys: dict[str, Path]) -> dict[str, Any]:
    """The managed fields the API reports, by their canonical names."""
    found: dict[str, Any] = {}
    for name, path in keys.items():
        value: Any = child
        for step in path:
            value = value.get(step) if isinstance(value, dict) else None
        if value is not None:
            found[name] = value
    return found


def _params(fields: dict[str, Any], names: set[str], keys: dict[str, Path]) -> dict[str, Any]:
    """The API's parameters for the fields in `names` (nested settings built up whole)."""
    params: dict[str, Any] = {}
    for name in sorted(names & fields.keys() & keys.keys()):
        *outer, last = keys[name]
        target = params
        for step in outer:
            target = target.setdefault(step, {})
        target[last] = fields[name]
    return params


def _with_siblings(changed: set[str], keys: dict[str, Path]) -> set[str]:
    """`changed` and the fields nested beside one of them: a nested setting (a stage's
    access log settings) is written whole, so an unchanged sibling is not dropped."""
    heads = {keys[name][0] for name in changed if name in keys and len(keys[name]) > 1}
    return changed | {name for name, path in keys.items() if path[0] in heads}


def _ids(handle: str) -> tuple[str, str]:
    """`<api id>/<collection>/<child id>` → (api id, child id)."""
    api_id, _, child_id = handle.split("/", 2)
    return api_id, child_id
