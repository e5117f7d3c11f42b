"""The dormant-case registry (终本案件库): rows, search, export, attention for unsearchable cases, the
re-inquiry result told to the applicant (终本规定 Art 9(2)), the API and its scoping."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.inquiry.test_dormant import LAST, SH, conf, make_dormant, run  # noqa: F401  (fixture)
from zhixing.cases.models import EnforcementCase
from zhixing.core.models import AuditRecord
from zhixing.inquiry import queries_dormant_registry as registry
from zhixing.inquiry import services
from zhixing.inquiry.models import DormantAttention, DormantRound, InquiryRequest, ReinquiryNotice

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_registry_rows_attention_notice_search_export_and_api(people: dict[str, Any], conf: None) -> None:  # noqa: F811
    good = make_dormant(people)
    bad = make_dormant(people)
    bad.parties.filter(role="debtor").update(id_number="123")
    result = run(date(2026, 10, 11))
    assert (result.filed, [n for n, _ in result.skipped]) == (1, [bad.number])
    # The unsearchable case is kept on the attention list, once, refreshed each run.
    att = DormantAttention.objects.get()
    assert (att.case_id, att.since, att.last_seen) == (bad.pk, date(2026, 10, 11), date(2026, 10, 11))
    assert "没有有效的身份号码" in att.reason
    run(date(2026, 10, 12))
    att.refresh_from_db()
    assert (att.since, att.last_seen) == (date(2026, 10, 11), date(2026, 10, 12))
    assert AuditRecord.objects.filter(action="inquiry.dormant.attention").count() == 1
    # The good case's round answers empty: the applicant is told, the notice is kept to be served.
    periodic = InquiryRequest.objects.filter(case=good, requested_by__isnull=True)
    periodic.update(status="done", outcome={"found": 0})
    assert services.settle_rounds() == 1
    notice = ReinquiryNotice.objects.get()
    round_id = DormantRound.objects.get().pk
    assert (notice.case_id, notice.status, notice.round_id) == (good.pk, "to_serve", round_id)
    assert "2026年10月11日" in notice.content and "未发现可供执行的财产" in notice.content
    assert "不受申请执行时效期间的限制" in notice.content
    applicant = good.parties.get(role="applicant").name
    assert notice.addressees == applicant

    judge = people["judge"]
    rows, total = registry.page(judge)
    assert total == 2
    by_case = {r.case.pk: r for r in rows}
    assert (by_case[bad.pk].attention, by_case[good.pk].attention) == (True, False)
    assert by_case[good.pk].last_round.run_on == date(2026, 10, 11)
    assert by_case[good.pk].next_due == date(2027, 4, 11)
    assert by_case[good.pk].notices_to_serve == 1
    assert by_case[good.pk].owed == good.claim_amount - good.paid_amount

    c = client_for(judge)
    with CaptureQueriesContext(connection) as ctx:
        html = c.get(reverse("inquiry_dormant_registry")).content.decode()
    assert len(ctx.captured_queries) <= 24  # fixed: session, user, progress, attention, one page's reads
    assert 'id="dormant-attention"' in html and f'data-case="{bad.pk}"' in html
    assert 'data-attention="yes"' in html and "告知待送达 1" in html
    debtor = good.parties.get(role="debtor").name
    searched = c.get(reverse("inquiry_dormant_registry"), {"q": good.number}).content.decode()
    assert f'data-case="{good.pk}"' in searched
    found, n = registry.page(judge, q=debtor[:1])
    assert n >= 1 and good.pk in {r.case.pk for r in found}

    resp = c.get(reverse("inquiry_dormant_registry"), {"export": "xlsx"})
    assert resp.status_code == 200 and resp["X-Export-Rows"] == "2"
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")

    api = c.get("/api/v1/inquiry/dormant").json()
    assert api["total"] == 2 and {r["case_id"] for r in api["rows"]} == {good.pk, bad.pk}
    bad_row = next(r for r in api["rows"] if r["case_id"] == bad.pk)
    assert bad_row["attention"] is True and "没有有效的身份号码" in bad_row["problems"][0]


def test_a_next_query_day_past_without_a_round_is_red(people: dict[str, Any], conf: None) -> None:  # noqa: F811
    """The walk found next-query days as old as 2025-01-23 shown plainly: one past is flagged in red."""
    case = make_dormant(people)  # closed 2026-04-10: the first re-inquiry is due 2026-10-10
    c = client_for(people["judge"])
    with time_machine.travel(datetime(2026, 10, 9, 10, tzinfo=SH), tick=False):
        (row,) = registry.rows_of([case], date(2026, 10, 9))
        assert (row.next_due, row.overdue) == (date(2026, 10, 10), False)
        html = c.get(reverse("inquiry_dormant_registry")).content.decode()
        assert 'data-testid="dormant-overdue"' not in html
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=SH), tick=False):
        (row,) = registry.rows_of([case], date(2026, 11, 2))
        assert row.overdue
        html = c.get(reverse("inquiry_dormant_registry")).content.decode()
        flagged = r'data-overdue="1">2026-10-10 <span class="badge red" data-testid="dormant-overdue"'
        assert re.search(flagged, html)
    # once the round is filed the next day moves six months on and the flag goes
    run(date(2026, 11, 2))
    (row,) = registry.rows_of([case], date(2026, 11, 2))
    assert (row.next_due, row.overdue) == (date(2027, 5, 2), False)


@pytest.mark.parametrize(
    ("who", "status", "total"),
    [
        ("judge", 200, 1),
        ("clerk", 200, 1),
        ("gz_director", 200, 1),
        ("yx_director", 200, 0),
        ("anon", 401, None),
    ],
)
def test_registry_api_scoping(people: dict[str, Any], who: str, status: int, total: int | None) -> None:
    case = make_dormant(people)
    EnforcementCase.objects.filter(pk=case.pk).update(closed_on=LAST.date())
    c = Client() if who == "anon" else client_for(people[who])
    resp = c.get("/api/v1/inquiry/dormant")
    assert resp.status_code == status
    if total is not None:
        assert resp.json()["total"] == total


def test_sweep_dispatches_one_job_per_page_of_due_ids(
    people: dict[str, Any],
    conf: None,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    from zhixing.core import work

    cases = [make_dormant(people) for _ in range(3)]
    pages: list[tuple[list[int], str]] = []
    before = work.installed(services.PAGE_WORK)
    work.install(services.PAGE_WORK, lambda ids, day: pages.append((ids, day)))
    try:
        with django_capture_on_commit_callbacks(execute=True):  # the hook runs after commit
            swept = services.reinquiry_sweep(date(2026, 10, 11), page_size=2)
    finally:
        if before is not None:
            work.install(services.PAGE_WORK, before)
    assert (swept.selected, swept.pages) == (3, 2)
    assert pages == [([cases[0].pk, cases[1].pk], "2026-10-11"), ([cases[2].pk], "2026-10-11")]
    assert not DormantRound.objects.exists()  # selection and dispatch only: the page jobs file the rounds
    filed = services.reinquire_page(pages[0][0], date(2026, 10, 11))
    assert (filed.filed, DormantRound.objects.count()) == (2, 2)


def test_sweep_reads_ids_in_larger_pages_and_queues_jobs_of_the_page_size(
    people: dict[str, Any],
    conf: None,  # noqa: F811
) -> None:
    cases = [make_dormant(people) for _ in range(5)]
    pages: list[list[int]] = []
    swept = services.reinquiry_sweep(
        date(2026, 10, 11), page_size=2, read_size=3, dispatch=lambda ids, day: pages.append(ids)
    )
    ids = [c.pk for c in cases]
    assert pages == [ids[0:2], ids[2:3], ids[3:5]]  # reads of 3, 2; jobs of at most 2 within each read
    assert (swept.selected, swept.pages) == (5, 3)
    swept = services.reinquiry_sweep(
        date(2026, 10, 11), page_size=2, read_size=1, dispatch=lambda ids, day: pages.append(ids)
    )
    assert (swept.selected, swept.pages) == (5, 3)  # a read is never smaller than a page
