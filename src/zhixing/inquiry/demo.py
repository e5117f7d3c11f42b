"""Demo controls over time (`manage.py inquiry_demo_controls`, run by `seed_demo`).

For each basic court, a few open cases get controls found at the sandbox institutions (the same refs the
sandbox derives for the debtor, so renewals sent from the demo are answered) in every state the
controls-over-time pages show: freezes and seizures expiring within the warning window, a freeze past
its last day (lapsed by the term sweep, with its alert), a seizure queued (轮候) behind another court's,
and a queued seizure that took effect when the other court lifted its own. Then the term sweep runs, so
the list, the alerts and the nav badge have data on a fresh `make run`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import OPEN_STATUSES, CaseStatus, EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import ServiceError
from zhixing.courts.models import Court, CourtLevel
from zhixing.courts.roles import Role
from zhixing.partners.sandbox.holdings import Holding, holdings

from . import rules
from .models import Action, Asset, InquiryRequest, Partner
from .services import controls, expiry

TERM_DAYS = {"funds": 365, "movable": 730, "real_estate": 1095}


@dataclass
class Made:
    courts: int = 0
    assets: int = 0


def _subject(party: Party) -> str:
    return party.id_number or party.credit_code or ""


def _candidates(court: Court, limit: int = 300) -> Iterator[tuple[EnforcementCase, Party]]:
    """Open, assigned cases of the court (judge1's first, so the demo login sees them) with a debtor."""
    cases = (
        EnforcementCase.objects.filter(court=court, status__in=OPEN_STATUSES, handler__isnull=False)
        .select_related("handler")
        .order_by("handler__username", "id")[:limit]
    )
    debtors: dict[int, Party] = {}
    for p in Party.objects.filter(case__in=cases, role=Party.Role.DEBTOR).order_by("id"):
        if _subject(p):
            debtors.setdefault(p.case_id, p)
    for case in cases:
        if case.pk in debtors:
            yield case, debtors[case.pk]


def _holding(party: Party, codes: tuple[str, ...], prior: bool | None = None) -> tuple[str, Holding] | None:
    for code in codes:
        for h in holdings(code, _subject(party)):
            if h.closed or h.value <= 0 or (prior is not None and bool(h.prior_seizures) != prior):
                continue
            return code, h
    return None


def _asset(case: EnforcementCase, party: Party, code: str, h: Holding) -> Asset:
    partner = Partner.objects.select_related("category").get(code=code)
    asset, _ = Asset.objects.get_or_create(
        case=case,
        party=party,
        partner=partner,
        ref=h.ref,
        defaults={
            "category": partner.category,
            "kind": h.kind,
            "description": h.description,
            "value": h.value,
            "divisible": h.divisible,
            "details": {"prior_seizures": h.prior_seizures},
            "found_at": timezone.now() - timedelta(days=400),
        },
    )
    return asset


def _control(
    asset: Asset, *, state: str, start: date, rank: int | None = None, effective: bool = True
) -> None:
    kind = asset.category.asset_kind
    asset.state = state
    asset.control_start, asset.control_expires = start, rules.control_expiry(start, kind)
    asset.effective_on = start if effective else None
    if state == Asset.State.FROZEN:
        asset.frozen_amount = min(asset.value, Decimal("20000.00"))
    else:
        asset.seizure_rank, asset.registered_on = rank, start
    asset.save()


BANKS = ("BANK-ICBC", "BANK-WEBANK", "PAY-ALIPAY", "BANK-WMP")
WHOLE = ("REG-ESTATE", "MPS-VEHICLE")


def seed_court(court: Court, today: date) -> int:
    """The demo controls of one court; returns how many assets were controlled."""
    plan = [
        # (what, institutions to look at, whether another court must have seized the holding first)
        ("freeze_warn", BANKS, None),
        ("seize_warn", WHOLE, None),
        ("freeze_lapsed", BANKS, None),
        ("queued", WHOLE, True),
        ("took_effect", WHOLE, True),
        ("freeze_ok", BANKS, None),
    ]
    made: list[Asset] = []
    used: set[int] = set()
    candidates = list(_candidates(court))
    for what, codes, prior in plan:
        # A queued seizure wants a holding the sandbox says another court seized first; failing that, any.
        tries = [prior, None] if prior is not None else [None]
        pick = next(
            (
                (case, party, found)
                for want in tries
                for case, party in candidates
                if case.pk not in used and (found := _holding(party, codes, want)) is not None
            ),
            None,
        )
        if pick is None:
            continue
        case, party, found = pick
        used.add(case.pk)
        code, h = found
        a = _asset(case, party, code, h)
        term = TERM_DAYS[a.category.asset_kind]
        if what == "freeze_warn":
            _control(a, state=Asset.State.FROZEN, start=today - timedelta(days=term - 12))
        elif what == "seize_warn":
            _control(a, state=Asset.State.SEIZED, start=today - timedelta(days=term - 25), rank=1)
        elif what == "freeze_lapsed":
            _control(a, state=Asset.State.FROZEN, start=today - timedelta(days=term + 4))
        elif what == "queued":
            _control(a, state=Asset.State.QUEUED, start=today - timedelta(days=60), rank=2, effective=False)
        elif what == "took_effect":  # queued 200 days ago; the other court lifted its seizure 12 days ago
            _control(a, state=Asset.State.QUEUED, start=today - timedelta(days=200), rank=2, effective=False)
            a.refresh_from_db()
            expiry.set_rank(a, 1, today - timedelta(days=12), why="演示：前手法院解除查封", source="demo")
        else:
            _control(a, state=Asset.State.FROZEN, start=today - timedelta(days=100))
        made.append(a)
    if made:
        audit.record(
            None,
            "inquiry.demo.controls",
            object_type="Court",
            object_id=court.pk,
            court=court,
            after={"assets": [[a.pk, a.case_id, a.ref] for a in made]},
        )
    return len(made)


def seed(today: date | None = None) -> Made:
    """Every basic court's demo controls, then the term sweep (warnings, the lapse and its alert)."""
    today = today or timezone.localdate()
    out = Made()
    for court in Court.objects.filter(level=CourtLevel.BASIC).order_by("path"):
        with transaction.atomic():
            n = seed_court(court, today)
        out.courts += bool(n)
        out.assets += n
    expiry.term_sweep(today)
    return out


def seed_awaiting_approval() -> int:
    """Per basic court, a freeze asked by the handling judge that waits for the next approver (issue 13:
    the director's queue of 待审批 control orders is not empty on a fresh `make run`). Run last by
    ``seed_demo`` (``inquiry_demo_approvals``), once the other demos have found the accounts it freezes."""
    made = 0
    for court in Court.objects.filter(level=CourtLevel.BASIC).order_by("path"):
        assets = (
            Asset.objects.filter(
                case__court=court,
                case__status=CaseStatus.IN_PROGRESS,
                case__handler__role=Role.JUDGE,
                kind=Asset.Kind.ACCOUNT,
                state=Asset.State.NONE,
            )
            .select_related("case__handler", "partner", "category", "case")
            .order_by("pk")[:60]
        )
        for asset in assets:
            if not asset.partner.supports(Action.FREEZE):
                continue
            amount = min(asset.value or Decimal("2000.00"), Decimal("2000.00"))
            try:
                req = controls.request_control(asset.case.handler, asset, Action.FREEZE, amount=amount)
            except ServiceError:
                continue
            if req.status == InquiryRequest.Status.AWAITING_APPROVAL:
                made += 1
                break
    return made
