"""What tests/services/test_demo_world.py expects of the demo: every module's states, the audit log read in
words, the 执转破 demo's cases, the money pages (moved out of the test module to keep it short)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from zhixing.analytics.models import ImportJob, PropertyLead
from zhixing.auctions.models import Lot
from zhixing.cases.demo import bankruptcy as bankruptcy_demo
from zhixing.cases.models import BankruptcyTransfer, CoerciveMeasure, EnforcementCase
from zhixing.core.audit_catalogue import describe
from zhixing.core.models import AuditRecord
from zhixing.courts.models import Staff
from zhixing.credit.models import (
    CreditRepair,
    ExposureNotice,
    Interception,
    Listing,
    ListingApplication,
    ListingNotice,
    Restriction,
)
from zhixing.documents.models import Delivery, Service
from zhixing.entrust.models import Entrustment
from zhixing.funds.models import IncomeWithholding, Payout, Receipt, Reconciliation
from zhixing.inquiry.models import InquiryRequest, ReinquiryNotice
from zhixing.measures.models import Proposal
from zhixing.objections.models import Objection
from zhixing.portal.models import PartyMessage

EXPECTED: dict[str, tuple[Any, str, set[str]]] = {
    # auctions (issue 18): announced (upcoming, live, re-auction), sold, confirmed, failed, defaulted,
    # set off; suspended by a pending third-party or reference-price objection (issue 19)
    "auctions.lot": (
        Lot,
        "status",
        {"announced", "sold", "confirmed", "failed", "defaulted", "set_off", "suspended"},
    ),
    # credit: listings (active, deleted), applications, restrictions, exposure deliveries
    "credit.listing": (Listing, "status", {"active", "removed", "revoked"}),  # revoked: act objection
    "credit.application": (ListingApplication, "status", {"pending", "granted", "rejected"}),
    "credit.restriction": (Restriction, "status", {"active", "lifted"}),
    # withdrawing: the settlement demo closes a performed case, whose exposure is being taken down
    "credit.exposure": (
        ExposureNotice,
        "status",
        {"queued", "sent", "refused", "failed", "withdrawing", "withdrawn"},
    ),
    "credit.partner_check": (Interception, "partner__kind", {"airline", "railway"}),
    # funds: receipts identified and not, payouts through every step, reconciliation
    "funds.receipt": (Receipt, "status", {"booked", "claimed", "unidentified", "returning", "returned"}),
    "funds.payout": (
        Payout,
        "status",
        {"proposed", "approved", "sending", "paid", "failed", "rejected", "cancelled"},
    ),
    "funds.reconciliation": (Reconciliation, "status", {"balanced", "differences", "confirmed"}),
    # income withholding (CPL-2023 Art 254): an order bringing money in, one lifted
    "funds.withholding": (IncomeWithholding, "status", {"active", "lifted"}),
    # analytics: imports done and rejected, leads in every state
    "analytics.import": (ImportJob, "status", {"done", "rejected"}),
    "analytics.lead": (
        PropertyLead,
        "state",
        {"new", "requested", "found", "not_found", "field", "verified"},
    ),
    # inquiry: requests waiting for approval, pending, answered, failed
    "inquiry.request": (InquiryRequest, "status", {"awaiting_approval", "pending", "done", "failed"}),
    # credit, issue 14 items 7 and 9: Art 8 notices delivered, awaiting acknowledgement, failed; repairs
    "credit.art8_notice": (ListingNotice, "status", {"queued", "acknowledged", "sent", "failed"}),
    "credit.repair": (CreditRepair, "status", {"pending", "granted"}),
    # measures: proposals open and decided
    "measures.proposal": (Proposal, "status", {"open", "accepted", "declined", "superseded"}),
    # issue 17 items 2-3: e-service in every proof state, portal messages and leads
    "documents.service": (Service, "status", {"serving", "served", "failed"}),
    "documents.delivery": (Delivery, "status", {"queued", "delivered", "failed"}),
    "portal.party_message": (PartyMessage, "kind", {"message", "lead"}),
    # issue 20 item 2: 终本 re-inquiry results served electronically on the applicant, or waiting
    "inquiry.reinquiry_notice": (ReinquiryNotice, "status", {"to_serve", "served"}),
    # issue 20: coercive measures of every kind and state, entrustments in every state
    "cases.coercion": (CoerciveMeasure, "status", {"proposed", "approved", "refused"}),
    "cases.coercion_kind": (CoerciveMeasure, "kind", {"fine", "detention", "summons", "search"}),
    "cases.bankruptcy": (BankruptcyTransfer, "consent_by", {"applicant"}),
    "entrust.entrustment": (Entrustment, "status", {"sent", "started", "filed", "done", "closed"}),
    # issue 19: a third-party objection's retrial application pending instead of a suit; objections filed
    # at the counter and online (a party on the portal, a third party and an interested person in public)
    "objections.retrial": (Objection, "retrial_state", {"", "pending"}),
    "objections.channel": (Objection, "channel", {"counter", "online"}),
}


CODE = re.compile(r"[a-z][a-z0-9]*(?:[_.][a-z0-9]+)*")
# Fields whose value is an identifier, not a word: a file's hash, a sign-in name, a preset or partner code,
# a stored file's path.
CODE_FIELDS = {"文件摘要", "文件指纹", "证据包摘要", "用户名", "代码", "单位代码", "存储位置"}
# A SHA-256 digest in any field is an identifier too: one that happens to start with a letter reads as a
# lowercase code (CI on another date drew 'aaf9…' for the evidence bundle's digest).
DIGEST = re.compile(r"[0-9a-f]{64}")


def untranslated_audit_values() -> dict[tuple[str, str], set[str]]:
    """(action, field label) → the bare lowercase codes its values showed, over the demo's audit log."""
    found: dict[tuple[str, str], set[str]] = {}
    for r in AuditRecord.objects.order_by("pk").iterator(chunk_size=2000):
        for f in describe(r.action, r.before, r.after):
            if f.label in CODE_FIELDS:
                continue
            codes = {
                v.strip()
                for v in re.split(r"[、，,；：→]", f.text)
                if CODE.fullmatch(v.strip()) and len(v.strip()) > 2 and not DIGEST.fullmatch(v.strip())
            }
            if codes:
                found.setdefault((r.action, f.label), set()).update(codes)
    return found


