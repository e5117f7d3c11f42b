"""Objections API: the outcome of a third-party objection after its ruling — the suit's end with its
outcome, and the retrial route (依照审判监督程序办理, CPL-2023 Art 238) instead of a suit.

POST /api/v1/objections/{id}/suit-ended — the suit ended (`outcome` objector_lost / objector_won / "").
POST /api/v1/objections/{id}/retrial — a retrial application filed (date, court, reference).
POST /api/v1/objections/{id}/retrial-decision — the application dismissed or retrial ordered.

The suit filed is `POST /api/v1/objections/{id}/suit` (api.py). Same scoping and errors as api.py: 404
for an objection the caller cannot read, 403 for a role or court that may not record it, 4xx naming the
field for bad input, nothing written.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema

from . import retrial, services
from .api import ObjectionOut, _objection, _run, out, router


class SuitEndIn(Schema):
    """The suit's end: `outcome` "objector_lost" (案外人败诉), "objector_won" (案外人胜诉) or "" (not
    recorded: the block ends, nothing else follows)."""

    ended_on: str
    outcome: str = ""


class RetrialIn(Schema):
    filed_on: str
    court: str
    number: str


class RetrialDecisionIn(Schema):
    """`granted` True: retrial ordered (the case suspended, the asset stays blocked); False: dismissed."""

    granted: bool
    decided_on: str
    document_ref: str


@router.post("/objections/{pk}/suit-ended", response=ObjectionOut)
def suit_ended(request: HttpRequest, pk: int, body: SuitEndIn) -> dict[str, Any]:
    """The suit ended (effective judgment or ruling) with its outcome: the objector lost → a suspended lot
    resumes; won → the asset's controls are released (the consequence table)."""
    o = _objection(request, pk)
    return out(
        _run(
            lambda: services.end_suit(
                request.user, o, ended_on=body.ended_on, objector_won=body.outcome or None
            )
        )
    )


@router.post("/objections/{pk}/retrial", response=ObjectionOut)
def retrial_filed(request: HttpRequest, pk: int, body: RetrialIn) -> dict[str, Any]:
    """A retrial application (审判监督程序) filed instead of a suit: the asset stays blocked meanwhile."""
    o = _objection(request, pk)
    return out(
        _run(
            lambda: retrial.file_retrial(
                request.user, o, filed_on=body.filed_on, court=body.court, number=body.number
            )
        )
    )


@router.post("/objections/{pk}/retrial-decision", response=ObjectionOut)
def retrial_decision(request: HttpRequest, pk: int, body: RetrialDecisionIn) -> dict[str, Any]:
    """The retrial application decided: dismissed (the ruling final, its consequences applied) or retrial
    ordered (the case suspended for retrial, the asset stays blocked)."""
    o = _objection(request, pk)
    return out(
        _run(
            lambda: retrial.decide_retrial(
                request.user,
                o,
                granted=body.granted,
                decided_on=body.decided_on,
                document_ref=body.document_ref,
            )
        )
    )
