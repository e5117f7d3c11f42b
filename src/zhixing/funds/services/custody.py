"""Setting up a court's custody account (执行款专户): the bank, the name, the number, the sub-account prefix.

Finance staff or the director (执行局局长) of the court set it up and change it; the system administrator
may for any court. Every change is audited (before and after) in its transaction.

Changing the sub-account prefix is refused once any case sub-account (一案一账号) has been opened under
it: those numbers are printed on payment instructions and in the hands of debtors and banks, and a new
prefix would send their transfers to 不明款. The bank name, account name and account number may change
(e.g. the bank renames a branch); the case numbers stay valid.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.models import Court
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import formats
from ..models import CaseAccount, CustodyAccount
from .accounts import custody_changed, forget_custody_cache

EDITOR_ROLES = (Role.FINANCE, Role.DIRECTOR)
PREFIX_MIN, PREFIX_MAX = 2, 8


def may_edit(actor: Any, court: Court) -> bool:
    """Finance or director of this court, or the system administrator."""
    if getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False):
        return True
    return can_write_court(actor, court) and getattr(actor, "role", "") in EDITOR_ROLES


def _prefix(value: object) -> str:
    text = formats.clean_text(value, "sub_prefix", "子账号前缀", 20, required=True)
    if not text.isascii() or not text.isdigit() or not PREFIX_MIN <= len(text) <= PREFIX_MAX:
        raise ServiceError(
            f"“子账号前缀”应为{PREFIX_MIN}至{PREFIX_MAX}位数字（由银行分配）", field="sub_prefix"
        )
    return text


def check_custody_fields(
    *, bank_name: object, account_name: object, account_no: object, sub_prefix: object
) -> dict[str, str]:
    """The four fields cleaned, or a ServiceError naming the first bad one (nothing written)."""
    bank = formats.clean_text(bank_name, "bank_name", "开户银行", 64, required=True)
    name = formats.clean_text(account_name, "account_name", "户名", 128, required=True)
    number = formats.account_number(account_no, "account_no", "专户账号")
    return {"bank_name": bank, "account_name": name, "account_no": number, "sub_prefix": _prefix(sub_prefix)}


def _clashes(court: Court, account_no: str, prefix: str) -> None:
    others = CustodyAccount.objects.exclude(court=court).select_related("court")
    taken = others.filter(account_no=account_no).first()
    if taken is not None:
        raise Conflict(f"专户账号{account_no}已是{taken.court.name}的执行款专户", field="account_no")
    for other in others.only("sub_prefix", "court__name"):
        if other.sub_prefix.startswith(prefix) or prefix.startswith(other.sub_prefix):
            raise Conflict(
                f"子账号前缀{prefix}与{other.court.name}的前缀{other.sub_prefix}重叠，"
                "转入的款项将无法确定属于哪个法院；请使用银行分配给本院的前缀",
                field="sub_prefix",
            )


def set_custody_account(
    actor: Any, court: Court, *, bank_name: Any, account_name: Any, account_no: Any, sub_prefix: Any
) -> CustodyAccount:
    """Register (or change) `court`'s custody account. `actor` None: the system (demo setup)."""
    if actor is not None and not may_edit(actor, court):
        raise NotPermitted("只有本院财务人员或执行局局长可以设置执行款专户")
    data = check_custody_fields(
        bank_name=bank_name, account_name=account_name, account_no=account_no, sub_prefix=sub_prefix
    )
    with transaction.atomic():
        _clashes(court, data["account_no"], data["sub_prefix"])
        current = CustodyAccount.objects.select_for_update().filter(court=court).first()
        before = None
        if current is not None:
            before = {k: getattr(current, k) for k in data}
            if before == data:
                return current  # nothing changes: no write, no audit record
            if current.sub_prefix != data["sub_prefix"]:
                opened = CaseAccount.objects.filter(custody=current).count()
                if opened:
                    raise Conflict(
                        f"本专户下已开立{opened}个案件子账号（前缀{current.sub_prefix}），这些账号已告知当事人，"
                        "更改前缀会使汇入这些账号的款项无法识别；子账号前缀不能更改",
                        field="sub_prefix",
                    )
            for k, v in data.items():
                setattr(current, k, v)
            current.save(update_fields=list(data))
            custody = current
        else:
            custody = CustodyAccount.objects.create(court=court, **data)
        audit.record(
            actor,
            "funds.custody_account",
            object_type="funds.CustodyAccount",
            object_id=custody.pk,
            before=before,
            after={**data, "created": before is None},
            court=court,
        )
        transaction.on_commit(custody_changed)
    forget_custody_cache()
    return custody
