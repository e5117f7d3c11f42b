"""Existence oracles: an object of another court and an object that does not exist answer alike.

For every route of the URLconf that addresses an object (pages, form actions and API operations), a
天河 user — in several roles, and a 福田 director of another branch of the province — sends the same
request twice: once with the id of a 越秀 object of that kind, once with an id that names nothing.
Form actions are sent with what their form would submit (parsed from the 天河 pages), API operations
with a body that passes their schema. The two answers must be the same: same status, same body (CSRF
tokens aside). The same holds for every form field that takes a case number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings

from zhixing.analytics.models import StatementPreset

from . import fuzz_world, probe

# slow: dealt out first in a parallel run (conftest.py), so it does not run alone at the end.
# backend_neutral: two requests compared with each other, the same on both databases; the PostgreSQL stage
# skips it (docs/adr/0029-postgresql-stage-runs-what-can-differ.md).
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.backend_neutral]

WHO = ["judge", "director", "finance", "clerk", "ft_director"]
# Parameters that address no court-scoped object: a portal token is a capability, not an id.
UNSCOPED = {"token", "rule", "credit_action", "name"}  # name: a chart of the supervision page
# A step's verb (coercion/<pk>/<op>/, entrust/<pk>/<op>/) and the table a disclosure row is in
# (disclosure/<kind>/<pk>/<action>/) name no object. A published ruling is public: anyone reads any
# court's (public/rulings/<pk>/).
UNSCOPED |= {"op", "kind", "ruling"}
# Pages whose object is public by design: a published auction lot (any court's) is open to everyone;
# its staff pages (auctions/manage/…, the bidders and deposits of the API) stay court-scoped.
PUBLIC = {"auctions/<int:lot_id>/", "api/v1/auctions/lots/<lot_id>"}
if not any(f.name == "court" for f in StatementPreset._meta.get_fields()):
    # Statement layouts are global until finding 8 scopes them to their court (another change);
    # every court's staff may then read and edit every layout, so there is nothing to hide yet.
    UNSCOPED.add("preset")
MISSING = 987_654
VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value="|nonce="|"X-CSRFToken": ")[^"]*')


@dataclass(frozen=True)
class Target:
    method: str
    route: probe.Route
    fixed: tuple[tuple[str, Any], ...]  # values of the route's unscoped parameters
    body: Any


@pytest.fixture(scope="module")
def shared(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The two courts' worlds, built once for the module and rolled back at its end (`rolled_back`)."""
    from tests.conftest import rolled_back, staff_of
    from tests.factories import province

    with (
        rolled_back(django_db_blocker),
        override_settings(ZHIXING_INQUIRY={"kick_on_commit": False}),
        time_machine.travel(fuzz_world.NOW, tick=True),
    ):
        courts = province()
        people = fuzz_world.add_sibling_staff(staff_of(courts), courts)
        yield {"people": people, "world": fuzz_world.build(people), "pages": {}}


@pytest.fixture
def people(shared: dict[str, Any]) -> dict[str, Any]:
    return shared["people"]  # type: ignore[no-any-return]


@pytest.fixture
def world(shared: dict[str, Any]) -> dict[str, Any]:
    return shared["world"]  # type: ignore[no-any-return]


@pytest.fixture
def pages(shared: dict[str, Any]) -> dict[tuple[str, str], tuple[int, str]]:
    """(role, path) → (status, HTML or ""): 天河's pages as each role gets them in the world as built.

    Both tests parse the forms of the same pages; GETs change nothing a form offers, so each page is
    rendered once per role for the module."""
    return shared["pages"]  # type: ignore[no-any-return]


def _page(
    pages: dict[tuple[str, str], tuple[int, str]], who: str, client: Client, path: str
) -> tuple[int, str]:
    """The page's status and, for an HTML answer, its text (else "")."""
    if (who, path) not in pages:
        resp = client.get(path)
        html = "html" in resp.get("Content-Type", "") and not resp.streaming
        pages[(who, path)] = (resp.status_code, resp.content.decode() if html else "")
    return pages[(who, path)]


def _scoped(route: probe.Route) -> list[tuple[str, str]]:
    if route.template in PUBLIC:
        return []
    return [(n, k) for n, k in route.params if k not in UNSCOPED]


