"""Web-form fuzzer: no input to any page or form, as any role, may produce a server error.

The probe discovers its targets itself: every route of the URLconf (with real ids of a small world in
two courts, ids of nothing, ids past 64 bits and non-numbers), and every form the pages render as each
role (`<form method="post">`, `hx-post`, GET filter forms). Each POST form is sent unchanged, empty,
with every field replaced in turn by a bad value (missing, wrong type, huge, NUL bytes, malformed
JSON, impossible dates) and, for file fields, with malformed workbooks and CSVs. Every request runs in
a savepoint that is rolled back, so each sees the same world. Any 5xx or uncaught exception is
collected and reported with the request that caused it.

Budget: about a minute on one core (the whole suite must stay small); the bad values rotate over the
fields, so each field meets a different bad value and each bad value meets many fields.
"""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from . import fuzz_world, probe

pytestmark = pytest.mark.django_db

# Who probes: the court's roles that see different forms, a higher-court president, and the public.
ROLES = ["clerk", "judge", "director", "finance", "operator", "gd_president", None]
# Fields a user types into meet every bad value; the others (choices, hidden ids, check boxes) this
# many, rotating over the fields so that all of them get used.
TYPED = {"text", "textarea", "date", "number", "password", "email", "search", "tel", "url"}
BAD_PER_FIELD = 3
# Roles that also probe every path with ids of nothing and post to every route (the others only
# discover and fuzz the forms their pages offer).
PATH_ROLES = {"judge", None}
# Never posted while signed in (it would sign the probe out).
SIGN_OUT = {"logout"}
EXTRA_QUERY = [
    {"cursor": "!!garbage"},
    {"format": "xlsx"},
    {"format": "docx"},
    {"until": "2026-02-30"},
    {"page": "-1"},
    {"q": "\x00"},
]
# What every field of every form meets once: a NUL (PostgreSQL cannot store it) and an ESC.
CONTROL_TEXTS = ["甲\x00乙", "甲\x1b乙"]


class Probe:
    """Sends requests in rolled-back savepoints and collects every 5xx and uncaught exception."""

    def __init__(self, client: Client, who: str | None) -> None:
        self.client = client
        self.who = who or "anonymous"
        self.failures: list[str] = []
        self.sent = 0

    def send(self, method: str, path: str, data: Any = None, **kw: Any) -> Any:
        self.sent += 1
        try:
            with transaction.atomic():
                call: Callable[..., Any] = getattr(self.client, method)
                resp = call(path, data, **kw) if data is not None else call(path, **kw)
                transaction.set_rollback(True)
        except Exception as exc:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.failures.append(
                f"{self.who} {method.upper()} {path} {_short(data)}: {type(exc).__name__}: {exc} "
                f"({where.filename.split('/src/')[-1]}:{where.lineno})"
            )
            return None
        if resp.status_code >= 500:
            self.failures.append(
                f"{self.who} {method.upper()} {path} {_short(data)}: HTTP {resp.status_code}"
            )
        return resp


def _short(data: Any) -> str:
    if not data:
        return ""
    text = repr({k: (v if not isinstance(v, str) or len(v) < 40 else v[:20] + "…") for k, v in data.items()})
    return text[:300]


def _client(people: dict[str, Any], who: str | None) -> Client:
    client = Client(raise_request_exception=True)
    if who is not None:
        client.force_login(people[who])
    return client


def _paths(world: dict[str, fuzz_world.CourtWorld], route: probe.Route) -> Iterator[tuple[str, str]]:
    """(path, "own" | "other" | "bad"): the route with each court's ids, then ids of nothing."""
    own, other = world["own"].ids, world["other"].ids
    extra = {"credit_action": ["list", "nope"], "court_code": ["粤0106", "粤0104"]}
    extra |= {"op": ["start", "nope"], "kind": ["tips", "nope"]}
    for label, ids in (("own", own), ("other", other)):
        values = {k: v[0] for k, v in ids.items()} | {k: v[0] for k, v in extra.items()}
        yield route.fill(values), label
        if not route.params:
            return
    for name, _kind in route.params:
        for bad in probe.BAD_IDS[:3] if len(route.params) > 1 else probe.BAD_IDS:
            values = {k: v[0] for k, v in own.items()} | {k: v[0] for k, v in extra.items()} | {name: bad}
            yield route.fill(values).replace("\x00", "%00"), "bad"


def _retargeted(world: dict[str, fuzz_world.CourtWorld], form: probe.Form) -> Iterator[str]:
    """The form's action with each id swapped for another court's object and for ids of nothing."""
    found = probe.route_of(form.action)
    if found is None:
        return
    route, values = found
    other = world["other"].ids
    for name, kind in route.params:
        for bad in [*([other[kind][0]] if kind in other else []), *probe.BAD_IDS[:4]]:
            yield route.fill(values | {name: bad}).replace("\x00", "%00")


def _file_sets(form: probe.Form) -> Iterator[dict[str, Any]]:
    for name, content in probe.BAD_FILES:
        yield {f: SimpleUploadedFile(name, content) for f in form.file_fields}


def _mutations(form: probe.Form, rotation: Iterator[str]) -> Iterator[dict[str, Any]]:
    """The form unchanged, empty, each field missing or bad in turn, every field at once bad.

    Fields go bad one at a time among plausible values in the others (as a user would have filled the
    form in), so the parsing of every field is reached, not only the first check that refuses.
    """
    yield form.baseline()
    yield {}
    base = form.baseline(filled=True)
    yield dict(base)
    typed = {f.name for f in form.fields if f.type in TYPED}
    names = sorted({f.name for f in form.fields if f.type != "file"} - {"csrfmiddlewaretoken"})
    for name in names:
        yield {k: v for k, v in base.items() if k != name}
        # What a user types meets every bad value; choices and hidden fields a few, in rotation.
        for bad in probe.BAD_VALUES if name in typed else [next(rotation) for _ in range(BAD_PER_FIELD)]:
            yield {**base, name: bad}
        yield {**base, name: [next(rotation), next(rotation)]}
    for bad in ("abc", "\x00", probe.HUGE, '{"a":'):
        yield {**base, **dict.fromkeys(names, bad)}
    if form.file_fields:
        for files in _file_sets(form):
            yield {**base, **files}


def _kind(form: probe.Form) -> tuple[Any, ...]:
    """A form's kind: its route (ids aside) and its fields; the same form on every case is one kind."""
    found = probe.route_of(form.action)
    if found is None:
        return (form.method, form.action, form.key()[1])
    route, values = found
    fixed = tuple(
        (n, values[n]) for n, k in route.params if k in ("credit_action", "rule", "name", "op", "kind")
    )
    return (form.method, route.template, fixed, form.key()[1])


def discover(
    probe_: Probe, world: dict[str, fuzz_world.CourtWorld], routes: tuple[probe.Route, ...], bad_ids: bool
) -> list[probe.Form]:
    """GET every page (real ids of both courts, and ids of nothing when `bad_ids`); their forms."""
    found: list[probe.Form] = []
    for route in routes:
        if route.is_api:
            continue
        for path, label in _paths(world, route):
            if (label != "bad" and route.name in probe.SLOW) or (label == "bad" and not bad_ids):
                continue
            resp = probe_.send("get", path)
            if resp is None or resp.status_code != 200 or "html" not in resp.get("Content-Type", ""):
                continue
            found.extend(probe.forms_of(path, resp.content.decode()))
    return found


def fuzz_get_form(probe_: Probe, form: probe.Form, rotation: Iterator[str]) -> None:
    path = form.action.split("?")[0]
    for data in _mutations(form, rotation):
        probe_.send("get", path, {k: v for k, v in data.items() if not hasattr(v, "read")})


@pytest.fixture
def world(people: dict[str, Any], courts: dict[str, Any], settings: Any) -> Iterator[Any]:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}
    with time_machine.travel(fuzz_world.NOW, tick=True):
        yield fuzz_world.build(fuzz_world.add_sibling_staff(people, courts))


def refuse_control_texts(p: Probe, form: probe.Form) -> None:
    """Every field of the form, in turn, holding a NUL and an ESC: 400 naming the field, nothing run."""
    base = form.baseline(filled=True)
    path = form.action.split("?")[0] if form.method == "get" else form.action
    names = sorted({f.name for f in form.fields if f.type != "file"} - {"csrfmiddlewaretoken"})
    for name in names:
        for text in CONTROL_TEXTS:
            data = {k: v for k, v in base.items() if not hasattr(v, "read")} | {name: text}
            resp = p.send(form.method, path, data)
            if resp is None:
                continue
            said = resp.content.decode(errors="replace")
            if resp.status_code != 400 or f"“{name}”含有不允许的控制字符" not in said:
                p.failures.append(
                    f"{p.who} {form.method.upper()} {path} {name}={text!r}: HTTP {resp.status_code}, "
                    "not refused naming the field"
                )


def _fuzz_form(p: Probe, form: probe.Form, world: dict[str, Any], rotation: Iterator[str]) -> None:
    refuse_control_texts(p, form)
    if form.method == "get":
        fuzz_get_form(p, form, rotation)
        return
    for data in _mutations(form, rotation):
        p.send("post", form.action, data)
    for path in _retargeted(world, form):  # what the form submits, to objects it did not name
        p.send("post", path, form.baseline())


def test_no_page_or_form_answers_5xx(world: dict[str, Any], people: dict[str, Any]) -> None:
    routes = probe.routes()
    rotation = itertools.cycle(probe.BAD_VALUES)
    probes = {who: Probe(_client(people, who), who) for who in ROLES}
    seen: dict[Any, list[tuple[str | None, probe.Form]]] = {}
    for who, p in probes.items():
        thorough = who in PATH_ROLES
        for form in discover(p, world, routes, bad_ids=thorough):
            seen.setdefault(_kind(form), []).append((who, form))
        if thorough:
            for route in routes:
                if route.is_api or (who is not None and route.name in SIGN_OUT):
                    continue
                if not route.params:  # every page, also with junk in the query string
                    for extra in EXTRA_QUERY:
                        p.send("get", route.fill({}), extra)
                # Every route is a POST target too (a view that expects GET must refuse, not crash).
                for path, _label in itertools.islice(_paths(world, route), 3):
                    p.send("post", path, {})
                    p.send("post", path, {"id": next(rotation), "party": "abc", "file": next(rotation)})
    for kind, candidates in seen.items():
        # Each kind of form once, as a role it lets through: one refused at the door (403) would
        # never reach the parsing behind it.
        who, form = candidates[0]
        if kind[0] == "post":
            for candidate, candidate_form in candidates:
                resp = probes[candidate].send("post", candidate_form.action, candidate_form.baseline())
                if resp is not None and resp.status_code != 403:
                    who, form = candidate, candidate_form
                    break
        _fuzz_form(probes[who], form, world, rotation)
    failures = [f for p in probes.values() for f in p.failures]
    sent = sum(p.sent for p in probes.values())
    assert len([k for k in seen if k[0] == "post"]) > 30  # the probe found the forms
    print(f"web-form fuzzer: {sent} requests")
    assert failures == [], f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures)


def test_control_characters_are_refused_before_any_view(
    world: dict[str, Any], people: dict[str, Any]
) -> None:
    """A NUL (which PostgreSQL cannot store) in a form value, a query or a path: 400 naming the field,
    nothing written; the API answers with its JSON error body."""
    from zhixing.inquiry.models import InquiryRequest

    request_id = world["own"].first("request")
    client = _client(people, "director")
    resp = client.post(f"/inquiry/requests/{request_id}/reject/", {"reason": "理由\x00"})
    assert resp.status_code == 400
    assert "“reason”含有不允许的控制字符（如空字符NUL），请求未被处理，未作任何更改" in resp.content.decode()
    assert InquiryRequest.objects.get(pk=request_id).status == "awaiting_approval"
    assert client.get("/portal/payout/%00/").status_code == 400
    assert client.get("/cases/", {"debtor": "张\x01"}).status_code == 400
    assert client.post(f"/inquiry/requests/{request_id}/reject/", {"reason": "理由\t\r\n"}).status_code == 302
    api = client.get("/api/v1/cases", {"debtor": "张\x00"})
    assert api.status_code == 422
    assert api.json() == {
        "detail": "“debtor”含有不允许的控制字符（如空字符NUL），请求未被处理，未作任何更改",
        "field": "debtor",
        "code": "invalid",
    }
