"""Schema-valid JSON bodies of the API's operations, and every string field inside one.

`sample` builds one body per operation from its OpenAPI request schema (every property, optional ones
too, so every string field is present); `string_fields` lists where the strings are, as the API's
error bodies name them (``items[0].reason``), so a probe can spoil one at a time.
"""

from __future__ import annotations

import copy
import inspect
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from zhixing.core.inputguard import ServiceChecksText

SAMPLE_DATE = "2026-03-10"


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(
            {**schema["allOf"][0], **{k: v for k, v in schema.items() if k != "allOf"}}, components
        )
    return schema


def sample(schema: dict[str, Any], components: dict[str, Any], name: str = "") -> Any:
    """A value valid against `schema` (as far as the document says), every property filled in."""
    schema = _resolve(schema, components)
    if schema.get("default") not in (None, ""):
        return copy.deepcopy(schema["default"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(o, components).get("type") != "null"]
            if not options:
                return None
            rest = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
            return sample({**rest, **_resolve(options[0], components)}, components, name)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "date":
            return SAMPLE_DATE
        if schema.get("format") == "date-time":
            return f"{SAMPLE_DATE}T10:00:00+08:00"
        if "金额" in schema.get("description", "") or name.endswith("amount"):
            return "1.00"
        if name.endswith("account_no"):
            return "6222020000001"
        return "甲" * max(int(schema.get("minLength", 1)), 1)
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return [sample(schema.get("items", {}), components)] * max(int(schema.get("minItems", 1)), 1)
    if kind == "object" or "properties" in schema:
        return {key: sample(prop, components, key) for key, prop in schema.get("properties", {}).items()}
    return "甲"


def string_fields(value: Any, where: str = "") -> Iterator[str]:
    """The name of every string inside `value`: ``reason``, ``parties[0].name``."""
    if isinstance(value, str):
        yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from string_fields(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from string_fields(item, f"{where}[{i}]")


def spoiled(value: Any, field: str, text: str) -> Any:
    """A copy of `value` with the string at `field` (as `string_fields` names it) replaced by `text`."""
    out = copy.deepcopy(value)
    parts: list[Any] = []
    for dotted in field.split("."):
        name, *indexes = dotted.split("[")
        if name:
            parts.append(name)
        parts.extend(int(i.rstrip("]")) for i in indexes)
    target = out
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = text
    return out


def body_models(api: Any) -> dict[str, type[BaseModel]]:
    """The JSON body schema of each ninja operation, by operation id.

    Read from the handlers, not from the OpenAPI document: ninja merges the named schemas of all
    domains by name, so two ``ResumeIn`` (or ``LiftIn``) share one entry there.
    """
    found: dict[str, type[BaseModel]] = {}
    routers = [router for _prefix, router in api._routers]
    while routers:
        router = routers.pop()
        routers.extend(child for _prefix, child, *_rest in router._routers)
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                handler = inspect.unwrap(operation.view_func)
                hints = typing.get_type_hints(handler, include_extras=True)
                for name, hint in hints.items():
                    if name != "return" and isinstance(hint, type) and issubclass(hint, BaseModel):
                        found[api.get_openapi_operation_id(operation)] = hint
    return found


def left_to_service(model: type[BaseModel], field: str) -> bool:
    """Whether `field` (as `string_fields` names it) is marked `ServiceChecksText` in `model`."""
    current: Any = model
    for dotted in field.split("."):
        name = dotted.split("[")[0]
        info = current.model_fields.get(name) if isinstance(current, type) else None
        if info is None:
            return False
        if any(isinstance(m, ServiceChecksText) for m in info.metadata):
            return True
        inner = [a for a in typing.get_args(info.annotation) if isinstance(a, type)] or [info.annotation]
        current = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return False
