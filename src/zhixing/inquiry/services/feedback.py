"""Applying partners' answers: query results into the asset register, control results into control state.

Answers arrive in the worker's HTTP response, by polling, or by signed callback; all three land here.
Application is idempotent: a request already DONE is skipped, assets are unique per (case, debtor,
partner, reference), a receivable is unique per idempotency key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.cases.services import node_events
from zhixing.cases.services.node_events import complete_node_from_event
from zhixing.cases.services.notice import measure_before_notice
from zhixing.core import audit

from .. import conf, queries, rules
from ..events import queries_settled
from ..models import Action, Asset, DeductionReceivable, InquiryRequest
from . import bulk, expiry, rounds
from .jobs import Job

S = InquiryRequest.Status
OPEN = (S.PENDING, S.SENDING, S.WAITING)
KINDS = set(Asset.Kind.values)


def retry_later(rows: Sequence[Job], error: str) -> None:
    """A transport failure: back to PENDING with exponential backoff, or FAILED after the last attempt."""
    now = timezone.now()
    base, cap = int(conf.option("backoff_base")), int(conf.option("backoff_cap"))
    limit = int(conf.option("max_attempts"))
    failed: list[int] = []
    with transaction.atomic():
        for attempts in {r.attempts for r in rows}:
            ids = [r.pk for r in rows if r.attempts == attempts]
            qs = InquiryRequest.objects.filter(pk__in=ids, status=S.SENDING)
            if attempts >= limit:
                settled = list(qs.filter(action=Action.QUERY).values_list("pk", flat=True))
                qs.update(
                    status=S.FAILED, last_error=f"{error}（已重试{attempts}次）"[:300], lease_until=None
                )
                if settled:
                    queries_settled.send(sender=InquiryRequest, request_ids=settled)
                failed.extend(ids)
            else:
                delay = rules.backoff_seconds(attempts, base, cap)
                qs.update(
                    status=S.PENDING,
                    due_at=now + timedelta(seconds=delay),
                    lease_until=None,
                    last_error=error[:300],
                )
    gone = set(failed)
    rounds.announce(r.pk for r in rows if r.pk in gone and r.action == Action.QUERY)


ASSET_COLUMNS = (
    "case_id", "party_id", "partner_id", "category_id", "kind", "ref", "description", "value", "divisible",
    "state", "frozen_amount", "deducted_amount", "indivisible_reason", "details", "found_at",
)  # fmt: skip


def _asset_rows(req: Job, result: dict[str, Any], found_at: Any) -> tuple[list[tuple[Any, ...]], int]:
    """Register rows (in `ASSET_COLUMNS` order, database representation) and the number of assets found."""
    zero = bulk.prep(Asset, "value", Decimal("0"))
    head = (req.case_id, req.party_id, req.partner_id, req.category_id)
    rows: list[tuple[Any, ...]] = []
    for item in result.get("assets") or []:
        kind = str(item.get("kind", ""))
        if kind not in KINDS or kind == Asset.Kind.INFO:
            continue
        value = bulk.prep(Asset, "value", Decimal(str(item.get("value") or "0")))
        state = Asset.State.CLOSED if item.get("closed") else Asset.State.NONE
        details = bulk.prep(Asset, "details", {"prior_seizures": int(item.get("prior_seizures") or 0)})
        rows.append(
            (*head, kind, str(item.get("ref", ""))[:64], str(item.get("description", ""))[:200], value,
             bool(item.get("divisible", True)), state, zero, zero, "", details, found_at)
        )  # fmt: skip
    found = len(rows)
    if result.get("info"):
        details = bulk.prep(Asset, "details", result["info"])
        rows.append(
            (*head, Asset.Kind.INFO, "info", "信息查询结果", zero, True, Asset.State.NONE, zero, zero, "",
             details, found_at)
        )  # fmt: skip
    return rows, found


def apply_queries(pairs: Sequence[tuple[Job, dict[str, Any]]]) -> int:
    """Bulk-apply done query answers: assets in, requests DONE, one audit record for the lot."""
    if not pairs:
        return 0
    now = timezone.now()
    with transaction.atomic():
        open_ids = set(
            InquiryRequest.objects.filter(pk__in=[r.pk for r, _ in pairs], status__in=OPEN).values_list(
                "pk", flat=True
            )
        )
        todo = [(r, a) for r, a in pairs if r.pk in open_ids]
        if not todo:
            return 0
        rows: list[tuple[Any, ...]] = []
        by_found: dict[int, list[int]] = {}
        summary = []
        found_at = bulk.prep(Asset, "found_at", now)
        for req, answer in todo:
            found, n = _asset_rows(req, answer.get("result") or {}, found_at)
            rows.extend(found)
            by_found.setdefault(n, []).append(req.pk)
            summary.append([req.pk, req.case_id, req.party_id, n])
        # Skip assets already registered (a re-delivered answer).
        bulk.insert(Asset, ASSET_COLUMNS, rows, skip_conflicts=True)
        for n, ids in by_found.items():
            InquiryRequest.objects.filter(pk__in=ids).update(
                status=S.DONE, completed_at=now, outcome={"found": n}, lease_until=None, last_error=""
            )
        queries_settled.send(sender=InquiryRequest, request_ids=[r.pk for r, _ in todo])
        audit.record(
            None,
            "inquiry.results",
            object_type="Partner",
            object_id=todo[0][0].partner_code,
            after={"results": summary},  # [request, case, debtor, assets found] — what came back, for whom
        )
    return len(todo)


def apply_control(job: Job | InquiryRequest, answer: dict[str, Any]) -> None:
    """Apply one control answer under a row lock; a repeated answer changes nothing."""
    today = timezone.localdate()
    with transaction.atomic():
        req = (
            InquiryRequest.objects.select_for_update(of=("self",))
            .select_related("partner", "asset__category")
            .get(pk=int(job.pk or 0))
        )
        if req.status not in OPEN or req.asset_id is None:
            return
        asset = Asset.objects.select_for_update(of=("self",)).select_related("category").get(pk=req.asset_id)
        before = {"state": asset.state, "frozen": asset.frozen_amount, "expires": asset.control_expires}
        if answer.get("status") == "error":
            error = str(answer.get("error", "error"))
            if error == "account_closed":
                asset.state = Asset.State.CLOSED
            req.status, req.last_error = (
                S.FAILED,
                {"account_closed": "账户已销户", "no_such_asset": "财产不存在"}.get(error, error),
            )
        else:
            _apply_result(req, asset, answer.get("result") or {}, today)
            req.status = S.DONE
            if _took_control(req, answer.get("result") or {}):
                _complete_control_node(req, today)
        req.outcome = answer.get("result") or {"error": answer.get("error")}
        req.completed_at, req.lease_until = timezone.now(), None
        asset.save()
        req.save(update_fields=["status", "last_error", "outcome", "completed_at", "lease_until"])
        audit.record(
            None,
            f"inquiry.{req.action}.result",
            object_type="InquiryRequest",
            object_id=req.pk,
            case_id=req.case_id,
            before=before,
            after={
                "state": asset.state,
                "frozen": asset.frozen_amount,
                "expires": asset.control_expires,
                "answer": req.outcome,
                "requested_by": req.requested_by_id,
            },
        )


# rule
def _apply_result(req: InquiryRequest, asset: Asset, result: dict[str, Any], today: Any) -> None:
    kind = asset.category.asset_kind
    if req.action == Action.FREEZE:
        frozen = Decimal(str(result.get("frozen") or "0"))
        asset.frozen_amount += frozen
        if asset.frozen_amount > 0 and asset.state != Asset.State.FROZEN:
            asset.state = Asset.State.FROZEN
            asset.effective_on = today
            asset.control_start, asset.control_expires = today, rules.control_expiry(today, kind)
        remainder = rules.remainder_after_partial(req.amount or Decimal("0"), frozen)
        if remainder > 0:
            _freeze_elsewhere(req, remainder)
    elif req.action == Action.SEIZE:
        rank = int(result.get("rank") or 1)
        asset.seizure_rank = rank
        asset.state = Asset.State.SEIZED if rank == 1 else Asset.State.QUEUED
        # A queued seizure takes effect only when the prior one goes (查封规定 Art 26): no effective day yet.
        asset.registered_on, asset.effective_on = today, today if rank == 1 else None
        asset.control_start, asset.control_expires = today, rules.control_expiry(today, kind)
    elif req.action == Action.DEDUCT:
        amount = Decimal(str(result.get("deducted") or "0"))
        asset.frozen_amount -= amount
        asset.deducted_amount += amount
        if asset.frozen_amount <= 0:
            asset.state, asset.control_expires = Asset.State.DEDUCTED, None
        if amount > 0:
            DeductionReceivable.objects.get_or_create(
                idempotency_key=f"ded-{req.idempotency_key}",
                defaults={
                    "case_id": req.case_id,
                    "request": req,
                    "amount": amount,
                    "payer_bank": req.partner.name,
                },
            )
    elif req.action == Action.RELEASE:
        released = Decimal(str(result.get("released") or "0"))
        asset.frozen_amount = max(Decimal("0"), asset.frozen_amount - released)
        if asset.state in (Asset.State.SEIZED, Asset.State.QUEUED) or asset.frozen_amount <= 0:
            lifted = expiry.holder(asset)
            asset.state = Asset.State.DEDUCTED if asset.deducted_amount > 0 else Asset.State.RELEASED
            asset.seizure_rank, asset.control_expires = None, None
            if lifted is not None:  # the seizures queued behind it move up (查封规定 Art 26)
                expiry.advance_after_lift([lifted], today)
    elif req.action == Action.RENEW and asset.control_expires:
        asset.control_expires = rules.renewal_expiry(asset.control_expires, kind)


def _took_control(req: InquiryRequest, result: dict[str, Any]) -> bool:
    """A freeze that froze money, or a seizure (first or queued): the control act the node waits for."""
    if req.action == Action.SEIZE:
        return True
    try:
        return req.action == Action.FREEZE and Decimal(str(result.get("frozen") or "0")) > 0
    except ArithmeticError:
        return False


def _complete_control_node(req: InquiryRequest, today: Any) -> None:
    """The case's "控制查明的财产" node closes itself with a link to the request's assistance notice."""
    complete_node_from_event(
        req.case_id,
        node_events.CONTROL,
        event=f"inquiry.{req.action}.confirmed",
        link_url=reverse("inquiry_notice", args=[req.pk]),
        link_label=f"{req.get_action_display()}请求#{req.pk}（协助执行通知书）",
        document_ref=req.notice_number,
        on=today,
    )
    # A control measure taken before the enforcement notice was served: the notice is due within 3 days
    # (执行程序解释 Art 22) — the case's `notice` node deadline moves forward.
    measure_before_notice(req.case_id, today, event=f"inquiry.{req.action}.confirmed")


def _freeze_elsewhere(req: InquiryRequest, remainder: Decimal) -> None:
    """A partial freeze asks the remainder of the debtor's other unfrozen accounts (same approval)."""
    case = req.case
    room = rules.headroom(queries.case_claim(case).outstanding, queries.controlled_total(case.pk, req.pk))
    # The request being applied is no longer in flight once DONE; its frozen part is already counted.
    wanted = min(remainder, room)
    if wanted <= 0:
        return
    if req.asset_id is None:
        return
    busy = InquiryRequest.objects.filter(case_id=case.pk, status__in=queries.IN_FLIGHT).exclude(pk=req.pk)
    candidates = (
        Asset.objects.filter(case_id=case.pk, kind=Asset.Kind.ACCOUNT, state=Asset.State.NONE, value__gt=0)
        .exclude(pk=req.asset_id)
        .exclude(pk__in=busy.values("asset_id"))
        .select_related("partner")
        .order_by("-value", "id")
    )
    target = next((a for a in candidates if a.partner.supports(Action.FREEZE)), None)
    if target is None:
        return
    from .requests import new_key  # shared key generator

    key = new_key()
    amount = min(wanted, target.value)
    child = InquiryRequest.objects.create(
        case_id=case.pk,
        court_id=req.court_id,
        party_id=target.party_id,
        partner=target.partner,
        action=Action.FREEZE,
        asset=target,
        amount=amount,
        reason=f"部分冻结（请求#{req.pk}）的差额",
        parent=req,
        status=S.PENDING,
        idempotency_key=key,
        notice_number=f"{case.number}控{key[:8]}",
        approvals=req.approvals,
        due_at=timezone.now(),
        requested_by_id=req.requested_by_id,
    )
    audit.record(
        None,
        "inquiry.freeze.remainder",
        object_type="InquiryRequest",
        object_id=child.pk,
        case_id=case.pk,
        after={"parent": req.pk, "asset": target.pk, "amount": amount},
    )


