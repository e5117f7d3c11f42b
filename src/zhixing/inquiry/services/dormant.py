"""Periodic re-inquiry of dormant (终本) cases and the resumption leads it raises.

终本规定 Art 9(2) (rules.md §5): for 5 years after 终本 the court must search the debtor's property
through the network system every 6 months, tell the applicant, and resume when property appears.
The daily task files, for each due case, one ordinary inquiry round through `requests.file_round`
(the path of a judge's 一键查控) with the system as actor. Each case is filed in its own transaction
(round + batch + requests + audit), so a crash loses at most the case being filed and the next run
picks it up; a case is never filed twice on one day (row lock, re-check, unique (case, day)).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.cases.models import CaseStatus, EnforcementCase
from zhixing.core import audit, work
from zhixing.core.errors import ServiceError
from zhixing.core.system_actor import system_actor
from zhixing.courts.roles import Cap
from zhixing.documents import eservice
from zhixing.documents import services as documents
from zhixing.documents.models import ServiceAddress

from .. import conf, documents_reinquiry, queries, queries_dormant, rules
from ..models import (
    Action,
    Asset,
    DormantAttention,
    DormantRound,
    InquiryRequest,
    Partner,
    PartnerCategory,
    ReinquiryNotice,
)
from .requests import debtor_problem, file_round, kick

log = logging.getLogger(__name__)

S = InquiryRequest.Status
IN_FLIGHT = (S.AWAITING_APPROVAL, S.PENDING, S.SENDING, S.WAITING)


@dataclass
class RunResult:
    """What one run did: cases filed, requests created, cases refused with the reason."""

    filed: int = 0
    requests: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (case number, reason)


def _partners() -> tuple[list[str], list[Partner]]:
    codes = list(conf.option("dormant_categories") or []) or list(
        PartnerCategory.objects.filter(default_selected=True).values_list("code", flat=True)
    )
    partners = [p for p in queries.partners_for(codes) if p.supports(Action.QUERY)]
    if not partners:
        raise ServiceError("终本定期查询没有可用的联动单位", field="dormant_categories")
    return codes, partners


def _last_round_on(case_id: int) -> date | None:
    row = (
        InquiryRequest.objects.filter(case_id=case_id, action=Action.QUERY)
        .exclude(status=S.FAILED)
        .order_by("-id")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(row) if row else None


def _needs_attention(case: EnforcementCase, today: date, reason: str) -> None:
    """Keep the case on the registry's attention list (one row per case, refreshed each run).

    # rule: R-5.15
    """
    with transaction.atomic():
        row, created = DormantAttention.objects.update_or_create(
            case_id=case.pk,
            defaults={"court_id": case.court_id, "reason": reason[:500], "last_seen": today},
            create_defaults={
                "court_id": case.court_id,
                "reason": reason[:500],
                "last_seen": today,
                "since": today,
            },
        )
        if created:
            audit.record(
                None,
                "inquiry.dormant.attention",
                object_type="DormantAttention",
                object_id=row.pk,
                case_id=case.pk,
                after={"reason": row.reason},
            )


def reinquire(
    case: EnforcementCase, today: date, codes: list[str], partners: list[Partner]
) -> DormantRound | str:
    """File today's round for one dormant case; the reason (Chinese) when nothing was filed."""
    months, years = int(conf.option("dormant_period_months")), int(conf.option("dormant_years"))
    parties = queries.debtors(case)
    problems = {p.pk: m for p in parties if (m := debtor_problem(p))}
    good = [p for p in parties if p.pk not in problems]
    if not good:
        reason = "没有可查询的被执行人" if not parties else "；".join(problems.values())
        _needs_attention(case, today, reason)
        return reason
    try:
        with transaction.atomic():
            # The row lock serialises concurrent runs on PostgreSQL; the re-check under it sees a round
            # (the system's or a judge's) committed since the page was read.
            case = EnforcementCase.objects.select_for_update(no_key=True).get(pk=case.pk)
            if case.status != CaseStatus.DORMANT:
                return "案件已不是终本状态"
            last = _last_round_on(case.pk)
            if not rules.reinquiry_due(case.closed_on, last, today, months=months, years=years):
                return "未到定期查询时间"
            batch = file_round(
                None,
                case,
                good,
                partners,
                codes,
                action="inquiry.dormant.reinquiry",
                extra={"last_round": last, "basis": "终本规定第9条第2款", "skipped_debtors": problems},
            )
            DormantAttention.objects.filter(case_id=case.pk).delete()
            return DormantRound.objects.create(
                case=case,
                court_id=case.court_id,
                batch=batch,
                run_on=today,
                last_round_on=last,
                requests=batch.request_count,
            )
    except IntegrityError:  # another run filed this case today (unique case + day): nothing twice
        return "今日已发起定期查询"


