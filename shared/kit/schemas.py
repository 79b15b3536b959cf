"""Tool schemas every client accepts: the normalizer and the portability check.

Pydantic emits ``$defs``/``$ref`` for nested models, ``title`` everywhere and
``anyOf [X, null]`` for optionals. Qwen-Agent drops ``$defs`` (leaving ``$ref`` dangling),
Gemini and Bedrock reject ``$ref``, Claude rejects root combinators, and Qwen3's XML tool
calls convert values by a property's single top-level ``type``. So the server advertises a
normalized copy of every schema, with every parameter bounded (``shared.kit.hygiene``: the limits
the server enforces on each call), and ``portability_problems`` is the lint a test runs over
every tool of every server (rules R1–R15 of the client notes, and the bounds).
"""

from __future__ import annotations

import re
from typing import Any

from mcp.types import Tool

from shared.kit.hygiene import bound_input_schema

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FORBIDDEN_KEYS = {"$ref", "$defs", "definitions", "$schema", "$id", "oneOf", "allOf", "not", "if", "const"}
MAX_ENUM = 20


def normalize_schema(schema: dict[str, Any], *, for_input: bool) -> dict[str, Any]:
    """Inline ``$ref``s, drop ``$defs`` and titles, and (for inputs) collapse nullable unions."""
    defs: dict[str, Any] = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            extra = {k: v for k, v in node.items() if k != "$ref"}
            return walk({**target, **extra})
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("title", "$defs"):
                continue
            if key == "properties":
                out[key] = {name: walk(sub) for name, sub in value.items()}
            else:
                out[key] = walk(value)
        if for_input and "anyOf" in out:
            variants = [v for v in out["anyOf"] if v.get("type") != "null"]
            if len(variants) == 1:
                rest = {k: v for k, v in out.items() if k != "anyOf"}
                out = {**variants[0], **rest}
                if out.get("default", 0) is None:
                    out.pop("default")
        return out

    result = walk(schema)
    if for_input:
        result.setdefault("properties", {})
        result["required"] = [name for name in result.get("required", []) if name in result["properties"]]
        if not result["properties"]:
            result["additionalProperties"] = False
    return result


OUTPUT_DEPTH = 1


def _fields_note(schema: dict[str, Any]) -> str:
    """' Fields: a, b, c.' for an object schema (or an array of them) whose properties are trimmed away."""
    node = schema.get("items") if schema.get("type") == "array" else schema
    props = node.get("properties") if isinstance(node, dict) else None
    if not isinstance(props, dict) or not props:
        return ""
    return f" {'Each has' if node is not schema else 'Fields'}: {', '.join(props)}."


def trim_depth(schema: dict[str, Any], depth: int = OUTPUT_DEPTH) -> dict[str, Any]:
    """Keep an output schema's outer levels only.

    Clients validate structured content against the advertised output schema on every call
    (the Python SDK with jsonschema, at some microseconds per nested property and per array
    element), and none shows it to the model; nested menus and result lists would cost more to
    validate than to produce. Trimmed objects keep their type and their description, which
    names their fields; the fields are documented where they are produced.
    """
    if depth <= 0:
        out = {k: v for k, v in schema.items() if k in ("type", "description")}
        if "type" not in out and isinstance(schema.get("anyOf"), list):  # a nullable model or value: say both types
            kinds = [v.get("type") for v in schema["anyOf"] if isinstance(v, dict)]
            if kinds and all(isinstance(k, str) for k in kinds):
                out["type"] = list(dict.fromkeys(kinds))
        note = _fields_note(schema)
        if note and "description" in out:
            out["description"] = out["description"].rstrip() + note
        return out
    out = dict(schema)
    if isinstance(schema.get("properties"), dict):
        out["properties"] = {name: trim_depth(sub, depth - 1) for name, sub in schema["properties"].items()}
    if isinstance(schema.get("items"), dict):
        out["items"] = trim_depth(schema["items"], depth - 1)
    if isinstance(schema.get("anyOf"), list):
        out["anyOf"] = [trim_depth(sub, depth) for sub in schema["anyOf"]]
    return out


def normalize_tool(tool: Tool) -> Tool:
    output = trim_depth(normalize_schema(tool.output_schema, for_input=False)) if tool.output_schema else None
    return tool.model_copy(
        update={
            "input_schema": bound_input_schema(normalize_schema(tool.input_schema, for_input=True)),
            "output_schema": output,
        }
    )


