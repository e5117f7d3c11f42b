"""What the case money page and the director page show of payout clocks and holds (reads only)."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhixing.cases.models import EnforcementCase
from zhixing.courts.queries import readable_courts

from . import conf, queries_holds
from .services.holds import can_hold


def clock_context(case: EnforcementCase, user: Any, today: date) -> dict[str, Any]:
    lines = queries_holds.held_lines(case)
    return {
        "clocks": queries_holds.case_clocks(case, today),
        "holds": queries_holds.case_holds(case),
        "held_lines": lines,
        "held_total": queries_holds.held_amount(case),
        "hold_reasons": [r for r in conf.hold_reasons().values() if not r.automatic],
        "can_hold": can_hold(user, case),
        "today": today,
    }


def director_clock_context(user: Any, today: date) -> dict[str, Any]:
    ids = list(readable_courts(user).values_list("pk", flat=True))
    return {
        "overdue_clocks": queries_holds.overdue_clocks(user, today),
        "clock_overdue_by_court": queries_holds.overdue_by_court(ids, today),
        "holds_by_court": queries_holds.held_by_court(ids),
    }
