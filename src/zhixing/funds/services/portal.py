"""Remote payout (远程发款): a token link per applicant, face verification, account confirmation."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court

from ..adapters import custody_bank
from ..models import PortalToken
from .payouts import PROPOSER_ROLES


def issue_token(actor: Any, case: EnforcementCase, party_id: int) -> PortalToken:
    if not can_write_court(actor, case.court) or getattr(actor, "role", "") not in PROPOSER_ROLES:
        raise NotPermitted("只有本院执行人员可以生成远程发款链接")
    if not any(p.pk == party_id and p.role == Party.Role.APPLICANT for p in case_queries.case_parties(case)):
        raise ServiceError("该当事人不是本案申请执行人", field="party_id")
    with transaction.atomic():
        tok = PortalToken.objects.filter(case=case, party_id=party_id).first()
        if tok is None:
            tok = PortalToken.objects.create(token=secrets.token_urlsafe(24), case=case, party_id=party_id)
            audit.record(
                actor,
                "funds.portal_token",
                object_type="funds.PortalToken",
                object_id=tok.pk,
                case_id=case.pk,
                after={"party": party_id},
            )
    return tok


def verify_identity(tok: PortalToken, *, id_number: str, photo: str) -> PortalToken:
    """Face verification through the custody bank; the ID number must match the party's."""
    party = next(p for p in case_queries.case_parties(tok.case) if p.pk == tok.party_id)
    given = id_number.strip().upper()
    if not given or given != (party.id_number or party.credit_code or "").upper():
        raise ServiceError("身份证号（或统一社会信用代码）与本案当事人不符", field="id_number")
    ok = custody_bank.verify_face(
        f"face-{tok.pk}-{timezone.now():%Y%m%d%H%M%S%f}", name=party.name, id_number=given, photo=photo
    )
    if not ok:
        raise ServiceError("人脸核验未通过，请重新核验", field="photo")
    with transaction.atomic():
        tok.verified_at = timezone.now()
        tok.save(update_fields=["verified_at"])
        audit.record(
            None,
            "funds.portal_verified",
            object_type="funds.PortalToken",
            object_id=tok.pk,
            case_id=tok.case_id,
            after={"party": tok.party_id},
        )
    return tok


def confirm_account(tok: PortalToken, *, account_name: str, account_no: str, bank_name: str) -> PortalToken:
    if tok.verified_at is None:
        raise Conflict("请先完成人脸身份核验", field="photo")
    if not account_name.strip() or not "".join(account_no.split()).isdigit():
        raise ServiceError("请填写收款户名和正确的银行账号（数字）", field="account_no")
    with transaction.atomic():
        tok.account_name, tok.account_no = account_name.strip(), "".join(account_no.split())
        tok.bank_name, tok.confirmed_at = bank_name.strip(), timezone.now()
        tok.save(update_fields=["account_name", "account_no", "bank_name", "confirmed_at"])
        audit.record(
            None,
            "funds.portal_account",
            object_type="funds.PortalToken",
            object_id=tok.pk,
            case_id=tok.case_id,
            after={"account_no": tok.account_no, "name": tok.account_name},
        )
    return tok
