"""Demo of the 终本 work (issue 20): in 粤0106, a case with some preconditions confirmed (the checklist shows
what is missing), a case closed as 终本 through the checks (review, ruling) with the applicant's request to
resume, periodic re-inquiry results told to the applicant (one served electronically on the applicant who
confirmed a portal address, one to be served by other means), and a dormant case the network
system cannot search (listed as needing attention). Idempotent: does nothing when it ran before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.closing import add_months
from zhixing.cases.models import CaseStatus, EnforcementCase, EnforcementNotice, ResumptionRequest
from zhixing.cases.rules_dormant import CONFIRMABLE
from zhixing.core.errors import ServiceError
from zhixing.courts.models import Court
from zhixing.documents import dispatch, eservice
from zhixing.documents.models import Delivery
from zhixing.inquiry import conf as inquiry_conf
from zhixing.inquiry import queries_dormant, services
from zhixing.inquiry.models import DormantAttention, DormantRound, InquiryRequest, ReinquiryNotice
from zhixing.inquiry.services import dormant as dormant_service

DEMO_PHONE = "13900139106"  # the demo applicant's phone for the party portal (sign in with any code sent)

NOTES = {
    "consumption_restriction": "已向被执行人送达限制消费令（纸质），回证附卷",
    "listing": "被执行人已纳入失信被执行人名单",
    "network_inquiry": "已通过总对总、点对点系统查询存款、车辆、不动产、证券，均无可供执行财产",
    "leads_verified": "申请执行人提供的两条线索（车辆、租金收入）已核查，均不属实",
    "on_site": "到被执行人住所地实地调查，未发现可供执行的财产，制作调查笔录并拍照",
    "missing_debtor_searched": "被执行人下落清楚，无需查找",
    "obstruction_punished": "被执行人无妨害执行行为",
    "interview": "约谈申请执行人，告知执行情况、财产调查措施及终本后果；申请执行人同意终结本次执行程序",
}


class Command(BaseCommand):
    help = "演示数据：终本条件审查、终本案件、恢复执行申请、定期查询结果告知、需关注案件"

    def handle(self, *args: Any, **opts: Any) -> None:
        if ResumptionRequest.objects.exists() or ReinquiryNotice.objects.exists():
            return  # ran before (the demo replay's own 终本 closings record confirmations too)
        today = timezone.localdate()
        old = add_months(today, -4)
        cases = list(
            EnforcementCase.objects.filter(
                court__code="粤0106", status=CaseStatus.IN_PROGRESS, filed_on__lt=old, handler__is_active=True
            )
            .select_related("court", "handler")
            .order_by("pk")[:6]
        )
        closed = partial = False
        for case in cases:
            if closed and partial:
                break
            judge = case.handler
            try:
                if not EnforcementNotice.objects.filter(case_id=case.pk, served_on__isnull=False).exists():
                    if EnforcementNotice.objects.filter(case_id=case.pk).exists():
                        continue
                    case_services.issue_and_serve_notice(judge, case, on=case.filed_on)
                # One case partly done (the checklist names what is still missing), the others fully.
                keys = [p.key for p in CONFIRMABLE][: 4 if not partial and closed else None]
                for key in keys:
                    case_services.confirm_precondition(
                        judge, case, key=key, done_on=today - timedelta(days=7), note=NOTES[key]
                    )
                if len(keys) < len(CONFIRMABLE):
                    partial = True
                    continue
                if closed:
                    continue
                # A case whose money is still on its account stays "ready" (funds vetoes the closing).
                self._close(judge, case, today)
                closed = True
            except ServiceError as exc:  # e.g. money still on the case account: the case stays "ready"
                if int(opts.get("verbosity", 1)) > 1:
                    self.stderr.write(f"{case.number}：{exc.message}")
        self._reinquiry(today)
        self._sweeps(today)

    def _close(self, judge: Any, case: EnforcementCase, today: Any) -> None:
        case_services.close_case(
            judge,
            case,
            mode="dormant",
            closed_on=today,
            details={
                "document_ref": f"{case.number}之终本",
                "interview_on": (today - timedelta(days=7)).isoformat(),
                "approval": "applicant_confirmed",
                "investigation_summary": "网络查控及实地调查均未发现可供执行的财产",
            },
        )
        applicant = case.parties.filter(role="applicant").first()
        case_services.request_resumption(
            case,
            applicant.name if applicant else "申请执行人",
            "发现被执行人名下新登记一辆小型轿车",
            actor=judge,
        )

    def _reinquiry(self, today: Any) -> None:
        """Two due dormant cases re-searched, answered empty (the result told to the applicant, to be
        served); one dormant case whose debtors cannot be searched, kept on the attention list."""
        due, _ = queries_dormant.due_ids_page(today, None, 0, 50)
        if not due:
            return
        if not DormantAttention.objects.exists() and len(due) > 2:
            stuck = EnforcementCase.objects.get(pk=due[-1])
            stuck.parties.filter(role="debtor").update(id_number="", credit_code="")  # demo: identity missing
            services.reinquire_page([stuck.pk], today)
        services.reinquire_page(due[:2], today)
        # The first case's applicant signed a 送达地址确认书 with the portal: its result is served on it.
        first = EnforcementCase.objects.select_related("handler").get(pk=due[0])
        applicant = first.parties.filter(role="applicant").order_by("pk").first()
        if applicant is not None and first.handler is not None:
            eservice.confirm_address(
                first.handler, first, applicant.pk, phone=DEMO_PHONE, portal=True, electronic_consent=True
            )
        batches = DormantRound.objects.filter(case_id__in=due[:2], run_on=today).values("batch_id")
        InquiryRequest.objects.filter(batch_id__in=batches).update(status="done", outcome={"found": 0})
        services.settle_rounds()
        # The portal delivery of that service (only it: the demo's other queued messages stay queued).
        keys = list(
            Delivery.objects.filter(
                purpose=Delivery.Purpose.SERVICE, case_id=first.pk, status=Delivery.Status.QUEUED
            ).values_list("key", flat=True)
        )
        if keys:
            dispatch.send_now(keys)

    def _sweeps(self, today: Any, court_code: str = "粤0106") -> None:
        """The featured court's periodic re-inquiry as the daily sweep would have left it (the demo walk
        found every 天河 row 未查询 and 今日已发起 0): six due cases searched in past sweeps (answered
        empty, the applicant told; next query six months on), four filed by today's sweep (answers
        outstanding), the rest still due and, past their day, red on the registry."""
        court = Court.objects.filter(code=court_code).first()
        if court is None or DormantRound.objects.filter(court=court).exists():
            return
        due, _ = queries_dormant.due_ids_page(today, court.pk, 0, 50)
        if len(due) < 12:
            return
        codes, partners = dormant_service._partners()
        months = int(inquiry_conf.option("dormant_period_months"))
        past: list[int] = []
        for i, case in enumerate(EnforcementCase.objects.filter(pk__in=due[:6]).order_by("pk")):
            last = dormant_service._last_round_on(case.pk) or case.closed_on or today
            # the day the sweep found it due, within the last five months (so its next day is ahead)
            run_on = min(max(add_months(last, months), today - timedelta(days=150 - 20 * i)), today)
            made = services.reinquire(case, run_on, codes, partners)
            if isinstance(made, DormantRound):
                past.append(made.batch_id)
        # the institutions answered the past rounds: nothing found (the applicant is told, to be served)
        InquiryRequest.objects.filter(batch_id__in=past).update(status="done", outcome={"found": 0})
        services.settle_rounds()
        services.reinquire_page(due[6:10], today)  # today's sweep: filed, answers outstanding
