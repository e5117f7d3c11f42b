"""The privacy crawler: start from every public page, follow every link that stays public, and fail on any
unmasked resident ID number, mobile number or street address in any response (DESIGN invariant 9).

The data has something to leak: the portal's demo (`portal.demo_public.seed`: tips whose text carries a
phone and an address, rewards, petitions, codes), a published freeze ruling of a case whose debtor has an
ID number, phone and address on file and a frozen bank account, and a 失信 listing of that debtor.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.credit.conftest import ADULT_ID
from tests.documents.conftest import _media, full, quiet_inquiry  # noqa: F401  (fixtures)
from tests.funds.conftest import custody, receive  # noqa: F401  (fixture)
from tests.portal.conftest import DEBTOR_ADDRESS, DEBTOR_ID, DEBTOR_PHONE, person_case
from zhixing.core.redaction import find
from zhixing.documents import services as documents
from zhixing.portal import demo_public, public_codes, public_rulings
from zhixing.portal.models import PublishedRuling, RewardOffer, Tip

pytestmark = pytest.mark.django_db

PUBLIC_PREFIXES = ("/public/", "/auctions/")
_HREF = re.compile(r'href="([^"#]+)"')
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def _text(html: str) -> str:
    return unescape(_TAGS.sub(" ", html))


def _leaks(body: str, secrets: list[str]) -> list[str]:
    text = _text(body)
    found = [f"{f.kind}: {f.value}" for f in find(text)]
    return found + [f"raw: {s}" for s in secrets if s in body or s in text]


@pytest.fixture
def world(full: dict[str, Any], people: dict[str, Any], settings: Any) -> dict[str, Any]:  # noqa: F811
    settings.ZHIXING_PORTAL_PUBLIC = {"public_per_minute": 10_000, "code_tries_per_hour": 10_000}
    extra = [
        person_case(people["clerk"], people["judge"], people["director"], name=n)
        for n in ("王小明", "刘大海", "陈小红")
    ]
    receive(extra[0], "5000.00", "V-CRAWL-1")
    counts = demo_public.seed()
    doc = documents.generate(people["judge"], full["case"], "freeze_ruling", str(full["freeze"].pk))
    public_rulings.publish(people["judge"], doc.pk)
    return {"case": full["case"], "extra": extra, "counts": counts}


def test_no_public_page_shows_an_unmasked_identifier(world: dict[str, Any], people: dict[str, Any]) -> None:
    assert Tip.objects.filter(content=demo_public.LEAK_BAIT).exists()
    assert (
        RewardOffer.objects.filter(status="paid").exists()
        and RewardOffer.objects.filter(status="offered").exists()
    )
    ruling = PublishedRuling.objects.get()
    secrets = [DEBTOR_ID, DEBTOR_PHONE, DEBTOR_ADDRESS, ADULT_ID, "6222020200001234567", "13912345678"]
    secrets += list(Tip.objects.values_list("reporter_phone", flat=True))
    client = Client()
    start = [
        reverse("public_portal"),
        reverse("public_progress"),
        reverse("public_rulings"),
        reverse("public_rewards"),
        reverse("public_tip"),
        reverse("public_petition"),
        reverse("public_exposure"),
        reverse("public_blacklist") + "?q=张三",
        reverse("public_rulings") + "?q=冻结",
    ]
    seen: set[str] = set()
    queue = list(start)
    problems: dict[str, list[str]] = {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        body = resp.content.decode()
        if leaks := _leaks(body, secrets):
            problems[url] = leaks
        for href in _HREF.findall(body):
            target = urljoin(url, unescape(href))
            parts = urlsplit(target)
            if not parts.netloc and parts.path.startswith(PUBLIC_PREFIXES):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    # The progress page of a case whose parties carry every identifier, reached with its code (a POST).
    for case in [world["case"], *world["extra"]]:
        code = public_codes.code_of(case) or public_codes.issue(people["judge"], case)
        resp = client.post(reverse("public_progress"), {"number": case.number, "code": code.query_code})
        assert resp.status_code == 200 and case.number in resp.content.decode()
        if leaks := _leaks(resp.content.decode(), secrets):
            problems[f"progress {case.number}"] = leaks
    assert problems == {}
    # The crawl reached the pages that hold data, and that data was there (masked).
    assert reverse("public_ruling", args=[ruling.pk]) in seen
    ruling_page = client.get(reverse("public_ruling", args=[ruling.pk])).content.decode()
    assert "6222" not in ruling_page and "***4567" in ruling_page
    assert len(seen) >= 12


def test_the_crawler_would_catch_a_leak() -> None:
    """The detector itself: each kind of identifier, in clear, is reported; masked forms are not."""
    page = f"<td>{DEBTOR_ID}</td><td>手机 139 1234 5678</td><p>住{DEBTOR_ADDRESS}</p>"
    kinds = sorted(x.split(":")[0] for x in _leaks(page, []))
    assert kinds == ["address", "id", "phone"]
    assert _leaks("<td>4401**************</td><td>139****5678</td><td>广州市天河区****</td>", []) == []
