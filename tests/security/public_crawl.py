"""Crawl every page reachable without login and find no raw ID number, mobile number or street address
(the crawl of tests/services/test_demo_world.py's test_no_public_page_shows_a_raw_identifier).

Issue 10 #7 (and DESIGN invariant 9). The data is the demo's (`seed_demo`: Faker names, addresses,
mobile numbers and valid ID numbers), plus listings whose free text a careless judge filled with the
debtor's own ID number, mobile and address and a third person's, some of them exposed, and a payout
portal link. The pages are not a hand list: every route of the URLconf (the JSON API included) is
requested anonymously with sample arguments; whatever answers without asking for a login is public, is
scanned, has its same-site links followed and its GET forms submitted with the listed debtors' names
(and name + ID number). Each answer is checked against the raw values stored in the database and
against generic patterns.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories
from zhixing.cases import services as case_services
from zhixing.cases.models import OPEN_STATUSES, Party
from zhixing.courts.models import Staff
from zhixing.credit import services
from zhixing.credit.models import Listing
from zhixing.funds.models import PortalToken
from zhixing.funds.services.portal import issue_token

THIRD_ID = factories.make_id(date(1999, 9, 9), area="440104", seq=246)
THIRD_MOBILE = "13912345678"
RAW_ID = re.compile(r"(?<![0-9A-Za-z*])\d{17}[\dXx](?![0-9A-Za-z])")
RAW_MOBILE = re.compile(r"(?<![0-9A-Za-z*])1[3-9]\d{9}(?![0-9A-Za-z])")
RAW_ADDRESS = re.compile(r"[\u4e00-\u9fff](?:路|街|巷|弄|村|道|里)[0-9一二三四五六七八九十]+(?:号|栋|弄)")
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


# -- data ----------------------------------------------------------------------
def _judge(court: Any) -> Staff:
    return Staff.objects.filter(court=court, role="judge", is_active=True).order_by("pk").first()


def list_debtors_carelessly() -> list[Listing]:
    """On the loaded demo (of 100 cases: the demos themselves list a few): six persons and two companies
    listed with their raw identifiers in the free text, every other one exposed, and a payout portal link."""
    debtors = list(
        Party.objects.filter(role="debtor", is_minor=False, case__status__in=OPEN_STATUSES)
        .exclude(pk__in=Listing.objects.filter(status="active").values("party"))  # the demo lists a few
        .select_related("case__court")
        .order_by("pk")
    )
    persons = [p for p in debtors if p.kind == "person" and p.address and p.phone][:6]
    units = [p for p in debtors if p.kind == "organisation"][:2]
    assert len(persons) == 6 and len(units) == 2, "the demo changed: too few open debtors"
    listed = []
    for i, p in enumerate(persons + units):
        act = (
            f"将位于{p.address}的房产转让给其子（身份证号{THIRD_ID}，手机{THIRD_MOBILE}）；"
            f"被执行人联系电话{p.phone}，证件号{p.id_number or p.credit_code}"
        )
        judge = _judge(p.case.court)
        case_services.issue_and_serve_notice(judge, p.case, on=p.case.filed_on)  # 失信规定 Art 5(1)
        x = services.list_debtor(judge, p.case, p, services.ListingData(ground=3, dishonest_act=act[:300]))
        if i % 2 == 0:
            services.expose(judge, x, address=p.address)
        listed.append(x)
    applicant = persons[0].case.parties.get(role="applicant")
    issue_token(_judge(persons[0].case.court), persons[0].case, applicant.pk)
    return listed


def _secrets() -> tuple[set[str], set[str], set[str]]:
    """Raw values that must never appear: every person's ID number, every mobile, every address."""
    ids = set(Party.objects.filter(kind="person").exclude(id_number="").values_list("id_number", flat=True))
    ids |= {THIRD_ID}
    phones = {
        p for p in Party.objects.exclude(phone="").values_list("phone", flat=True) if RAW_MOBILE.search(p)
    }
    phones |= {THIRD_MOBILE}
    addresses = set(Party.objects.exclude(address="").values_list("address", flat=True))
    return ids, phones, addresses


# -- discovery ----------------------------------------------------------------------
def _routes(resolver: Any = None, prefix: str = "") -> Iterator[str]:
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p, route)
        elif isinstance(p, URLPattern):
            yield route


def _concrete(route: str, samples: dict[str, list[str]]) -> list[str]:
    """Paths for a route: each parameter replaced by sample values of its converter (regex routes
    with groups, only the admin's, are tried with their first literal alternative)."""
    if route.startswith("^") or "(?P<" in route:
        route = re.sub(r"\(\?P<\w+>([^|)]+)[^)]*\)", r"\1", route).lstrip("^").rstrip("$").replace("\\", "")
    params = _PARAM.findall(route)
    if not params:
        return ["/" + route]
    pools = [samples.get(conv or "str", samples["str"]) for conv, _ in params]
    out = []
    for combo in itertools.islice(itertools.product(*pools), 30):
        values = iter(combo)
        out.append("/" + _PARAM.sub(lambda _m: next(values), route))
    return out


