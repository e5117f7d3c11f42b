"""Remote payout (远程发款): a link per applicant, identity check, one account change per check.

The link (`PortalToken.token`) is the only credential the party holds, so it is guarded like one:

* it expires `FUNDS_PORTAL_LINK_DAYS` after it is issued; issuing again returns the live link, or a
  fresh one once the old one expired or locked (older links of the party expire at once);
* it locks after `FUNDS_PORTAL_MAX_FAILURES` failed identity checks, and every failed check gets the
  same answer whether the ID number or the face was wrong (the page is no oracle for ID numbers);
  the view also throttles checks per link and per client address before the bank is asked;
* a passed check returns a one-time proof that the view keeps in the browser session;
  `confirm_account` needs it within `FUNDS_PORTAL_VERIFY_MINUTES` and consumes it, so every change of
  the receiving account needs a new check from the browser that makes the change.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court

from .. import conf, formats
from ..adapters import custody_bank
from ..models import PortalToken
from .payouts import PROPOSER_ROLES

CHECK_FAILED = "身份核验未通过：身份证号（或统一社会信用代码）和人脸须均与本案当事人一致"
LOCKED = "身份核验失败次数过多，此链接已锁定；请联系承办人重新生成链接"
EXPIRED = "此链接已过期；请联系承办人重新生成链接"
NEED_CHECK = "请先完成人脸身份核验（每次确认或更改收款账户前都需重新核验）"


def link_problem(tok: PortalToken, now: datetime | None = None) -> str | None:
    """Why the link can no longer be used (locked or expired), or None."""
    now = now or timezone.now()
    if tok.locked_at is not None:
        return LOCKED
    if tok.expires_at is None or tok.expires_at <= now:
        return EXPIRED
    return None


def proof_digest(proof: str) -> str:
    return hashlib.sha256(proof.encode()).hexdigest()


def verification_open(tok: PortalToken, proof: str, now: datetime | None = None) -> bool:
    """Whether `proof` (from the browser session) still allows one change of the receiving account."""
    now = now or timezone.now()
    return bool(
        proof
        and tok.verify_digest
        and tok.verified_at is not None
        and now <= tok.verified_at + conf.portal_verify_window()
        and hmac.compare_digest(proof_digest(proof), tok.verify_digest)
    )


def portal_party(tok: PortalToken) -> Party | None:
    return next((p for p in case_queries.case_parties(tok.case) if p.pk == tok.party_id), None)


def issue_token(actor: Any, case: EnforcementCase, party_id: int) -> PortalToken:
    """The applicant's live link, or a new one (valid `FUNDS_PORTAL_LINK_DAYS`) when none is live."""
    if not can_write_court(actor, case.court) or getattr(actor, "role", "") not in PROPOSER_ROLES:
        raise NotPermitted("只有本院执行人员可以生成远程发款链接")
    if not any(p.pk == party_id and p.role == Party.Role.APPLICANT for p in case_queries.case_parties(case)):
        raise ServiceError("该当事人不是本案申请执行人", field="party_id")
    with transaction.atomic():
        now = timezone.now()
        mine = PortalToken.objects.select_for_update().filter(case=case, party_id=party_id)
        live = mine.filter(locked_at__isnull=True, expires_at__gt=now).order_by("-pk").first()
        if live is not None:
            return live
        mine.filter(expires_at__gt=now).update(expires_at=now)  # a locked link stays unusable
        tok = PortalToken.objects.create(
            token=secrets.token_urlsafe(24),
            case=case,
            party_id=party_id,
            created_at=now,
            expires_at=now + conf.portal_link_lifetime(),
        )
        audit.record(
            actor,
            "funds.portal_token",
            object_type="funds.PortalToken",
            object_id=tok.pk,
            case_id=case.pk,
            after={"party": party_id, "expires_at": tok.expires_at},
        )
    return tok


def _usable(tok: PortalToken) -> PortalToken:
    """The link re-read under its row lock; Conflict when it expired or locked meanwhile."""
    tok = PortalToken.objects.select_for_update().get(pk=tok.pk)
    problem = link_problem(tok)
    if problem:
        raise Conflict(problem, field="token")
    return tok