def _walk_keys(node: Any, path: str = "") -> list[tuple[str, str]]:
    """(path, key) for every schema keyword, skipping property names."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    found += _walk_keys(sub, f"{path}.{name}")
            else:
                found.append((path, key))
                found += _walk_keys(value, path)
    elif isinstance(node, list):
        for item in node:
            found += _walk_keys(item, path)
    return found


def _bound_problems(where: str, prop: dict[str, Any]) -> list[str]:
    """A parameter (or a field or item inside one) that accepts input of any size: the server checks every
    call against the advertised bounds, so a missing bound is a missing check."""
    kind = prop.get("type")
    if kind == "string" and "maxLength" not in prop:
        return [f"{where}: string without maxLength"]
    if kind == "integer" and ("minimum" not in prop or "maximum" not in prop):
        return [f"{where}: integer without minimum and maximum"]
    if kind == "array":
        items = prop.get("items")
        inner = _bound_problems(f"{where}[]", items) if isinstance(items, dict) else []
        return inner if "maxItems" in prop else [f"{where}: array without maxItems", *inner]
    if kind == "object":
        fields = prop.get("properties", {})
        return [
            p
            for sub, field in fields.items()
            if isinstance(field, dict)
            for p in _bound_problems(f"{where}.{sub}", field)
        ]
    return []


def _property_problems(tool: str, name: str, prop: dict[str, Any], required: bool) -> list[str]:
    where = f"{tool}.{name}"
    problems: list[str] = _bound_problems(where, prop)
    if not isinstance(prop.get("type"), str):
        problems.append(f"{where}: needs exactly one explicit type, got {prop.get('type')!r}")
    if "anyOf" in prop:
        problems.append(f"{where}: anyOf in a parameter")
    if not prop.get("description"):
        problems.append(f"{where}: no description")
    if not required and prop.get("default") is None:
        problems.append(f"{where}: optional parameter without a non-null default")
    if len(prop.get("enum", [])) > MAX_ENUM:
        problems.append(f"{where}: enum longer than {MAX_ENUM}")
    items = prop.get("items", {})
    if prop.get("type") == "array" and not items:
        problems.append(f"{where}: array without items")
    nested = items if items.get("type") == "object" else prop if prop.get("type") == "object" else None
    if nested is not None:
        for sub_name, sub in nested.get("properties", {}).items():
            if sub.get("type") in ("object",) or sub.get("items", {}).get("type") == "object":
                problems.append(f"{where}.{sub_name}: objects nested more than one level")
            if not isinstance(sub.get("type"), str):
                problems.append(f"{where}.{sub_name}: needs exactly one explicit type")
        if not nested.get("properties"):
            problems.append(f"{where}: free-form object")
    return problems


def portability_problems(tool: Tool, server_key: str) -> list[str]:
    """Everything about one advertised tool that some target client would reject."""
    name = tool.name
    problems: list[str] = []
    if not NAME_RE.match(name):
        problems.append(f"{name}: name must match {NAME_RE.pattern}")
    if not name.startswith(f"{server_key}_"):
        problems.append(f"{name}: name must start with the server prefix '{server_key}_'")
    if len(f"mcp__{server_key}__{name}") > 64 or len(server_key + name) > 60:
        problems.append(f"{name}: composed client-side name too long")
    if not tool.description:
        problems.append(f"{name}: no description")
    ann = tool.annotations
    if ann is None or None in (ann.read_only_hint, ann.destructive_hint, ann.idempotent_hint):
        problems.append(f"{name}: annotations must set read_only_hint, destructive_hint and idempotent_hint")
    schema = tool.input_schema
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        problems.append(f"{name}: input root must be an object with properties")
    for path, key in _walk_keys(schema):
        if key in FORBIDDEN_KEYS or (key == "anyOf" and path == ""):
            problems.append(f"{name}{path}: forbidden keyword {key}")
        if key == "title":
            problems.append(f"{name}{path}: title keyword left in")
    required = set(schema.get("required", []))
    properties: dict[str, Any] = schema.get("properties", {})
    if not required <= set(properties):
        problems.append(f"{name}: required names unknown properties {sorted(required - set(properties))}")
    if not properties and schema.get("additionalProperties") is not False:
        problems.append(f"{name}: zero-argument tools need additionalProperties: false")
    for prop_name, prop in properties.items():
        problems += _property_problems(name, prop_name, prop, prop_name in required)
    if tool.output_schema is not None:
        if tool.output_schema.get("type") != "object":
            problems.append(f"{name}: output schema root must be an object")
        for prop_name, prop in tool.output_schema.get("properties", {}).items():
            if "type" not in prop:  # the Inspector's --strict mode flags these
                problems.append(f"{name} output.{prop_name}: no type")
        for path, key in _walk_keys(tool.output_schema):
            if key in ("$ref", "$defs", "$schema", "definitions"):
                problems.append(f"{name} output{path}: forbidden keyword {key}")
    return problems