class _Page(HTMLParser):
    """Links and GET forms (with their input names) of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self.forms.append((a.get("action") or "", []))
        elif tag == "input" and self.forms and a.get("name") and a.get("type") != "hidden":
            self.forms[-1][1].append(a["name"] or "")


class Crawler:
    def __init__(self, client: Client) -> None:
        self.client = client
        self.addresses = (f"10.{i // 65536}.{i // 256 % 256}.{i % 256}" for i in itertools.count(1))
        self.public: dict[str, str] = {}  # URL (with query) → body text
        self.status: dict[str, int] = {}
        self.private: set[str] = set()

    def get(self, path: str, params: dict[str, str] | None = None) -> tuple[int, str]:
        # Each request from its own address: the crawler must not be stopped by the per-client budget.
        r = self.client.get(path, params or {}, REMOTE_ADDR=next(self.addresses))
        if r.get("Content-Type", "").startswith("application/json"):
            body = json.dumps(r.json(), ensure_ascii=False)
        else:
            body = b"".join(r.streaming_content).decode() if r.streaming else r.content.decode()
        return r.status_code, body

    def visit(self, path: str, params: dict[str, str] | None = None) -> bool:
        """GET anonymously; keep the answer if it did not ask for a login (or refuse, or not exist)."""
        key = path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
        if key in self.public or key in self.private:
            return key in self.public
        status, body = self.get(path, params)
        if status in (301, 302, 401, 403, 404, 405):
            self.private.add(key)
            return False
        self.public[key], self.status[key] = body, status
        return True


def _without_examples(doc: Any) -> Any:
    """The OpenAPI document without its request examples: fixed sample values, not anybody's data
    (cases/schemas.py shows a sample filing with a checksum-valid ID number)."""
    if isinstance(doc, dict):
        return {k: _without_examples(v) for k, v in doc.items() if k not in ("example", "examples")}
    if isinstance(doc, list):
        return [_without_examples(v) for v in doc]
    return doc


def _queries(listed: list[Listing]) -> list[dict[str, str]]:
    out = []
    for x in listed:
        out += [{"q": x.name}, {"q": x.name, "id": x.subject_key}]
    return out


def check_no_public_page_shows_a_raw_identifier(listed: list[Listing], client: Client) -> None:
    """Crawl as `client` (anonymous) and fail on any raw identifier, or on a public page not found."""
    samples = {
        "int": sorted({str(v) for x in listed[:2] for v in (x.pk, x.case_id, x.party_id)}),
        "str": [t.token for t in PortalToken.objects.all()] + ["x"],
    }
    samples["slug"] = samples["path"] = samples["str"]
    crawler = Crawler(client)
    todo = [path for route in _routes() for path in _concrete(route, samples)]
    seen: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen or path.startswith("/static/"):
            continue
        seen.add(path)
        if not crawler.visit(path):
            continue
        page = _Page()
        page.feed(crawler.public[path])
        todo += [h.split("#")[0] for h in page.links if h.startswith("/") and "?" not in h]
        for h in (h for h in page.links if h.startswith("/") and "?" in h):
            base, _, query = h.partition("?")
            crawler.visit(base, dict(p.split("=", 1) for p in query.split("&") if "=" in p))
        for action, names in page.forms:
            for q in _queries(listed):
                crawler.visit(action or path, {k: v for k, v in q.items() if k in names})
    # API operations that answered "missing parameter" take a query: ask them the same questions.
    for api in [p for p, code in crawler.status.items() if p.startswith("/api/") and code == 422]:
        for q in _queries(listed):
            crawler.visit(api, q)

    # Coverage: the crawl found the public pages and the listed debtors on them.
    found = {k.split("?")[0] for k in crawler.public}
    assert {"/public/blacklist/", "/public/exposure/", "/api/v1/public/blacklist", "/login/"} <= found
    assert any(k.startswith("/portal/payout/") for k in found)
    assert not any(k.startswith("/cases/") or k.startswith("/credit/") for k in found)
    answers = [b for k, b in crawler.public.items() if "?q=" in k]
    assert len(answers) >= 4 * len(listed)  # page and API, by name and by name + ID, each debtor
    assert all(x.name in crawler.public[f"/public/blacklist/?q={x.name}"] for x in listed)
    assert "转让给其子" in crawler.public["/public/exposure/"]  # the free text is shown, masked

    ids, phones, addresses = _secrets()
    for url, body in crawler.public.items():
        if url == "/api/openapi.json":
            body = json.dumps(_without_examples(json.loads(body)), ensure_ascii=False)
        assert not RAW_ID.search(body), (url, RAW_ID.search(body))
        assert not RAW_MOBILE.search(body), (url, RAW_MOBILE.search(body))
        assert not RAW_ADDRESS.search(body), (url, RAW_ADDRESS.search(body))
        leaked = [v for v in ids | phones | addresses if v in body]
        assert not leaked, (url, leaked)
