"""What the party portal shows a signed-in party, scoped to the (case, party) pairs of their phone.

`identity_for(phone, case_id)` is the gate of every case page: None for a case the phone is not a party
of (the view answers the same 404 as for a case that does not exist: nothing leaks). The case page reads
nodes done and due, the documents served on this party with their proof, node pushes, and by role the
applicant's controls and money received or the debtor's payment instructions with the case account.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zhixing.cases.models import CaseStatus, EnforcementCase, Node, Party, ResumptionRequest
from zhixing.documents.models import Delivery
from zhixing.funds import queries as funds
from zhixing.inquiry.models import Asset, ReinquiryNotice

from .models import PartyMessage
from .party_auth import Identity, identities

CONTROLLED = (Asset.State.FROZEN, Asset.State.SEIZED, Asset.State.QUEUED, Asset.State.DEDUCTED)


def identity_for(phone: str, case_id: Any) -> Identity | None:
    try:
        cid = int(case_id)
    except (TypeError, ValueError):
        return None
    return next((i for i in identities(phone) if i.case_id == cid), None)


def my_cases(phone: str) -> list[dict[str, Any]]:
    ids = identities(phone)
    cases = EnforcementCase.objects.select_related("court").in_bulk([i.case_id for i in ids])
    return [{"identity": i, "case": cases[i.case_id]} for i in ids if i.case_id in cases]


def served_documents(who: Identity) -> list[Delivery]:
    """This party's service messages on the portal channel or with a link, newest first."""
    return list(
        Delivery.objects.filter(case_id=who.case_id, party_id=who.party_id, purpose=Delivery.Purpose.SERVICE)
        .select_related("service", "service__document")
        .order_by("-id")
    )


def served_document(who: Identity, delivery_id: Any) -> Delivery | None:
    try:
        pk = int(delivery_id)
    except (TypeError, ValueError):
        return None
    return (
        Delivery.objects.filter(
            pk=pk, case_id=who.case_id, party_id=who.party_id, purpose=Delivery.Purpose.SERVICE
        )
        .select_related("service", "service__document")
        .first()
    )


def delivery_by_token(token: str) -> Delivery | None:
    if not token or len(token) > 64:
        return None
    return Delivery.objects.filter(token=token, purpose=Delivery.Purpose.SERVICE).first()


@dataclass
class Control:
    """An asset as the applicant sees it: its kind, state and value; the reference masked."""

    kind: str
    state: str
    ref: str
    value: Decimal | None
    frozen: Decimal


def _mask_ref(ref: str) -> str:
    return ref[:2] + "****" + ref[-4:] if len(ref) > 8 else "****"


def case_page(who: Identity) -> dict[str, Any]:
    case = EnforcementCase.objects.select_related("court").get(pk=who.case_id)
    nodes = list(
        Node.objects.filter(case_id=case.pk).select_related("node_type").order_by("started_on", "id")
    )
    ctx: dict[str, Any] = {
        "case": case,
        "who": who,
        "is_applicant": who.role == Party.Role.APPLICANT,
        "is_debtor": who.role == Party.Role.DEBTOR,
        "done": [n for n in nodes if n.status == Node.Status.DONE],
        "due": [n for n in nodes if n.status == Node.Status.PENDING],
        "documents": served_documents(who),
        "pushes": list(
            Delivery.objects.filter(
                case_id=case.pk, party_id=who.party_id, purpose=Delivery.Purpose.NODE_PUSH, channel="portal"
            ).order_by("-id")[:20]
        ),
        "my_messages": list(
            PartyMessage.objects.filter(case=case, party_id=who.party_id).order_by("-id")[:20]
        ),
    }
    if ctx["is_applicant"]:
        assets = Asset.objects.filter(case_id=case.pk, state__in=CONTROLLED).order_by("id")[:50]
        ctx["controls"] = [
            Control(a.get_kind_display(), a.get_state_display(), _mask_ref(a.ref), a.value, a.frozen_amount)
            for a in assets
        ]
        ctx["money"] = funds.case_money(case, limit=0)
    if ctx["is_applicant"] and case.status == CaseStatus.DORMANT:
        # 终本: the periodic re-inquiry results told to the applicant (Art 9(2)) and the right to ask to
        # resume at any time (Art 9(1)), with the applicant's own requests.
        ctx["dormant"] = {
            "notices": list(ReinquiryNotice.objects.filter(case_id=case.pk).order_by("-id")[:10]),
            "requests": list(
                ResumptionRequest.objects.filter(
                    case_id=case.pk, channel="portal", requested_by=who.name
                ).order_by("-id")[:10]
            ),
        }
    if ctx["is_debtor"]:
        ctx["account"] = funds.account_view(case)
        ctx["claim"] = case.claim_amount
        ctx["paid"] = case.paid_amount
    return ctx