PAGE_WORK = "inquiry.dormant.page"  # core.work hook: one queued job per page of due cases


@dataclass
class SweepResult:
    """What one sweep selected and dispatched: due cases, and pages (one job each)."""

    selected: int = 0
    pages: int = 0


def reinquiry_sweep(
    today: date | None = None,
    court_id: int | None = None,
    *,
    page_size: int | None = None,
    read_size: int | None = None,
    dispatch: Callable[[list[int], date], object] | None = None,
) -> SweepResult:
    """Select every due dormant case in keyset pages (ids only, flat memory) and dispatch them in pages
    of `page_size` (setting `dormant_page`), each one unit of work: by default one queued job per page
    (`PAGE_WORK`, installed by inquiry.tasks), never one job per case (DESIGN: durable timers claimed in
    batches). Ids are read `read_size` (setting `dormant_sweep_read`) at a time, at least one page.
    `dispatch(ids, today)` replaces the queue (the command's in-process run, the benchmark). Safe to
    repeat: a page job re-checks each case under its row lock, and a case filed today is no longer due.
    """
    today = today or timezone.localdate()
    send = dispatch or (lambda ids, day: work.due(PAGE_WORK, ids, day.isoformat()))
    page = page_size or int(conf.option("dormant_page"))
    read = max(read_size or int(conf.option("dormant_sweep_read")), page)
    result = SweepResult()
    cursor: int | None = 0
    while cursor is not None:
        ids, cursor = queries_dormant.due_ids_page(today, court_id, cursor, read)
        for start in range(0, len(ids), page):
            send(ids[start : start + page], today)
            result.pages += 1
        result.selected += len(ids)
    return result


def reinquire_page(
    case_ids: list[int],
    today: date,
    result: RunResult | None = None,
    on_case: Callable[[], object] | None = None,
) -> RunResult:
    """File today's round for each case of one page (the page job's body), each in its own transaction."""
    result = result or RunResult()
    codes, partners = _partners()
    for case in EnforcementCase.objects.filter(pk__in=case_ids).select_related("court").order_by("pk"):
        made = reinquire(case, today, codes, partners)
        if isinstance(made, DormantRound):
            result.filed += 1
            result.requests += made.requests
        else:
            result.skipped.append((case.number, made))
        if on_case:
            on_case()
    if result.filed:
        kick()
    return result


def reinquiry_run(
    today: date | None = None,
    court_id: int | None = None,
    limit: int | None = None,
    on_case: Callable[[], object] | None = None,
) -> RunResult:
    """File a round for every due dormant case (of one court, or all) in this process, at most `limit`.

    The same selection as the sweep, its pages filed inline instead of queued (the command without
    `--queue`, tests). `on_case` is called after each case handled (the command's progress bar).
    """
    today = today or timezone.localdate()
    _partners()  # refuse before selecting anything when no institution can answer
    result = RunResult()
    cursor: int | None = 0
    while cursor is not None and (limit is None or result.filed < limit):
        ids, cursor = queries_dormant.due_ids_page(today, court_id, cursor)
        if limit is not None:
            ids = ids[: max(limit - result.filed, 0)]
        if ids:
            reinquire_page(ids, today, result, on_case)
    return result


def _new_property(round_: DormantRound) -> int:
    """Assets this round put in the register: property already registered (e.g. what could not be
    disposed of before 终本) does not raise the lead again; information answers are not property."""
    return (
        Asset.objects.filter(case_id=round_.case_id, found_at__gte=round_.batch.created_at)
        .exclude(kind=Asset.Kind.INFO)
        .exclude(state=Asset.State.CLOSED)
        .count()
    )


def notice_text(case: EnforcementCase, round_: DormantRound, debtor_names: list[str]) -> str:
    """The words told to the applicant for one settled round (终本规定 Art 9(2))."""
    who = "、".join(debtor_names) or "被执行人"
    if round_.outcome == DormantRound.Outcome.FOUND:
        result = f"查得可能可供执行的财产{round_.found}项，本院将依法审查并恢复执行"
    else:
        result = "未发现可供执行的财产"
    return (
        f"{case.number}：本院于{round_.run_on:%Y年%m月%d日}通过网络执行查控系统对{who}的财产进行了定期查询，"
        f"{result}。您发现被执行人有可供执行财产的，可以随时向本院申请恢复执行，"
        "不受申请执行时效期间的限制（《最高人民法院关于严格规范终结本次执行程序的规定（试行）》第九条）。"
    )


