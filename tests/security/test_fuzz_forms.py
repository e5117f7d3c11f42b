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
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client

from . import fuzz_world, probe

# slow: dealt out first in a parallel run (conftest.py), so it does not run alone at the end.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Who probes: the court's roles that see different forms, a higher-court president, and the public.
ROLES = ["clerk", "judge", "director", "finance", "operator", "gd_president", None]
# Besides going missing and arriving twice, every field meets the 64-bit overflow (PostgreSQL's bigint
# and numeric limits) and a few more bad values, taken in turn from a rotation kept for each kind of
# field (dates, numbers, free text, choices and hidden ids): every field meets several bad values and
# every bad value meets many fields of each kind, without sending every value to every field.
TYPED = {"text", "textarea", "date", "number", "password", "email", "search", "tel", "url"}
OVERFLOW = "99999999999999999999"
BAD_PER_FIELD = {True: 3, False: 2}  # typed fields, the others
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
# What every field of every form meets once: a NUL (PostgreSQL cannot store it); every other an ESC.
CONTROL_TEXTS = ["甲\x00乙", "甲\x1b乙"]


class Probe:
    """Sends requests in rolled-back savepoints and collects every 5xx and uncaught exception."""

    def __init__(self, client: Client, who: str | None) -> None:
        self.client = client
        self.who = who or "anonymous"
        self.failures: list[str] = []
        self.phase = "discover"
        self.sent: Counter[str] = Counter()  # requests by phase

    def send(self, method: str, path: str, data: Any = None, **kw: Any) -> Any:
        self.sent[self.phase] += 1
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


class Rotation:
    """Bad values in turn, one cycle for each kind of field; counts which value met which kind."""

    def __init__(self) -> None:
        self.cycles: dict[str, Iterator[str]] = {}
        self.met: Counter[tuple[str, str]] = Counter()

    def take(self, kind: str, n: int = 1) -> list[str]:
        cycle = self.cycles.setdefault(kind, itertools.cycle([v for v in probe.BAD_VALUES if v != OVERFLOW]))
        values = [next(cycle) for _ in range(n)]
        self.met.update((kind, v) for v in values)
        return values

    def __next__(self) -> str:
        return self.take("other")[0]

    def __iter__(self) -> Iterator[str]:
        return self


def _field_kind(f: probe.Field) -> str:
    """The rotation a field draws from: what its type and name (not its placeholder) say it holds."""
    if f.type not in TYPED:
        return "choice"
    shape = probe.Field(f.name, f.type).plausible()
    return {"2026-03-10": "date", "1": "number", "100.00": "number"}.get(shape, "text")


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


def _mutations(form: probe.Form, rotation: Rotation) -> Iterator[dict[str, Any]]:
    """The form unchanged, empty, each field missing or bad in turn, every field at once bad.

    Fields go bad one at a time among plausible values in the others (as a user would have filled the
    form in), so the parsing of every field is reached, not only the first check that refuses.
    """
    yield form.baseline()
    yield {}
    base = form.baseline(filled=True)
    yield dict(base)
    kinds = {f.name: _field_kind(f) for f in form.fields if f.type != "file"}
    names = sorted(set(kinds) - {"csrfmiddlewaretoken"})
    for name in names:
        yield {k: v for k, v in base.items() if k != name}
        bad = rotation.take(kinds[name], BAD_PER_FIELD[kinds[name] != "choice"])
        rotation.met[kinds[name], OVERFLOW] += 1
        for value in (OVERFLOW, *bad):
            yield {**base, name: value}
        yield {**base, name: [next(rotation), next(rotation)]}
    for value in ("abc", "\x00", probe.HUGE, '{"a":'):
        yield {**base, **dict.fromkeys(names, value)}
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


def _signs_out(form: probe.Form) -> bool:
    """The form signs its sender out (the header's “退出登录”)."""
    found = probe.route_of(form.action)
    return found is not None and found[0].name in SIGN_OUT


def _signs_in(resp: Any) -> bool:
    """The page sent the caller to sign in: nothing behind the door was reached."""
    login = resolve_url(settings.LOGIN_URL)
    return resp is not None and resp.status_code == 302 and resp["Location"].startswith(login)


def discover(
    probe_: Probe, world: dict[str, fuzz_world.CourtWorld], routes: tuple[probe.Route, ...], bad_ids: bool
) -> tuple[list[probe.Form], set[str]]:
    """GET every page (real ids of both courts, and ids of nothing when `bad_ids`): their forms, and
    the routes that sent the caller to sign in (ids of nothing there would only meet the same door).

    An id of nothing the route's converter refuses (`abc` for `<int:pk>`) never reaches a view: it is
    not sent (the resolver's 404 is the same for every route)."""
    found: list[probe.Form] = []
    gated: set[str] = set()
    for route in routes:
        if route.is_api:
            continue
        for path, label in _paths(world, route):
            if label == "bad" and (not bad_ids or route.template in gated or _unrouted(path, route)):
                continue
            if label != "bad" and route.name in probe.SLOW:
                continue
            resp = probe_.send("get", path)
            if label == "own" and _signs_in(resp):
                gated.add(route.template)
            if resp is None or resp.status_code != 200 or "html" not in resp.get("Content-Type", ""):
                continue
            found.extend(probe.forms_of(path, resp.content.decode()))
    return found, gated


def _unrouted(path: str, route: probe.Route) -> bool:
    found = probe.route_of(path.replace("%00", "\x00"))
    return found is None or found[0] != route


def fuzz_get_form(probe_: Probe, form: probe.Form, rotation: Rotation) -> None:
    path = form.action.split("?")[0]
    for data in _mutations(form, rotation):
        probe_.send("get", path, {k: v for k, v in data.items() if not hasattr(v, "read")})


@pytest.fixture
def world(people: dict[str, Any], courts: dict[str, Any], settings: Any) -> Iterator[Any]:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}
    with time_machine.travel(fuzz_world.NOW, tick=True):
        yield fuzz_world.build(fuzz_world.add_sibling_staff(people, courts))


def refuse_control_texts(p: Probe, form: probe.Form) -> None:
    """Every field of the form, in turn, holding a NUL (and every other field an ESC, the first field
    of each form among them): 400 naming the field, nothing run."""
    base = form.baseline(filled=True)
    path = form.action.split("?")[0] if form.method == "get" else form.action
    names = sorted({f.name for f in form.fields if f.type != "file"} - {"csrfmiddlewaretoken"})
    for i, name in enumerate(names):
        for text in CONTROL_TEXTS[: 2 - i % 2]:
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


def _fuzz_form(p: Probe, form: probe.Form, world: dict[str, Any], rotation: Rotation) -> None:
    refuse_control_texts(p, form)
    if form.method == "get":
        fuzz_get_form(p, form, rotation)
        return
    for data in _mutations(form, rotation):
        p.send("post", form.action, data)
    for path in _retargeted(world, form):  # what the form submits, to objects it did not name
        p.send("post", path, form.baseline())


def post_to_every_route(
    p: Probe, world: dict[str, Any], routes: Any, gated: set[str], rotation: Rotation
) -> None:
    """Every page also with junk in its query string, and every route as a POST target (a view that
    expects GET must refuse, not crash): with both courts' ids and an id of nothing. Behind a door
    that sends the caller to sign in, one empty POST (the door holds for POST too)."""
    extras = itertools.cycle(EXTRA_QUERY)
    for route in routes:
        if route.is_api or (p.who != "anonymous" and route.name in SIGN_OUT):
            continue
        if route.template in gated:
            p.send("post", next(_paths(world, route))[0], {})
            continue
        if not route.params:  # half the junk queries on each page, the other half on the next
            for _ in range(len(EXTRA_QUERY) // 2):
                p.send("get", route.fill({}), next(extras))
        for i, (path, _label) in enumerate(itertools.islice(_paths(world, route), 3)):
            if i == 0:
                p.send("post", path, {})
            p.send("post", path, {"id": next(rotation), "party": "abc", "file": next(rotation)})


def test_no_page_or_form_answers_5xx(world: dict[str, Any], people: dict[str, Any]) -> None:
    routes = probe.routes()
    rotation = Rotation()
    probes = {who: Probe(_client(people, who), who) for who in ROLES}
    seen: dict[Any, list[tuple[str | None, probe.Form]]] = {}
    for who, p in probes.items():
        thorough = who in PATH_ROLES
        found, gated = discover(p, world, routes, bad_ids=thorough)
        for form in found:
            seen.setdefault(_kind(form), []).append((who, form))
        if thorough:
            p.phase = "routes"
            post_to_every_route(p, world, routes, gated, rotation)
    for kind, candidates in seen.items():
        if _signs_out(candidates[0][1]):  # fuzzed, it signed the probe out: every later form met the login
            continue
        # Each kind of form once, as a role it lets through: one refused at the door (403) would
        # never reach the parsing behind it.
        who, form = candidates[0]
        if kind[0] == "post":
            for candidate, candidate_form in candidates:
                probes[candidate].phase = "door"
                resp = probes[candidate].send("post", candidate_form.action, candidate_form.baseline())
                if resp is not None and resp.status_code != 403:
                    who, form = candidate, candidate_form
                    break
        probes[who].phase = f"{kind[0]} forms"
        _fuzz_form(probes[who], form, world, rotation)
    failures = [f for p in probes.values() for f in p.failures]
    sent = sum((p.sent for p in probes.values()), Counter[str]())
    kinds = Counter(k[0] for k in seen)
    fields = Counter(field for _kind_, field in rotation.met.elements())
    print(
        f"web-form fuzzer: {sent.total()} requests {dict(sent)}, by role "
        f"{ {p.who: p.sent.total() for p in probes.values()} }; form kinds {dict(kinds)}; bad values "
        f"met by fields, fewest {min(fields[v] for v in probe.BAD_VALUES)} (of each kind of field: "
        f"{ {k: min(rotation.met[k, v] for v in probe.BAD_VALUES) for k in rotation.cycles} })"
    )
    assert kinds["post"] > 30  # the probe found the forms
    # Still signed in: a probe signed out halfway met only the login page from then on (the 退出登录 form,
    # once fuzzed as the first role, hid every form after it).
    assert all("_auth_user_id" in p.client.session for p in probes.values() if p.who != "anonymous")
    assert all(fields[v] >= 5 for v in probe.BAD_VALUES), fields  # every bad value met many fields
    assert failures == [], f"{len(failures)} of {sent.total()} requests failed:\n" + "\n".join(failures)


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