def _own(world: dict[str, Any]) -> dict[str, Any]:
    return {k: v[0] for k, v in world["own"].ids.items()} | {
        "credit_action": "list",
        "court_code": "粤0106",
        "op": "start",
        "kind": "tips",
    }


def _api_targets() -> list[Target]:
    """Every API operation that addresses an object, with a body that passes its schema."""
    from zhixing.command.plate_gateway import PLATE_READS_PATH
    from zhixing.config.api import api
    from zhixing.credit.gateway import PATHS as GATEWAY_PATHS

    doc = api.get_openapi_schema()
    # Keyed without path converters: the schema's `{claim_id}` is the route's `<int:claim_id>`.
    by_template = {re.sub(r"<\w+:(\w+)>", r"<\1>", r.template): r for r in probe.routes() if r.is_api}
    out = []
    for path, ops in doc["paths"].items():
        # Served in front of Django (screening gateway, plate reads); no object in the path.
        if path in GATEWAY_PATHS or path == PLATE_READS_PATH:
            continue
        route = by_template[re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/"))]
        if _scoped(route):
            out += [Target(method, route, (), _example(doc, op)) for method, op in ops.items()]
    return out


def _example(doc: dict[str, Any], op: dict[str, Any]) -> Any:
    content = (op.get("requestBody") or {}).get("content", {})
    schema = (content.get("application/json") or {}).get("schema")
    return _value(doc, schema) if schema else None


def _value(doc: dict[str, Any], schema: dict[str, Any]) -> Any:
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
    if "anyOf" in schema:
        return _value(doc, schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: _value(doc, props[k]) for k in schema.get("required", [])}
    simple = {"array": [], "integer": 1, "number": 1, "boolean": True}
    if kind in simple:
        return simple[kind]
    return {"date": "2026-03-10", "date-time": "2026-03-10T10:00:00+08:00"}.get(schema.get("format", ""), "1")


def _web_targets(
    world: dict[str, Any], people: dict[str, Any], pages: dict[tuple[str, str], tuple[int, str]]
) -> list[Target]:
    """Every page that addresses an object (GET), and every form posting to one, as 天河 renders it."""
    own = _own(world)
    out: dict[Any, Target] = {}
    posted: set[str] = set()
    for who in ("judge", "director", "finance", "clerk"):
        client = Client()
        client.force_login(people[who])
        for route in probe.routes():
            if route.is_api or not _scoped(route):
                continue
            fixed = tuple((n, own[k]) for n, k in route.params if k in UNSCOPED)
            out.setdefault(("get", route.template, fixed), Target("get", route, fixed, None))
            if route.name in probe.SLOW:
                continue
            status, html = _page(pages, who, client, route.fill(own))
            if status != 200 or not html:
                continue
            for form in probe.forms_of(route.fill(own), html):
                found = probe.route_of(form.action) if form.method == "post" else None
                if found is None or not _scoped(found[0]):
                    continue
                target, values = found
                fixed = tuple((n, values[n]) for n, k in target.params if k in UNSCOPED)
                key = ("post", target.template, fixed, form.key()[1])
                out.setdefault(key, Target("post", target, fixed, form.baseline()))
                posted.add(target.template)
    for route in probe.routes():  # actions no page offered to these roles: posted empty
        if not route.is_api and _scoped(route) and route.template not in posted:
            fixed = tuple((n, own[k]) for n, k in route.params if k in UNSCOPED)
            out[("post", route.template, fixed)] = Target("post", route, fixed, {})
    return list(out.values())


def _pairs(world: dict[str, Any], target: Target) -> Iterator[tuple[str, str, str]]:
    """(parameter, path with another court's object, path with nothing) for each scoped parameter."""
    own = _own(world) | dict(target.fixed)
    other = {k: v[0] for k, v in world["other"].ids.items()} | {"court_code": "粤0104"}
    missing = dict.fromkeys(other, MISSING) | {"court_code": "粤9999"}
    scoped = _scoped(target.route)
    for name, kind in scoped:
        yield (
            name,
            target.route.fill(own | {name: other[kind]}),
            target.route.fill(own | {name: missing[kind]}),
        )
    if len(scoped) > 1:  # the whole chain of objects in the other court vs. nothing at all
        yield (
            "*",
            target.route.fill(own | {n: other[k] for n, k in scoped}),
            target.route.fill(own | {n: missing[k] for n, k in scoped}),
        )


def _answer(client: Client, target: Target, path: str) -> tuple[int, str]:
    with transaction.atomic():
        if target.method == "get":
            resp = client.get(path)
        elif target.route.is_api:
            body = json.dumps(target.body, ensure_ascii=False) if target.body is not None else ""
            resp = client.generic(target.method.upper(), path, body, content_type="application/json")
        else:
            resp = client.post(path, target.body)
        transaction.set_rollback(True)
    text = "" if resp.streaming else resp.content.decode(errors="replace")
    return resp.status_code, VOLATILE.sub(r"\1", text)


def _gist(text: str) -> str:
    """What a page says happened: its title and alerts, or the start of a JSON body."""
    if text.lstrip().startswith("{"):
        return text[:200]
    found = re.findall(r"<title>(.*?)</title>|role=\"alert\"[^>]*>([^<]*)<", text, flags=re.S)
    return repr([x or y.strip() for x, y in found])[:300] if found else repr(text[:120])


def test_other_courts_objects_and_missing_ones_answer_alike(
    world: dict[str, Any], people: dict[str, Any], pages: dict[tuple[str, str], tuple[int, str]]
) -> None:
    targets = _api_targets() + _web_targets(world, people, pages)
    differ: list[str] = []
    checked = 0
    for who in WHO:
        client = Client()
        client.force_login(people[who])
        for target in targets:
            for name, other_path, missing_path in _pairs(world, target):
                a, b = _answer(client, target, other_path), _answer(client, target, missing_path)
                checked += 1
                if a != b:
                    differ.append(
                        f"{who} {target.method.upper()} {target.route.template} {dict(target.fixed)} "
                        f"[{name}]: other court → {a[0]} {_gist(a[1])} / missing → {b[0]} {_gist(b[1])}"
                    )
    assert len({t.route.template for t in targets}) > 60  # every object-addressing route, web and API
    assert differ == [], f"{len(differ)} of {checked} pairs differ:\n" + "\n".join(differ)


@pytest.mark.parametrize("who", ["judge", "finance"])
def test_case_numbers_typed_into_forms_answer_alike(
    world: dict[str, Any], people: dict[str, Any], pages: dict[tuple[str, str], tuple[int, str]], who: str
) -> None:
    """A form field that takes a case number says the same of another court's case and of nothing."""
    other_number = world["other"].first("case_number")
    missing_number = other_number.replace("执1号", "执999号")
    client = Client()
    client.force_login(people[who])
    targets = []
    own = _own(world)
    for route in probe.routes():
        if route.is_api or route.name in probe.SLOW:
            continue
        path = route.fill(own)
        status, html = _page(pages, who, client, path)
        if status == 200 and html:
            for form in probe.forms_of(path, html):
                for name in {f.name for f in form.fields} & {"numbers", "case_number"}:
                    targets.append((form, name))
    assert targets, "no form takes a case number"
    for form, name in targets:
        answers = []
        for number in (other_number, missing_number):
            with transaction.atomic():
                resp = client.post(form.action, {**form.baseline(), name: number}, follow=True)
                transaction.set_rollback(True)
            text = VOLATILE.sub(r"\1", resp.content.decode()).replace(number, "<案号>")
            answers.append((resp.status_code, text))
        assert answers[0] == answers[1], (form.action, name, _gist(answers[0][1]), _gist(answers[1][1]))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (12, 12),
        (" 7 ", 7),
        ("0", None),
        ("-1", None),
        ("1.0", None),
        ("abc", None),
        ("", None),
        (None, None),
        (True, None),
        ("１２", None),  # full-width digits are not an id
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
        ("\x00", None),
        ("0" * 30 + "7", 7),
        ("9" * 5000, None),  # past 4,300 digits int() raises ValueError (a 500 on ?court=…)
    ],
)
def test_only_a_positive_64_bit_integer_names_an_object(value: Any, expected: int | None) -> None:
    from zhixing.courts.queries import object_id

    assert object_id(value) == expected


@pytest.mark.django_db
def test_an_id_of_thousands_of_digits_is_no_server_error(client: Any) -> None:
    """`?court=` of the public auction list reads an id anonymously: 5,000 digits answered 500."""
    response = client.get("/auctions/", {"court": "9" * 5000})
    assert response.status_code == 200
