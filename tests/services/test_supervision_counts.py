"""Supervision counts (`queries.overdue_counts`): exact for a small court, equal to a recount from scratch.

The counts are read from indexes only (see the query's docstring); these tests pin what they mean: open
cases by status, pending nodes past their deadline per court and handler (with the handler's id), and
open cases past their enforcement term (审限规定 Art 5) — never a closed case, never a suspended one.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases import queries, queries_audit, services
from zhixing.cases.models import OPEN_STATUSES, EnforcementCase, Node
from zhixing.cases.queries import HandlerOverdue

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def cases(people: dict[str, Any], courts: dict[str, Any]) -> dict[str, EnforcementCase]:
    """天河: assigned, unassigned, suspended, closed; 越秀: one unassigned. Filed 2026-03-04."""
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=False):
        clerk, judge, director = people["clerk"], people["judge"], people["director"]
        out = {name: factories.case(clerk) for name in ("assigned", "unassigned", "suspended", "closed")}
        for name in ("assigned", "suspended", "closed"):
            services.assign_case(director, out[name], judge, on=date(2026, 3, 5))
        services.suspend_case(
            judge, out["suspended"], ground="applicant_agrees", start=date(2026, 3, 9), document_ref="之一"
        )
        services.close_case(
            judge,
            out["closed"],
            mode="withdrawn",
            closed_on=date(2026, 3, 10),
            details={"document_ref": "销案通知", "ground": "other"},
        )
        out["yx"] = factories.case(factories.staff(courts["yx"], "clerk"))
    return {name: EnforcementCase.objects.get(pk=c.pk) for name, c in out.items()}


def recount(user: Any, today: date) -> dict[str, tuple[int, int, int, list[tuple[int | None, int]]]]:
    """The same figures the slow way: every case and node of the readable courts, row by row."""
    rows = {r.court.code: r for r in queries.overdue_counts(user, today)}
    out: dict[str, tuple[int, int, int, list[tuple[int | None, int]]]] = {}
    for code, row in rows.items():
        court_cases = list(EnforcementCase.objects.filter(court=row.court))
        open_ = [c for c in court_cases if c.status in OPEN_STATUSES]
        term = [c for c in open_ if c.term_due is not None and c.term_due < today]
        late = Counter(
            n.handler_id
            for n in Node.objects.filter(court=row.court)
            if n.status == Node.Status.PENDING and n.due_on is not None and n.due_on < today
        )
        by_handler = sorted(late.items(), key=lambda t: (-t[1], t[0] or 0))
        out[code] = (len(open_), sum(late.values()), len(term), by_handler)
    return out


def figures(user: Any, today: date) -> dict[str, tuple[int, int, int, list[tuple[int | None, int]]]]:
    return {
        r.court.code: (
            r.open_cases,
            r.overdue_nodes,
            r.term_overdue,
            [(h.handler_id, h.count) for h in r.handlers],
        )
        for r in queries.overdue_counts(user, today)
    }


def test_counts_on_the_day_after_filing(cases: dict[str, EnforcementCase], people: dict[str, Any]) -> None:
    judge = people["judge"]
    rows = queries.overdue_counts(people["director"], date(2026, 3, 10))
    assert [r.court.code for r in rows] == ["粤0106"]
    th = rows[0]
    # Open: assigned, unassigned, suspended (the closed one is not). Overdue on 03-10: 发起网络查控 (due
    # 03-09) of the assigned and the unassigned case, and the assigned case's 告知申请执行人提供财产线索
    # (assigned 03-05 + 3 days = Sunday 03-08 → 03-09; 2006 期限规定 Art 5); the suspended case's were
    # paused from 03-09.
    assert (th.open_cases, th.overdue_nodes, th.term_overdue) == (3, 3, 0)
    assert th.handlers == [  # most first; on a tie 未分案 first, then by handler id
        HandlerOverdue(th.court.pk, judge.pk, judge.full_name, 2),
        HandlerOverdue(th.court.pk, None, "未分案", 1),
    ]


def test_term_overdue_counts_open_cases_only(
    cases: dict[str, EnforcementCase], people: dict[str, Any]
) -> None:
    today = date(2026, 9, 30)
    # The 6-month term (审限规定 Art 5) from filing on 2026-03-04 ends before 09-30 ...
    assert cases["assigned"].term_due is not None and cases["assigned"].term_due < today
    # ... the closed case keeps its term date but is no longer open; the suspended case's term is stopped.
    assert cases["closed"].term_due is not None and cases["closed"].term_due < today
    assert cases["suspended"].term_due is None
    got = figures(people["gd_president"], today)
    assert got["粤0106"][0] == 3 and got["粤0106"][2] == 2
    assert got["粤0104"][0] == 1 and got["粤0104"][2] == 1
    assert got["粤"] == got["粤01"] == got["粤03"] == got["粤0304"] == (0, 0, 0, [])


@pytest.mark.parametrize("today", [date(2026, 3, 4), date(2026, 3, 10), date(2026, 4, 20), date(2026, 9, 30)])
def test_counts_equal_a_recount_from_scratch(
    cases: dict[str, EnforcementCase], people: dict[str, Any], today: date
) -> None:
    for who in ("director", "gz_director", "gd_president"):
        assert figures(people[who], today) == recount(people[who], today)


def test_overdue_by_handler_is_the_per_handler_part(
    cases: dict[str, EnforcementCase], people: dict[str, Any]
) -> None:
    today = date(2026, 4, 20)
    rows = queries.overdue_counts(people["gd_president"], today)
    assert queries_audit.overdue_by_handler(people["gd_president"], today) == {
        r.court.pk: r.handlers for r in rows if r.handlers
    }
    assert sum(len(v) for v in queries_audit.overdue_by_handler(people["gd_president"], today).values()) == 3