def bankruptcy_demo_cases() -> int:
    """The cases the 执转破 demo files against its candidate companies (as many as its filings pass)."""
    creditors = [name for name, _ in bankruptcy_demo.CREDITORS]
    return (
        EnforcementCase.objects.filter(parties__role="applicant", parties__name__in=creditors)
        .distinct()
        .count()
    )


def pages_open_on_demo_cases(demo: list[EnforcementCase]) -> None:
    """缴款须知 opens for the case's own court staff and higher courts; a sibling court gets a 404."""
    client = Client()
    for who, status in (("th_judge1", 200), ("th_finance", 200), ("gz_director", 200), ("yx_director", 404)):
        client.force_login(Staff.objects.get(username=who))
        for case in demo:
            r = client.get(reverse("funds_instructions", args=[case.pk]))
            assert r.status_code == status
            if status == 200:
                assert 'id="instr-account"' in r.content.decode()
            assert client.get(reverse("funds_case_money", args=[case.pk])).status_code == status


def finance_and_approvals_show_work() -> None:
    client = Client()
    client.force_login(Staff.objects.get(username="th_finance"))
    page = client.get(reverse("funds_finance")).content.decode()
    assert "银行来款通知" in page and "send-btn" in page
    assert page.count("data-receipt=") == 2 and page.count("data-returning=") == 1
    client.force_login(Staff.objects.get(username="th_director"))
    assert client.get(reverse("funds_approvals")).content.decode().count("data-payout=") == 1
