"""Impressions reported back by the sandbox's media partners over the signed callback, and shown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from zhixing.core import partner_protocol as protocol
from zhixing.credit import services
from zhixing.credit.models import ExposureNotice
from zhixing.credit.services import delivery
from zhixing.partners.sandbox.holdings import partner_secret

from .media_sandbox import MediaBox, listed_case, media

pytestmark = pytest.mark.django_db
N = ExposureNotice.Status


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    """Real time here (overrides the package's frozen clock): signatures carry timestamps."""
    yield


# -- impressions back over a signed callback ---------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_impressions_are_reported_back_and_shown(
    people: dict, box: MediaBox, settings: Any, live_server: Any
) -> None:
    settings.ZHIXING_PLATFORM_URL = live_server.url
    media("MEDIA-GZTV", "4401")
    media("MEDIA-THRM", "440106")
    x = listed_case(people)
    services.expose(people["judge"], x)
    delivery.dispatch_due()
    assert box.tick(120) == {"reported": 2, "accepted": 2, "groups": 2}
    assert box.tick(30)["accepted"] == 2
    rows = dict(ExposureNotice.objects.filter(listing=x).values_list("partner__code", "impressions"))
    assert rows == {"MEDIA-GZTV": 150, "MEDIA-THRM": 150}
    services.withdraw_exposure(None, x.case_id, x.party_id, "删除")
    delivery.dispatch_due()
    assert box.tick(500)["reported"] == 0
    assert set(ExposureNotice.objects.filter(listing=x).values_list("impressions", flat=True)) == {150}
    client = Client()
    client.force_login(people["judge"])
    page = client.get(f"/cases/{x.case_id}/credit/").content.decode()
    assert page.count('data-testid="exposure-impressions">150') == 4  # the debtor's card and the case's list
    assert 'data-status="withdrawn"' in page


# -- the callback endpoint -----------------------------------------------------------------------------------
CALLBACK = "/api/v1/credit/exposure/callback"


def callback(body: bytes, headers: dict[str, str]) -> Any:
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    return Client().post(CALLBACK, data=body, content_type="application/json", **extra)


def signed(code: str, payload: Any, secret: str | None = None) -> tuple[bytes, dict[str, str]]:
    body = protocol.encode_body(payload)
    return body, protocol.sign_headers(code, secret or partner_secret(code), "POST", CALLBACK, body, "imp-1")


def sent_notice(people: dict, box: MediaBox) -> ExposureNotice:
    media("MEDIA-GZTV", "4401")
    [n] = services.expose(people["judge"], listed_case(people))
    delivery.dispatch_due()
    n.refresh_from_db()
    return n


def test_signed_report_is_applied_and_a_smaller_total_changes_nothing(people: dict, box: MediaBox) -> None:
    n = sent_notice(people, box)
    body, headers = signed(
        "MEDIA-GZTV", {"partner": "MEDIA-GZTV", "reports": [{"notice": n.pk, "impressions": 900}]}
    )
    assert callback(body, headers).json() == {"detail": "ok", "applied": 1}
    body, headers = signed(
        "MEDIA-GZTV", {"partner": "MEDIA-GZTV", "reports": [{"notice": n.pk, "impressions": 800}]}
    )
    assert callback(body, headers).status_code == 200
    n.refresh_from_db()
    assert n.impressions == 900


@pytest.mark.parametrize(
    ("mutate", "status"),
    [
        ("unsigned", 401),
        ("wrong_secret", 401),
        ("unknown_partner", 401),
        ("malformed", 400),
        ("negative", 400),
        ("other_partners_notice", 404),
        ("withdrawn", 409),
        ("huge_count", 400),
        ("huge_notice", 404),
        ("float_count", 400),
        ("text_notice", 400),
    ],
)
def test_bad_reports_are_refused_and_change_nothing(
    people: dict, box: MediaBox, mutate: str, status: int
) -> None:
    n = sent_notice(people, box)
    media("MEDIA-SZNEWS", "4403")
    code, secret, count = "MEDIA-GZTV", None, 10
    if mutate == "wrong_secret":
        secret = "y" * 40
    if mutate == "unknown_partner":
        code = "MEDIA-NOBODY"
    if mutate == "other_partners_notice":
        code = "MEDIA-SZNEWS"
    if mutate == "negative":
        count = -1
    if mutate == "withdrawn":
        ExposureNotice.objects.filter(pk=n.pk).update(status=N.WITHDRAWN)
    notice: Any = n.pk
    if mutate == "huge_count":  # past the column: the database overflowed (a 500)
        count = 10**30
    if mutate == "huge_notice":
        notice = 10**30
    if mutate == "float_count":
        count = 12.5  # type: ignore[assignment]
    if mutate == "text_notice":
        notice = str(n.pk)
    body, headers = signed(
        code, {"partner": code, "reports": [{"notice": notice, "impressions": count}]}, secret
    )
    if mutate == "unsigned":
        headers = {"X-ZX-Partner": code}
    if mutate == "malformed":
        body = b'{"reports": "nope"'
        headers = protocol.sign_headers(code, partner_secret(code), "POST", CALLBACK, body, "k")
    assert callback(body, headers).status_code == status
    n.refresh_from_db()
    assert n.impressions == 0