def apply_answers(rows: Sequence[Job], answers: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Route each answer by its key; rows without an answer are retried."""
    by_key = {str(a.get("key")): a for a in answers}
    counts = {"done": 0, "waiting": 0, "retry": 0, "failed": 0}
    queries_done: list[tuple[Job, dict[str, Any]]] = []
    waiting: list[int] = []
    resend: list[int] = []
    missing: list[Job] = []
    for req in rows:
        answer = by_key.get(req.idempotency_key)
        status = answer.get("status") if answer else None
        if answer is None:
            missing.append(req)
        elif status == "accepted":
            waiting.append(req.pk)
        elif status == "unknown":
            resend.append(req.pk)
        elif req.action == Action.QUERY and status == "done":
            queries_done.append((req, answer))
        elif req.action == Action.QUERY:  # an error answer to a query
            if answer.get("retryable"):
                missing.append(req)
            else:
                with transaction.atomic():
                    InquiryRequest.objects.filter(pk=req.pk, status__in=OPEN).update(
                        status=S.FAILED, last_error=str(answer.get("error"))[:300], lease_until=None
                    )
                    queries_settled.send(sender=InquiryRequest, request_ids=[req.pk])
                counts["failed"] += 1
        else:
            apply_control(req, answer)
            counts["done"] += 1
    counts["done"] += apply_queries(queries_done)
    now = timezone.now()
    if waiting:
        InquiryRequest.objects.filter(pk__in=waiting, status=S.SENDING).update(
            status=S.WAITING, due_at=now + timedelta(seconds=int(conf.option("poll_after"))), lease_until=None
        )
        counts["waiting"] = len(waiting)
    if resend:  # the partner never saw it: send again now, not counted as a failed attempt
        InquiryRequest.objects.filter(pk__in=resend, status=S.SENDING).update(
            status=S.PENDING, due_at=now, lease_until=None
        )
    if missing:
        retry_later(missing, "联动单位未就该请求作出应答")
        counts["retry"] = len(missing)
    rounds.announce(r.pk for r in rows if r.action == Action.QUERY)  # triage re-evaluates on this
    return counts
