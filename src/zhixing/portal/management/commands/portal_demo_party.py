"""manage.py portal_demo_party — the party portal and e-service on `make run` (seed_demo, after
documents_demo).

Four demo cases whose enforcement notice was made: their parties confirm service addresses (demo phones
139000000NN), the notice is served on the debtor in every proof state, the applicant and the debtor send
messages and a lead, and node push is configured. Gateway answers are applied through the product's own
outcome path (`dispatch.apply`), as the SMS and e-mail partners would answer, so no gateway need run:

* case 1: served through the portal, delivered and opened (sign in as debtor 13900000001);
* case 2: SMS refused (空号) → fell back to e-mail, which is still queued (送达中);
* case 3: SMS and e-mail both refused → the service failed (serve by other means);
* case 4: SMS with a link, delivered, not opened yet.
(The order puts every service status in the first three: a small demo may have only three such cases.)

Idempotent: a case whose debtor already has a confirmed address is skipped.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import Party
from zhixing.documents import dispatch, eservice
from zhixing.documents.models import Delivery, Document, ServiceAddress
from zhixing.portal.models import NodePushRule, PartyMessage
from zhixing.portal.party_auth import Identity
from zhixing.portal.party_services import send_message

PUSH_RULES = (
    ("notice", "portal", "all"),
    ("notice", "sms", "debtor"),
    ("network_inquiry", "portal", "applicant"),
    ("control", "portal", "all"),
    ("control", "sms", "applicant"),
)


def demo_phone(n: int) -> str:
    return f"139{n:08d}"


class Command(BaseCommand):
    help = "当事人门户与电子送达演示数据（送达地址确认书、各送达状态、留言与线索、节点推送配置）"

    def handle(self, *args: Any, **opts: Any) -> None:
        for code, channel, audience in PUSH_RULES:
            NodePushRule.objects.get_or_create(
                node_code=code, channel=channel, defaults={"audience": audience}
            )
        docs = list(
            Document.objects.filter(kind="enforcement_notice", case__handler__isnull=False)
            .select_related("case", "case__court", "case__handler")
            .order_by("case_id", "id")
        )
        seen: set[int] = set()
        picked = []
        for d in docs:
            if d.case_id not in seen:
                seen.add(d.case_id)
                picked.append(d)
            if len(picked) == 4:
                break
        made = 0
        for i, doc in enumerate(picked, start=1):
            made += self._case(i, doc)
        if opts["verbosity"]:
            self.stdout.write(f"当事人门户演示：{made}件案件（被执行人手机 {demo_phone(1)} 起）")

    @transaction.atomic
    def _case(self, i: int, doc: Document) -> int:
        case, judge = doc.case, doc.case.handler
        debtor = Party.objects.filter(case=case, role=Party.Role.DEBTOR).order_by("pk").first()
        applicant = Party.objects.filter(case=case, role=Party.Role.APPLICANT).order_by("pk").first()
        if debtor is None or ServiceAddress.objects.filter(case=case, party_id=debtor.pk).exists():
            return 0
        phone = demo_phone(i)
        email = f"debtor{i}@example.cn"
        portal = i == 1
        eservice.confirm_address(
            judge, case, debtor.pk, phone=phone, email=email, portal=portal, electronic_consent=True
        )
        if applicant is not None:
            eservice.confirm_address(
                judge, case, applicant.pk, phone=demo_phone(50 + i), portal=True, electronic_consent=True
            )
        svc = eservice.serve(judge, doc, debtor.pk)
        now = timezone.now()
        first = svc.deliveries.get()
        r = dispatch.Round()
        if i == 1:  # portal: delivered now, opened by the debtor
            dispatch.apply([first], dispatch.send_portal([first]), now, r)
            eservice.record_opened(first)
        elif i == 4:  # the SMS gateway's receipt
            dispatch.apply([first], {first.pk: dispatch.Outcome(delivered_at=now)}, now, r)
        else:  # 空号: final, falls back to e-mail
            dispatch.apply([first], {first.pk: dispatch.Outcome(error="空号或停机")}, now, r)
            if i == 3:
                nxt = Delivery.objects.get(service=svc, channel="email")
                dispatch.apply([nxt], {nxt.pk: dispatch.Outcome(error="收件地址被拒收")}, now, r)
        if applicant is not None:
            send_message(
                Identity(case.pk, applicant.pk, applicant.role, applicant.name),
                PartyMessage.Kind.LEAD,
                "被执行人名下可能有一辆登记在其配偶名下的小型轿车，常停放于住所小区地下车库。",
            )
        send_message(
            Identity(case.pk, debtor.pk, debtor.role, debtor.name),
            PartyMessage.Kind.MESSAGE,
            "本人已收到执行通知书，希望与申请执行人协商分期履行，请法官安排约谈。",
        )
        return 1
