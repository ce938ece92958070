"""Reading the API's OpenAPI 3.0 schema in tests: fetch it, and check a body against it."""

import copy

import jsonschema
from django.urls import reverse

OPENAPI_JSON = "application/vnd.oai.openapi+json"


def fetch_schema(client) -> dict:
    response = client.get(reverse("api:schema"), headers={"accept": OPENAPI_JSON})
    assert response.status_code == 200, response.content
    return response.json()


def to_json_schema(node, *, strict=True):
    """OpenAPI 3.0 schema objects as JSON Schema: ``nullable`` spelled out, and (``strict``)
    no property beyond the documented ones."""
    if isinstance(node, list):
        return [to_json_schema(item, strict=strict) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: to_json_schema(value, strict=strict) for key, value in node.items()}
    if strict and node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def response_validator(schema: dict, path: str, status: str, method="get"):
    """A validator for the JSON body ``path`` documents for ``status``."""
    operation = schema["paths"][path][method]
    body_schema = operation["responses"][status]["content"]["application/json"]["schema"]
    root = {
        **to_json_schema(copy.deepcopy(body_schema)),
        "components": to_json_schema(copy.deepcopy(schema["components"])),
    }
    return jsonschema.Draft202012Validator(root)


def assert_matches(schema, path, status, body):
    validator = response_validator(schema, path, status)
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []
