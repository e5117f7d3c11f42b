"""Custody accounts per court and the case sub-accounts (一案一账号), opened lazily or by backfill.

Custody accounts change rarely (a court registers one) and are read by every bank notice, so they
are cached per process (`custody_refs`, reloaded every `CUSTODY_CACHE_SECONDS` and dropped by
`services.custody.set_custody_account`, the only writer, in every worker: `custody_changed` bumps a
generation number in Redis that each process checks every few seconds, `zhixing.core.generations`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from zhixing.cases.models import OPEN_STATUSES, EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import ServiceError
from zhixing.core.generations import Generation
from zhixing.courts.models import Court

from ..models import CaseAccount, CustodyAccount
from ..rules import parse_sub_account, sub_account_number

CUSTODY_CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class CustodyRef:
    """What a notice needs of a custody account: its court (id and code, the audit chain)."""

    id: int
    court_id: int
    court_code: str
    account_no: str
    sub_prefix: str


_cache: dict[str, Any] = {"at": None, "gen": 0, "by_no": {}, "by_court": {}}
_generation = Generation("custody")


def forget_custody_cache() -> None:
    """Drop the cached custody accounts (after a change; tests between databases)."""
    _cache["at"] = None


def custody_changed() -> None:
    """After a custody account changed (committed): this process and every other reload their copy."""
    forget_custody_cache()
    _generation.bump()


def custody_refs() -> tuple[dict[str, CustodyRef], dict[int, CustodyRef]]:
    """All custody accounts by account number and by court id (one query per cache period)."""
    now = time.monotonic()
    generation = _generation.current()
    if _cache["at"] is None or now - _cache["at"] > CUSTODY_CACHE_SECONDS or _cache["gen"] != generation:
        refs = [
            CustodyRef(pk, court_id, code, no, prefix)
            for pk, court_id, code, no, prefix in CustodyAccount.objects.values_list(
                "pk", "court_id", "court__code", "account_no", "sub_prefix"
            )
        ]
        by_no, by_court = {r.account_no: r for r in refs}, {r.court_id: r for r in refs}
        _cache.update(at=now, gen=generation, by_no=by_no, by_court=by_court)
    return _cache["by_no"], _cache["by_court"]


def custody_by_number(account_no: str) -> CustodyRef | None:
    """The custody account with this number; a miss reloads the cache once (a just-registered account)."""
    if not account_no:
        return None
    ref = custody_refs()[0].get(account_no)
    if ref is None:
        forget_custody_cache()
        ref = custody_refs()[0].get(account_no)
    return ref


def court_code_of(court_id: int) -> str | None:
    """The court code of a court with a custody account (cached), for the audit chain."""
    ref = custody_refs()[1].get(court_id)
    return ref.court_code if ref else None


def custody_no_of(court_id: int) -> str:
    """The court's custody account number (cached), "" when it has none: where its payments leave from."""
    ref = custody_refs()[1].get(court_id)
    return ref.account_no if ref else ""


def sub_account_owner(number: str) -> int | None:
    """The court whose custody account `number` is a sub-account of, by its prefix (the longest
    matching one, cached) or else by an account opened under a prefix since changed; None: nobody's."""
    number = "".join((number or "").split())
    if not number:
        return None
    owner = prefix_owner(number)
    if owner is not None:
        return owner
    found = CaseAccount.objects.filter(number=number).values_list("custody__court_id", flat=True).first()
    return int(found) if found is not None else None


def prefix_owner(number: str) -> int | None:
    """The court whose custody account's sub-account prefix `number` starts with (the longest match;
    cached, no query), or None."""
    by_prefix = [r for r in custody_refs()[0].values() if number and number.startswith(r.sub_prefix)]
    return max(by_prefix, key=lambda r: len(r.sub_prefix)).court_id if by_prefix else None


def outside_custody(court_id: int, number: str) -> str | None:
    """Why a transfer into court `court_id`'s custody account may not name sub-account `number` (it
    belongs to another court's custody account), or None. Nothing is opened or written: a transfer
    into one court's account is never booked into another court's case (statement lines, notices)."""
    owner = sub_account_owner(number)
    if owner is None or owner == court_id:
        return None
    own = custody_no_of(court_id)
    number = "".join(number.split())
    return f"收款子账号{number}不是本院执行款专户{own}的子账号（属于其他法院的专户），不能记入本院账簿"


