"""Exposure notices delivered to the sandbox's media partners over the signed protocol, over real HTTP.

The sandbox runs as its own process (it knows only the protocol). Time is real in this module: both
sides check the signature's timestamp, and the sandbox process is not frozen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.inquiry.conftest import ROOT, free_port
from zhixing.core.models import AuditRecord
from zhixing.credit import services
from zhixing.credit.models import ExposureNotice, Listing, Partner
from zhixing.credit.services import delivery
from zhixing.partners.sandbox.holdings import partner_secret

from .conftest import OTHER_ID, debtor, debtor_case, listing_data

pytestmark = pytest.mark.django_db
N = ExposureNotice.Status


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    """Real time here (overrides the package's frozen clock): signatures carry timestamps."""
    yield


class MediaBox:
    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, path: str, data: Any = None) -> Any:
        body = None if data is None else json.dumps(data).encode()
        req = urllib.request.Request(self.url + path, data=body, method="POST" if body is not None else "GET")
        with urllib.request.urlopen(req, timeout=20) as resp:
            return json.loads(resp.read())

    def publications(self) -> list[dict[str, Any]]:
        return list(self.call("/_sandbox/media")["publications"])

    def executions(self) -> dict[str, int]:
        return dict(self.call("/_sandbox/media")["executions"])

    def configure(self, code: str, **behaviour: Any) -> None:
        self.call("/_sandbox/config", {code: behaviour})

    def tick(self, views: int) -> dict[str, int]:
        return dict(self.call("/_sandbox/media/tick", {"views": views}))


@pytest.fixture(scope="module")
def media_process() -> Iterator[str]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src"), ZHIXING_SANDBOX_MEDIA_PERIOD="0")
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhixing.partners.sandbox", "--port", str(port)], cwd=ROOT, env=env
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_sandbox/stats", timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def box(media_process: str, settings: Any) -> MediaBox:
    b = MediaBox(media_process)
    b.call("/_sandbox/reset", {})
    settings.ZHIXING_SANDBOX_URL = media_process
    settings.ZHIXING_PLATFORM_URL = "http://127.0.0.1:9"  # no platform listening unless a test says so
    settings.ZHIXING_EXPOSURE = {"backoff_base": 0, "http_timeout": 3, "max_attempts": 3}
    return b


def media(code: str, area: str = "", **kw: Any) -> Partner:
    partner, _ = services.create_partner(
        None,
        name=kw.pop("name", code),
        kind="media",
        area_code=area,
        code=code,
        shared_secret=partner_secret(code),
    )
    return partner


def listed_case(people: dict, id_number: str | None = None) -> Listing:
    c = debtor_case(people["clerk"], **({"id_number": id_number} if id_number else {}))
    return services.list_debtor(people["judge"], c, debtor(c), listing_data())


def states(listing: Listing) -> dict[str, str]:
    return dict(ExposureNotice.objects.filter(listing=listing).values_list("partner__code", "status"))


# -- targeting -----------------------------------------------------------------------------------------
def test_expose_targets_media_covering_the_registration_area(people: dict, box: MediaBox) -> None:
    media("MEDIA-GZTV", "4401")
    media("MEDIA-SZNEWS", "4403")
    media("MEDIA-GDAPP", "44")
    media("MEDIA-THRM", "440106")
    media("MEDIA-NATION", "")
    media("MEDIA-BJ", "1101")
    x = listed_case(people)
    notices = services.expose(people["judge"], x)
    assert sorted(n.partner.code for n in notices) == [
        "MEDIA-GDAPP",
        "MEDIA-GZTV",
        "MEDIA-NATION",
        "MEDIA-THRM",
    ]
    assert {(n.area_code, n.status, n.attempts) for n in notices} == {("440106", "queued", 0)}
    assert services.expose(people["judge"], x) == []  # a partner holding a live notice gets no second one


def test_bad_area_code_is_refused(db: Any) -> None:
    with pytest.raises(services.partners.ServiceError) as e:
        services.create_partner(None, name="某台", kind="media", area_code="44010")
    assert e.value.field == "area_code"


# -- the round trip -----------------------------------------------------------------------------------------
def test_notice_is_delivered_signed_and_published_once(people: dict, box: MediaBox) -> None:
    media("MEDIA-GZTV", "4401")
    x = listed_case(people)
    [n] = services.expose(people["judge"], x)
    r = delivery.dispatch_due()
    assert (r.claimed, dict(r.counts)) == (1, {"done": 1})
    n.refresh_from_db()
    assert (n.status, n.attempts, n.reason) == (N.SENT, 1, "")
    assert n.partner_ref.startswith("MEDIA-GZTV-") and n.sent_at is not None
    [pub] = box.publications()
    assert (pub["partner"], pub["notice"], pub["area_code"]) == ("MEDIA-GZTV", str(n.pk), "440106")
    assert box.executions() == {n.idempotency_key: 1}
    assert AuditRecord.objects.filter(action="credit.exposure_delivery", object_id=str(n.pk)).exists()


