"""Fails when openapi/openapi.json breaks a client of the last released
document (openapi/released/v1.json), unless the major version changed.

Breaking: a removed path or operation; a removed response field or schema;
a removed enum value; a request field, parameter or body that became
required; a newly required request property. Additions are fine.

    python tests/contract/breaking_changes.py [current] [released]
    python tests/contract/breaking_changes.py --self-test
"""

import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def major(doc):
    return str(doc.get("info", {}).get("version", "0")).split(".")[0]


def resolve(doc, schema):
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 20:
        schema = doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
        seen += 1
    return schema or {}


def enum_values(schema):
    values = set(schema.get("enum", []))
    for key in ("oneOf", "anyOf"):
        for option in schema.get(key, []):
            values |= set(option.get("enum", []))
    return values


def compare_schema(old_doc, new_doc, old, new, where, problems, request):
    old, new = resolve(old_doc, old), resolve(new_doc, new)
    removed = enum_values(old) - enum_values(new)
    if enum_values(old) and enum_values(new) and removed:
        problems.append(f"{where}: enum values removed: {sorted(removed)}")
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    if request:
        newly_required = set(new.get("required", [])) - set(old.get("required", []))
        if newly_required:
            problems.append(f"{where}: newly required: {sorted(newly_required)}")
    else:
        for name in old_props:
            if name not in new_props:
                problems.append(f"{where}: field removed: {name}")
    for name, schema in old_props.items():
        if name in new_props:
            compare_schema(old_doc, new_doc, schema, new_props[name], f"{where}.{name}", problems, request)
    if "items" in old and "items" in new:
        compare_schema(old_doc, new_doc, old["items"], new["items"], f"{where}[]", problems, request)


def breaking_changes(released, current):
    problems = []
    for path, operations in released.get("paths", {}).items():
        if path not in current.get("paths", {}):
            problems.append(f"path removed: {path}")
            continue
        for method, old_op in operations.items():
            if method not in METHODS:
                continue
            new_op = current["paths"][path].get(method)
            if new_op is None:
                problems.append(f"operation removed: {method.upper()} {path}")
                continue
            where = f"{method.upper()} {path}"
            old_params = {(p["name"], p["in"]): p for p in old_op.get("parameters", [])}
            for param in new_op.get("parameters", []):
                key = (param["name"], param["in"])
                if param.get("required") and not old_params.get(key, {}).get("required"):
                    problems.append(f"{where}: parameter newly required: {param['name']}")
                if key in old_params:
                    compare_schema(released, current, old_params[key].get("schema", {}), param.get("schema", {}),
                                   f"{where} parameter {param['name']}", problems, request=False)
            old_body, new_body = old_op.get("requestBody"), new_op.get("requestBody")
            if new_body and new_body.get("required") and not (old_body or {}).get("required"):
                problems.append(f"{where}: request body newly required")
            if old_body and new_body:
                for media, content in old_body.get("content", {}).items():
                    if media in new_body.get("content", {}):
                        compare_schema(released, current, content.get("schema", {}),
                                       new_body["content"][media].get("schema", {}), f"{where} body", problems, request=True)
            for status, response in old_op.get("responses", {}).items():
                new_response = new_op.get("responses", {}).get(status)
                if new_response is None:
                    continue  # fewer documented errors is not a break for clients
                for media, content in response.get("content", {}).items():
                    new_content = new_response.get("content", {}).get(media)
                    if new_content is None:
                        problems.append(f"{where} {status}: media type removed: {media}")
                        continue
                    compare_schema(released, current, content.get("schema", {}), new_content.get("schema", {}),
                                   f"{where} {status}", problems, request=False)
    return problems


def self_test():
    base = {
        "info": {"version": "1.0.0"},
        "paths": {"/u": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}}],
                                  "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/U"}}}}}},
                          "post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["a"],
                                                                                                 "properties": {"a": {}, "b": {}}}}}},
                                   "responses": {}}}},
        "components": {"schemas": {"U": {"type": "object", "properties": {"id": {}, "name": {}}}}},
    }
    same = json.loads(json.dumps(base))
    assert breaking_changes(base, same) == [], "no change is not a break"
    added = json.loads(json.dumps(base))
    added["components"]["schemas"]["U"]["properties"]["email"] = {}
    added["paths"]["/v"] = {"get": {"responses": {}}}
    assert breaking_changes(base, added) == [], "additions are not breaks"
    removed = json.loads(json.dumps(base))
    del removed["components"]["schemas"]["U"]["properties"]["name"]
    assert breaking_changes(base, removed) == ["GET /u 200: field removed: name"], breaking_changes(base, removed)
    enum = json.loads(json.dumps(base))
    enum["paths"]["/u"]["get"]["parameters"][0]["schema"]["enum"] = ["a"]
    assert breaking_changes(base, enum) == ["GET /u parameter q: enum values removed: ['b']"]
    required = json.loads(json.dumps(base))
    required["paths"]["/u"]["post"]["requestBody"]["content"]["application/json"]["schema"]["required"] = ["a", "b"]
    assert breaking_changes(base, required) == ["POST /u body: newly required: ['b']"]
    gone = json.loads(json.dumps(base))
    del gone["paths"]["/u"]["post"]
    assert breaking_changes(base, gone) == ["operation removed: POST /u"]
    print("self-test: 6 passed, 0 failed")


def main():
    if "--self-test" in sys.argv:
        self_test()
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    current_path = args[0] if args else os.path.join(ROOT, "openapi", "openapi.json")
    released_path = args[1] if len(args) > 1 else os.path.join(ROOT, "openapi", "released", "v1.json")
    current, released = (json.load(open(p)) for p in (current_path, released_path))
    if major(current) != major(released):
        print(f"major version {major(released)} → {major(current)}: breaking changes allowed")
        return
    problems = breaking_changes(released, current)
    for problem in problems:
        print(f"breaking: {problem}")
    if problems:
        print(f"{len(problems)} breaking changes against openapi/released/v1.json: keep them out of /api/v1, "
              "or release a new major version (see docs/API-DESIGN.md, Versioning)")
        sys.exit(1)
    print("no breaking changes against openapi/released/v1.json")


if __name__ == "__main__":
    main()