def case_account(case: EnforcementCase) -> CaseAccount:
    """The case's sub-account, opened on first access (needs the court's custody account)."""
    found = CaseAccount.objects.select_related("custody").filter(case_id=case.pk).first()
    if found is not None:
        return found
    custody = CustodyAccount.objects.filter(court_id=case.court_id).first()
    if custody is None:
        raise ServiceError("本院尚未设置执行款专户，无法开立案款账户", field="custody")
    try:
        with transaction.atomic():
            # A case closed before its account was ever opened gets it closed: it receives nothing more.
            closed = not EnforcementCase.objects.filter(pk=case.pk, status__in=OPEN_STATUSES).exists()
            acc = CaseAccount.objects.create(
                case=case,
                custody=custody,
                number=sub_account_number(custody.sub_prefix, case.pk),
                closed=closed,
            )
            audit.record(
                None,
                "funds.case_account_open",
                object_type="funds.CaseAccount",
                object_id=acc.pk,
                case_id=case.pk,
                after={"number": acc.number, "closed": closed},
                court=court_code_of(case.court_id),
            )
            return acc
    except IntegrityError:
        return CaseAccount.objects.select_related("custody").get(case_id=case.pk)


def backfill_case_accounts(court: Court | None = None, batch: int = 2000) -> int:
    """Open the sub-account of every case that has none yet (courts with a custody account)."""
    opened = 0
    custodies = {c.court_id: c for c in CustodyAccount.objects.all()}
    qs = EnforcementCase.objects.filter(court_id__in=list(custodies), funds_account__isnull=True)
    if court is not None:
        qs = qs.filter(court=court)
    while True:
        rows = list(qs.values_list("pk", "court_id")[:batch])
        if not rows:
            return opened
        with transaction.atomic():
            CaseAccount.objects.bulk_create(
                [
                    CaseAccount(
                        case_id=pk,
                        custody=custodies[court_id],
                        number=sub_account_number(custodies[court_id].sub_prefix, pk),
                    )
                    for pk, court_id in rows
                ],
                ignore_conflicts=True,
            )
            audit.record(
                None,
                "funds.case_account_backfill",
                object_type="funds.CaseAccount",
                after={"opened": len(rows), "first_case": rows[0][0], "last_case": rows[-1][0]},
                court=court,
            )
        opened += len(rows)


def close_case_account(sender: Any, case: EnforcementCase, **kwargs: Any) -> None:
    """Receiver of `cases.services.lifecycle.case_closed`: the closed case's sub-account is closed.

    Runs inside the closing transaction (the case row is locked); a later transfer to the number is
    unidentified (不明款) and cannot be claimed to the case. Not opened yet: `case_account` opens it closed.
    """
    acc = CaseAccount.objects.select_for_update().filter(case_id=case.pk, closed=False).first()
    if acc is None:
        return
    acc.closed = True
    acc.save(update_fields=["closed"])
    audit.record(
        None,
        "funds.case_account_close",
        object_type="funds.CaseAccount",
        object_id=acc.pk,
        case_id=case.pk,
        before={"closed": False},
        after={"closed": True},
        court=court_code_of(case.court_id),
    )


def resolve_sub_account(number: str) -> CaseAccount | None:
    """The open case account a transfer's target number names, or None (→ unidentified)."""
    number = "".join((number or "").split())
    if not number:
        return None
    acc = CaseAccount.objects.select_related("custody").filter(number=number).first()
    if acc is not None:
        return acc
    # Not opened yet (lazy): a valid number under a known prefix opens the account now.
    for custody in custody_refs()[0].values():
        if not number.startswith(custody.sub_prefix):
            continue
        parsed = parse_sub_account(number, len(custody.sub_prefix))
        if parsed is None:
            return None
        case = EnforcementCase.objects.filter(pk=parsed[1], court_id=custody.court_id).first()
        return case_account(case) if case is not None else None
    return None