def test_wrong_secret_is_refused_by_the_partner_and_retried(people: dict, box: MediaBox) -> None:
    p = media("MEDIA-GZTV", "4401")
    Partner.objects.filter(pk=p.pk).update(shared_secret="x" * 40)
    [n] = services.expose(people["judge"], listed_case(people))
    delivery.dispatch_once()
    n.refresh_from_db()
    assert n.status == N.QUEUED and n.attempts == 1 and "HTTP 401" in n.reason and "重试" in n.reason
    assert box.publications() == []


def test_out_of_area_notice_is_refused_with_the_partners_reason(people: dict, box: MediaBox) -> None:
    media("MEDIA-GZTV", "")  # the platform thinks it is nationwide; the partner covers Guangzhou only
    x = listed_case(people, OTHER_ID)  # registered in 110105 (Beijing, Chaoyang)
    [n] = services.expose(people["judge"], x)
    delivery.dispatch_due()
    n.refresh_from_db()
    assert n.status == N.REFUSED
    assert n.reason == "广州广播电视台仅受理4401地区的曝光，不覆盖北京市朝阳区（110105）"
    old_key = n.idempotency_key
    n = services.resend_exposure(people["judge"], n)
    assert (n.status, n.attempts) == (N.QUEUED, 0) and n.idempotency_key != old_key
    delivery.dispatch_due()
    n.refresh_from_db()
    assert n.status == N.REFUSED and box.publications() == []


def test_transient_failures_are_retried_with_the_same_key(people: dict, box: MediaBox) -> None:
    media("MEDIA-GZTV", "4401")
    box.configure("MEDIA-GZTV", fail_first=2)
    [n] = services.expose(people["judge"], listed_case(people))
    delivery.dispatch_due()
    n.refresh_from_db()
    assert (n.status, n.attempts) == (N.SENT, 3)
    assert box.executions() == {n.idempotency_key: 1}


def test_backoff_schedules_the_next_attempt(people: dict, box: MediaBox, settings: Any) -> None:
    settings.ZHIXING_EXPOSURE = {"backoff_base": 30, "max_attempts": 6, "http_timeout": 3}
    media("MEDIA-GZTV", "4401")
    box.configure("MEDIA-GZTV", fail_first=5)
    [n] = services.expose(people["judge"], listed_case(people))
    before = timezone.now()
    delivery.dispatch_due()  # one attempt: the next is not due for 30 s
    n.refresh_from_db()
    assert n.status == N.QUEUED and n.attempts == 1 and "第1次推送未成功：对方返回 HTTP 503" in n.reason
    assert timedelta(seconds=29) < n.due_at - before < timedelta(seconds=32)
    ExposureNotice.objects.filter(pk=n.pk).update(due_at=timezone.now())
    delivery.dispatch_due()
    n.refresh_from_db()
    assert n.attempts == 2 and timedelta(seconds=59) < n.due_at - before < timedelta(seconds=63)


def test_bounded_retries_end_in_failed_shown_and_resendable(people: dict, box: MediaBox) -> None:
    media("MEDIA-GZTV", "4401")
    box.configure("MEDIA-GZTV", fail_first=10)
    [n] = services.expose(people["judge"], listed_case(people))
    delivery.dispatch_due()
    n.refresh_from_db()
    assert n.status == N.FAILED and n.attempts == 3
    assert n.reason == "已推送3次均未成功：对方返回 HTTP 503"
    box.configure("MEDIA-GZTV")
    services.resend_exposure(people["judge"], n)
    delivery.dispatch_due()
    n.refresh_from_db()
    assert n.status == N.SENT and len(box.publications()) == 1


def test_lost_response_does_not_publish_twice(people: dict, box: MediaBox) -> None:
    media("MEDIA-GZTV", "4401")
    box.configure("MEDIA-GZTV", lose_response_every=1)
    [n] = services.expose(people["judge"], listed_case(people))
    delivery.dispatch_once()
    n.refresh_from_db()
    assert n.status == N.QUEUED and "HTTP 500" in n.reason
    box.configure("MEDIA-GZTV")
    delivery.dispatch_due()
    n.refresh_from_db()
    assert n.status == N.SENT and n.attempts == 2
    assert len(box.publications()) == 1 and box.executions() == {n.idempotency_key: 1}


