"""The readers the command center takes from domains that do not import it (command.sources).

Cases, the portal and auctions sit below the command center: they cannot register themselves without
importing it, so the command center registers their query functions here, adapting each answer to the
contract `sources` states. Called once from CommandConfig.ready().
"""

from __future__ import annotations

from datetime import date
from typing import Any

from zhixing.auctions import queries as auction_queries
from zhixing.cases import queries_dormant
from zhixing.objections import queries as objection_queries
from zhixing.portal import queries_petitions

from . import sources


def dormant_compliance(court_ids: list[int], start: date, end: date) -> dict[str, int]:
    """终本合格率's counts: cases closed as 终本 in the period and those meeting the standards (R-5.12)."""
    scored = queries_dormant.dormant_compliance(court_ids, start, end)
    return {"closed": scored.total, "compliant": scored.compliant}


def dormant_without_preconditions(court_ids: list[int], start: date, end: date) -> list[dict[str, Any]]:
    """终本 closings that lacked a precondition, for the higher court's supervision page."""
    scored = queries_dormant.dormant_compliance(court_ids, start, end)
    return [
        {
            "case_id": c.case_id,
            "number": c.number,
            "court_id": c.court_id,
            "closed_on": c.closed_on,
            "missing": "、".join(c.missing),
        }
        for c in scored.cases
        if not c.compliant
    ]


def install() -> None:
    sources.register("dormant_compliance", dormant_compliance)
    sources.register("dormant_without_preconditions", dormant_without_preconditions)
    sources.register("petition_counts", queries_petitions.petition_counts)
    sources.register("auctions_live", auction_queries.live_counts)
    sources.register("objection_counts", objection_queries.objection_counts)