def _failed(tok: PortalToken, what: str, client: str) -> str:
    """Count a failed check (committed even though the caller then refuses); lock at the limit."""
    with transaction.atomic():
        tok = _usable(tok)
        tok.failed_checks += 1
        limit = conf.portal_max_failures()
        if tok.failed_checks >= limit:
            tok.locked_at = timezone.now()
        tok.verify_digest = ""
        tok.save(update_fields=["failed_checks", "locked_at", "verify_digest"])
        audit.record(
            None,
            "funds.portal_check_failed",
            object_type="funds.PortalToken",
            object_id=tok.pk,
            case_id=tok.case_id,
            after={
                "failed": what,
                "failures": tok.failed_checks,
                "locked": bool(tok.locked_at),
                "client": client,
            },
        )
    if tok.locked_at is not None:
        return LOCKED
    return f"{CHECK_FAILED}（还可尝试{limit - tok.failed_checks}次）"


def verify_identity(tok: PortalToken, *, id_number: str, photo: str, client: str = "") -> str:
    """Check the party's ID number and face (through the custody bank); return the one-time proof.

    A wrong ID number and a failed face check answer alike and both count towards the lock. The bank
    being unreachable is no failure of the party's: it is refused with its own message, uncounted.
    """
    problem = link_problem(tok)
    if problem:
        raise Conflict(problem, field="token")
    party = portal_party(tok)
    if party is None:
        raise Conflict("本案当事人信息已变更，请联系承办人", field="token")
    given = formats.clean_text(id_number, "id_number", "身份证号/统一社会信用代码", 32).upper()
    photo = photo if isinstance(photo, str) else ""
    expected = (party.id_number or party.credit_code or "").upper()
    id_ok = bool(given) and hmac.compare_digest(given.encode(), expected.encode())
    face_ok = False
    if id_ok:
        try:
            face_ok = custody_bank.verify_face(
                f"face-{tok.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
                name=party.name,
                id_number=given,
                photo=photo,
            )
        except custody_bank.BankUnavailable as exc:
            raise ServiceError(
                "人脸核验服务（托管银行）暂时无法连接，请稍后再试；本次不计入失败次数", field="photo"
            ) from exc
    if not (id_ok and face_ok):
        raise ServiceError(_failed(tok, "id_number" if not id_ok else "face", client), field="id_number")
    proof = secrets.token_urlsafe(24)
    with transaction.atomic():
        tok = _usable(tok)
        tok.verified_at, tok.verify_digest = timezone.now(), proof_digest(proof)
        tok.save(update_fields=["verified_at", "verify_digest"])
        audit.record(
            None,
            "funds.portal_verified",
            object_type="funds.PortalToken",
            object_id=tok.pk,
            case_id=tok.case_id,
            after={"party": tok.party_id, "client": client},
        )
    return proof


def confirm_account(
    tok: PortalToken, *, proof: str, account_name: str, account_no: str, bank_name: str
) -> PortalToken:
    """Set the receiving account; needs the proof of a check passed in this session, and uses it up."""
    name = formats.account_name(account_name)
    number = formats.account_number(account_no)
    bank = formats.bank_name(bank_name)
    with transaction.atomic():
        tok = _usable(tok)
        if not verification_open(tok, proof):
            raise Conflict(NEED_CHECK, field="photo")
        before = {"account_no": tok.account_no, "name": tok.account_name, "bank": tok.bank_name}
        tok.account_name, tok.account_no, tok.bank_name = name, number, bank
        tok.confirmed_at, tok.verify_digest = timezone.now(), ""
        tok.save(update_fields=["account_name", "account_no", "bank_name", "confirmed_at", "verify_digest"])
        audit.record(
            None,
            "funds.portal_account",
            object_type="funds.PortalToken",
            object_id=tok.pk,
            case_id=tok.case_id,
            before=before,
            after={"account_no": number, "name": name, "bank": bank},
        )
    return tok
