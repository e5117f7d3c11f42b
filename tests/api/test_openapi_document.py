"""The OpenAPI document describes every operation's own request and answer.

django-ninja files every schema of the document under its class name alone: two classes of the same name
in two domains (a case's ``ResumeIn`` and a settlement's ``ResumeIn``) become one entry, and the
document then shows one operation the other's body. A partner or a court's integrator reading
``/api/docs`` would send the wrong fields. So every schema class the API serves has a name of its own.
"""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from ninja import Schema

import zhixing
from zhixing.config.api import api as ninja_api

SRC = Path(zhixing.__file__).parent


def _import_every_schema_module() -> None:
    """Import every module that defines a schema class, served by the API's routers or not (a lean gateway's
    answer schema shares the same namespace once both are imported), so the check does not depend on
    which tests ran first."""
    for path in SRC.rglob("*.py"):
        if re.search(r"^class \w+\(.*Schema.*\):", path.read_text(encoding="utf-8"), re.M):
            rel = path.relative_to(SRC.parent).with_suffix("")
            importlib.import_module(".".join(rel.parts).removesuffix(".__init__"))


def _schema_classes(base: type) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        found.append(sub)
        found.extend(_schema_classes(sub))
    return found


def test_every_schema_class_has_a_name_of_its_own() -> None:
    _import_every_schema_module()
    modules: dict[str, set[str]] = defaultdict(set)
    for cls in _schema_classes(Schema):
        if cls.__module__.startswith("zhixing."):
            modules[cls.__name__].add(cls.__module__)
    shared = {name: sorted(mods) for name, mods in modules.items() if len(mods) > 1}
    assert shared == {}


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set()


def test_the_settlement_resume_and_the_case_resume_keep_their_own_bodies() -> None:
    """The pair that collided: each resume operation's body is its own handler's schema, field by field."""
    from zhixing.cases.api_settlement import SettlementResumeIn
    from zhixing.cases.schemas import ResumeIn

    doc = ninja_api.get_openapi_schema()
    schemas = doc["components"]["schemas"]
    want = {
        "/api/v1/cases/{case_id}/resume": ResumeIn,
        "/api/v1/cases/{case_id}/settlements/{settlement_id}/resume": SettlementResumeIn,
    }
    for path, cls in want.items():
        (ref,) = _refs(doc["paths"][path]["post"]["requestBody"])
        assert set(schemas[ref]["properties"]) == set(cls.model_fields), path
    assert set(ResumeIn.model_fields) != set(SettlementResumeIn.model_fields)
