"""Exposure notices delivered to the sandbox's media partners over the signed protocol, over real HTTP.

The sandbox runs as its own process (it knows only the protocol). Time is real in this module: both
sides check the signature's timestamp, and the sandbox process is not frozen.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhixing.core.models import AuditRecord
from zhixing.credit import services
from zhixing.credit.models import ExposureNotice, Partner
from zhixing.credit.services import delivery

from .conftest import OTHER_ID
from .media_sandbox import MediaBox, listed_case, media, states

pytestmark = pytest.mark.django_db
N = ExposureNotice.Status


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    """Real time here (overrides the package's frozen clock): signatures carry timestamps."""
    yield


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
