#!/usr/bin/env python3
"""Extracts, from the vendors' own OpenAPI documents, the request and response schemas of the operations
Switchboard calls, with every $ref resolved, into src/test/resources/openapi/<vendor>.json. The tests check
the vendor fakes' answers and Switchboard's requests against them (VendorDocumentsTest).

Run from the repository root, with the documents beside it as in the workspace:
    python3 scripts/extract-openapi-schemas.py ../shared/reference/openapi
"""
import json
import os
import sys

import yaml

OPERATIONS = {
    "asana": ("asana-openapi.yaml", ["GET /projects", "GET /tasks", "POST /tasks"]),
    "confluence": ("confluence-v2.json", ["GET /spaces", "GET /pages", "POST /pages"]),
    "dropboxsign": ("dropboxsign-openapi.yaml", ["GET /signature_request/list", "POST /signature_request/send"]),
    "xero": ("xero-accounting.yaml", ["GET /Invoices", "PUT /Contacts"]),
    "zohocrm": ("zoho-crm-record.json", ["GET /crm/v8/{module_api_name}", "POST /crm/v8/{module_api_name}"]),
    "mailchimp": ("mailchimp-members.yml", ["POST /lists/{list_id}/members"]),
}
DROP = {"example", "examples", "xml", "discriminator", "externalDocs", "deprecated", "readOnly", "writeOnly"}


def load(path):
    with open(path) as f:
        return yaml.safe_load(f) if path.endswith((".yaml", ".yml")) else json.load(f)


def resolve(doc, node, depth=0, seen=()):
    """Inlines $refs (a cycle or more than 14 levels becomes {}), turns OpenAPI 3.0 nullable into a type list."""
    if isinstance(node, list):
        return [resolve(doc, n, depth, seen) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in seen or depth > 14 or not ref.startswith("#/"):
            return {}
        target = doc
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return resolve(doc, target, depth + 1, seen + (ref,))
    out = {}
    for key, value in node.items():
        if key in DROP or key.startswith("x-"):
            continue
        if key in ("properties", "patternProperties", "definitions"):
            out[key] = {k: resolve(doc, v, depth + 1, seen) for k, v in value.items()}
        else:
            out[key] = resolve(doc, value, depth + 1, seen)
    if out.pop("nullable", False) and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if out.get("type") == "file":
        out.pop("type")
    return out


def json_schema_of(content):
    if not content:
        return None
    for media in ("application/json", "application/problem+json"):
        if media in content:
            return content[media].get("schema")
    return None


def extract(doc, key):
    method, path = key.split(" ", 1)
    operation = doc["paths"][path][method.lower()]
    request = None
    if "requestBody" in operation:
        body = operation["requestBody"]
        if "$ref" in body:
            body = resolve(doc, body)
        request = json_schema_of(body.get("content"))
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "body":
            request = parameter["schema"]
    responses = {}
    for status, response in operation.get("responses", {}).items():
        if "$ref" in response:
            response = resolve(doc, response)
        schema = json_schema_of(response.get("content")) if "content" in response else response.get("schema")
        if schema is not None:
            responses[str(status)] = resolve(doc, schema)
    return {"request": resolve(doc, request) if request else None, "responses": responses}


def main(directory):
    out_dir = os.path.join("src", "test", "resources", "openapi")
    os.makedirs(out_dir, exist_ok=True)
    for vendor, (file, keys) in OPERATIONS.items():
        doc = load(os.path.join(directory, file))
        result = {"source": file, "operations": {key: extract(doc, key) for key in keys}}
        with open(os.path.join(out_dir, vendor + ".json"), "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
        print(vendor, {k: sorted(v["responses"]) for k, v in result["operations"].items()})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/openapi")
