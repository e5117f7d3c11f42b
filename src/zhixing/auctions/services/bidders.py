"""Bidders: real-name registration with a verified identity number, registration per lot with an
anonymous code, and the deposit paid into the court's auction-deposit account (网拍规定 Arts 17, 19)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.cases.models import Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.identity import IdentityError, check_resident_id, mask_id
from zhixing.inquiry.queries import case_claim

from .. import rules
from ..models import Bidder, Lot, Registration


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bidder_for_token(token: str) -> Bidder | None:
    if not token:
        return None
    return Bidder.objects.filter(token_hash=token_digest(token)).first()


def bidders_for_tokens(tokens: Iterable[str]) -> dict[str, Bidder]:
    """`bidder_for_token` for many tokens in one statement: each known token's bidder."""
    digests = {token_digest(t): t for t in tokens if t}
    if not digests:
        return {}
    return {digests[b.token_hash]: b for b in Bidder.objects.filter(token_hash__in=list(digests))}


# The refusal of a number that cannot be registered (already registered) does not say so in words; the
# registration pages are rate-limited per client (conf.register_per_hour), see docs/auctions.md.
NOT_REGISTERED = (
    "未能完成注册。如您已注册，请使用注册时获得的竞买凭证登录；"
    "如凭证遗失或身份被他人冒用，请携带身份证件到执行法院核实"
)
DEBTOR_BARRED = "被执行人不得参加本案拍卖财产的竞买（网拍规定）"


class DebtorBarred(ServiceError):
    """The case's own debtor may not bid for its seized property (403, field `lot`)."""

    status = 403


def register_bidder(name: str, id_number: str, phone: str = "") -> tuple[Bidder, str]:
    """Real-name registration: the identity number must pass the national check (GB 11643); returns the
    bidder and its sign-in token (shown once). A number already registered is refused."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ServiceError("请填写真实姓名（不超过64字）", field="name")
    try:
        # The normalised number (full-width folded, spaces dropped, x upper-cased) is what is stored and
        # compared, so one person's number written two ways is one bidder.
        number = check_resident_id(id_number or "", timezone.localdate()).number
    except IdentityError as exc:
        raise ServiceError(f"身份证号无效：{exc}", field="id_number") from exc
    phone = (phone or "").strip()[:20]
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            bidder = Bidder.objects.create(
                name=name,
                id_number=number,
                phone=phone,
                token_hash=token_digest(token),
                verified_at=timezone.now(),
            )
            audit.record(
                None,
                "auctions.bidder_register",
                object_type="auctions.Bidder",
                object_id=bidder.pk,
                after={"name": name, "id_number": mask_id(number)},
            )
    except IntegrityError as exc:
        raise Conflict(NOT_REGISTERED, field="id_number") from exc
    return bidder, token


def _barred(bidder: Bidder, lot: Lot) -> bool:
    """A buyer who defaulted on this asset is barred from its re-auction (Art 24)."""
    return Registration.objects.filter(
        bidder=bidder, lot__asset_id=lot.asset_id, deposit_state=Registration.Deposit.FORFEITED
    ).exists()


def _applicant_claim(bidder: Bidder, lot: Lot) -> Decimal | None:
    is_applicant = Party.objects.filter(
        case_id=lot.case_id, role=Party.Role.APPLICANT, id_number=bidder.id_number
    ).exists()
    if not is_applicant:
        return None
    return case_claim(lot.case).outstanding


def join_lot(bidder: Bidder, lot_id: int, *, now: datetime | None = None) -> Registration:
    """Register for a lot: an anonymous code (pre-emption holders a priority code, Art 19) and the
    deposit due (an applicant of the case pays only what its claim does not cover, Art 17)."""
    with transaction.atomic():
        lot = Lot.objects.select_for_update().get(pk=lot_id)
        if lot.status != Lot.Status.ANNOUNCED or (now or timezone.now()) > lot.ends_at:
            raise Conflict("该标的不在报名期间", field="lot")
        if Party.objects.filter(
            case_id=lot.case_id, role=Party.Role.DEBTOR, id_number=bidder.id_number
        ).exists():
            raise DebtorBarred(DEBTOR_BARRED, field="lot", code="forbidden")
        if _barred(bidder, lot):
            raise Conflict("您曾在该财产的拍卖中悔拍，不得参加再次拍卖（网拍规定第24条）", field="lot")
        existing = Registration.objects.filter(lot=lot, bidder=bidder).first()
        if existing is not None:
            return existing
        rank = next((p["rank"] for p in lot.preemption if p["id_number"] == bidder.id_number), None)
        claim = _applicant_claim(bidder, lot)
        due = rules.deposit_due(lot.deposit, claim)
        n = Registration.objects.filter(lot=lot).count() + 1
        code = f"Y{rank}{n:03d}" if rank else f"{secrets.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{n:04d}"
        reg = Registration.objects.create(
            lot=lot,
            bidder=bidder,
            code=code,
            rank=rank,
            applicant_claim=claim,
            deposit_due=due,
            deposit_state=Registration.Deposit.EXEMPT if due == 0 else Registration.Deposit.DUE,
        )
        audit.record(
            None,
            "auctions.join",
            object_type="auctions.Registration",
            object_id=reg.pk,
            case_id=lot.case_id,
            after={"lot": lot.pk, "bidder": bidder.pk, "code": code, "rank": rank, "deposit_due": due},
        )
    return reg