def test_a_worker_crash_after_sending_loses_nothing_and_duplicates_nothing(
    people: dict, box: MediaBox
) -> None:
    """Claimed and sent, then the worker died before applying the answer: the lease runs out, the same
    key is sent again, the partner answers its first answer, one publication."""
    media("MEDIA-GZTV", "4401")
    [n] = services.expose(people["judge"], listed_case(people))
    assert delivery.claim(10) == [n.pk]
    n.refresh_from_db()
    delivery._send(
        n.partner, [ExposureNotice.objects.select_related("listing__case", "listing__court").get(pk=n.pk)]
    )
    assert delivery.claim(10) == []  # leased: no other worker takes it
    ExposureNotice.objects.filter(pk=n.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    delivery.dispatch_due()
    n.refresh_from_db()
    assert n.status == N.SENT and n.attempts == 2
    assert len(box.publications()) == 1 and box.executions() == {n.idempotency_key: 1}


def test_a_stale_answer_changes_nothing(people: dict, box: MediaBox) -> None:
    media("MEDIA-GZTV", "4401")
    [n] = services.expose(people["judge"], listed_case(people))
    delivery.dispatch_due()
    assert delivery.apply_answer(n.pk, n.idempotency_key, {"status": "error", "reason": "x"}) == "stale"
    n.refresh_from_db()
    assert n.status == N.SENT


def test_unknown_partner_code_is_retried_then_failed(people: dict, box: MediaBox) -> None:
    services.create_partner(None, name="未接入的媒体", kind="media", area_code="44")
    [n] = services.expose(people["judge"], listed_case(people))
    delivery.dispatch_due()
    n.refresh_from_db()
    assert n.status == N.FAILED and "HTTP 404" in n.reason


# -- withdrawal ---------------------------------------------------------------------------------------------
def test_withdrawal_reaches_the_partner_and_stops_views(people: dict, box: MediaBox) -> None:
    media("MEDIA-GZTV", "4401")
    media("MEDIA-GDAPP", "44")
    x = listed_case(people)
    services.expose(people["judge"], x)
    delivery.dispatch_due()
    assert services.withdraw_exposure(None, x.case_id, x.party_id, "失信信息已删除") == 2
    assert set(states(x).values()) == {N.WITHDRAWING}
    delivery.dispatch_due()
    assert set(states(x).values()) == {N.WITHDRAWN}
    assert all(p["withdrawn"] for p in box.publications())
    assert box.tick(100)["reported"] == 0  # withdrawn publications count no more views
    assert ExposureNotice.objects.filter(listing=x, withdraw_reason="失信信息已删除").count() == 2
    assert services.withdraw_exposure(None, x.case_id, x.party_id, "再次") == 0


def test_never_sent_notice_is_withdrawn_without_a_message(people: dict, box: MediaBox) -> None:
    media("MEDIA-GZTV", "4401")
    x = listed_case(people)
    [n] = services.expose(people["judge"], x)
    services.withdraw_exposure(None, x.case_id, x.party_id, "删除")
    n.refresh_from_db()
    assert n.status == N.WITHDRAWN and n.reason == "未送达媒体，直接撤回"
    assert delivery.dispatch_due().claimed == 0 and box.publications() == []


def test_late_publication_after_withdrawal_is_refused_by_the_partner(people: dict, box: MediaBox) -> None:
    """A publication whose answer was lost is withdrawn; a later re-send of it cannot resurrect it."""
    media("MEDIA-GZTV", "4401")
    x = listed_case(people)
    [n] = services.expose(people["judge"], x)
    box.configure("MEDIA-GZTV", fail_first=10)
    delivery.dispatch_due()  # FAILED: the partner may hold it, so withdrawal sends a message
    box.configure("MEDIA-GZTV")
    services.withdraw_exposure(None, x.case_id, x.party_id, "删除")
    delivery.dispatch_due()
    n.refresh_from_db()
    assert n.status == N.WITHDRAWN
    answer = box.call("/_sandbox/media")
    assert answer["publications"] == [] and len(answer["executions"]) == 1


def test_withdraw_needs_a_reason(people: dict, box: MediaBox) -> None:
    x = listed_case(people)
    with pytest.raises(services.partners.ServiceError) as e:
        services.withdraw_exposure(None, x.case_id, x.party_id, " ")
    assert e.value.field == "reason"


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
    from zhixing.core import partner_protocol as protocol

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
    body, headers = signed(
        code, {"partner": code, "reports": [{"notice": n.pk, "impressions": count}]}, secret
    )
    if mutate == "unsigned":
        headers = {"X-ZX-Partner": code}
    if mutate == "malformed":
        body = b'{"reports": "nope"'
        from zhixing.core import partner_protocol as protocol

        headers = protocol.sign_headers(code, partner_secret(code), "POST", CALLBACK, body, "k")
    assert callback(body, headers).status_code == status
    n.refresh_from_db()
    assert n.impressions == 0