def tell_applicant(round_: DormantRound) -> ReinquiryNotice:
    """Inside the settling transaction: record the result notice to the applicants, to be served.

    # rule: R-5.14
    """
    case = EnforcementCase.objects.get(pk=round_.case_id)
    names = [p.name for p in queries.debtors(case)]
    applicants = "、".join(
        case.parties.filter(role="applicant").order_by("id").values_list("name", flat=True)
    )[:300]
    notice = ReinquiryNotice.objects.create(
        round=round_,
        case=case,
        court_id=round_.court_id,
        addressees=applicants or "申请执行人",
        content=notice_text(case, round_, names),
    )
    audit.record(
        None,
        "inquiry.dormant.notice",
        object_type="ReinquiryNotice",
        object_id=notice.pk,
        case_id=case.pk,
        after={"round": round_.pk, "status": notice.status, "content": notice.content},
    )
    serve_notice(case, notice)
    return notice


def serve_notice(case: EnforcementCase, notice: ReinquiryNotice) -> int:
    """Serve the notice electronically on every applicant whose confirmed address consents (the
    document `reinquiry_notice`, made and served by the platform); how many services were started.

    Inside the settling transaction, in a savepoint: if the document cannot be made (e.g. an
    administrator's template version fails), nothing of it is written and the notice stays to be
    served by other means; the round is settled either way.

    # rule: R-5.14
    """
    applicants = list(case.parties.filter(role="applicant").order_by("pk").values_list("pk", flat=True))
    addresses = ServiceAddress.objects.filter(case_id=case.pk, party_id__in=applicants)
    targets = [a.party_id for a in sorted(addresses, key=lambda a: a.party_id) if eservice.channels_of(a)]
    if not targets:
        return 0
    actor = system_actor("终本定期查询结果告知", case.court, [Cap.INQUIRY_REQUEST])
    try:
        with transaction.atomic():
            doc = documents.generate(actor, case, documents_reinquiry.KIND, str(notice.pk))
            for party_id in targets:
                eservice.serve(actor, doc, party_id)
    except ServiceError:
        log.warning(
            "re-inquiry notice %s of case %s not served electronically", notice.pk, case.pk, exc_info=True
        )
        return 0
    return len(targets)


def settle_rounds(limit: int = 500) -> int:
    """Record the result of every finished round; a round that found property is the resume lead.

    A round is finished when none of its requests is in flight. Found: new property registered
    (lead for the judge to resume, 终本规定 Art 9(2)); empty: answered without property; failed:
    no institution answered (the case stays due and is filed again the next day).
    """
    rounds = queries_dormant.unsettled(limit)
    if not rounds:
        return 0
    statuses: dict[int, set[str]] = {}
    for batch_id, status in InquiryRequest.objects.filter(
        batch_id__in=[r.batch_id for r in rounds]
    ).values_list("batch_id", "status"):
        statuses.setdefault(batch_id, set()).add(status)
    settled = 0
    for r in rounds:
        seen = statuses.get(r.batch_id, set())
        if seen & set(IN_FLIGHT):
            continue
        with transaction.atomic():
            r = DormantRound.objects.select_for_update(of=("self",)).select_related("batch").get(pk=r.pk)
            if r.outcome != DormantRound.Outcome.PENDING:
                continue
            r.found = _new_property(r)
            if r.found:
                r.outcome = DormantRound.Outcome.FOUND
            elif S.DONE in seen:
                r.outcome = DormantRound.Outcome.EMPTY
            else:
                r.outcome = DormantRound.Outcome.FAILED
            r.settled_at = timezone.now()
            r.save(update_fields=["found", "outcome", "settled_at"])
            if r.outcome != DormantRound.Outcome.FAILED:
                tell_applicant(r)
            audit.record(
                None,
                "inquiry.dormant.lead" if r.found else "inquiry.dormant.result",
                object_type="DormantRound",
                object_id=r.pk,
                case_id=r.case_id,
                after={"run_on": r.run_on, "outcome": r.outcome, "found": r.found},
            )
            settled += 1
    return settled
