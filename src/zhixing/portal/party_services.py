"""Party portal writes: messages and asset leads to the handler, opening a served document, node push.

* `send_message` — a party's message or asset lead on one of their own cases: stored, audited, and the
  handler notified in-app (it appears on the case's party page for staff).
* `request_resume` — the applicant of a dormant (终本) case asks online to resume it (终本规定 Art 9(1)):
  the case's own resumption request (`cases.services.request_resumption`, channel `portal`), the
  handler notified in-app.
* `open_document` — the party opened a served document in the portal: the delivery proof's "opened".
* `push_nodes` (receiver of `cases.events.nodes_completed`) — 定向推送: each completed node is queued
  for the parties on the channels `NodePushRule` configures (portal only when a node kind has no rule),
  with a stable idempotency key per (node, party, channel): a repeated completion pushes once. The
  e-service worker (`documents.dispatch`) sends them with retries.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.urls import reverse

from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase, Party, ResumptionRequest
from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.notify import notify
from zhixing.documents import eservice
from zhixing.documents.models import Channel, Delivery, ServiceAddress

from .models import NodePushRule, PartyMessage
from .party_auth import Identity

MESSAGE_MAX = 2000
DEFAULT_CHANNELS = (NodePushRule.Channel.PORTAL,)


def send_message(who: Identity, kind: str, text: str) -> PartyMessage:
    """Store a message or lead from `who` (an identity of the signed-in phone) and tell the handler."""
    if kind not in PartyMessage.Kind.values:
        raise ServiceError("请选择留言或财产线索", field="kind")
    text = (text or "").strip()
    if not text:
        raise ServiceError("请填写内容", field="text")
    if len(text) > MESSAGE_MAX:
        raise ServiceError(f"内容不能超过{MESSAGE_MAX}字", field="text")
    case = EnforcementCase.objects.select_related("court", "handler").get(pk=who.case_id)
    with transaction.atomic():
        msg = PartyMessage.objects.create(
            case=case, party_id=who.party_id, party_name=who.name[:128], kind=kind, text=text
        )
        audit.record(
            None,
            "portal.party_message",
            object_type="party_message",
            object_id=msg.pk,
            case_id=case.pk,
            after={"party": who.party_id, "kind": kind, "length": len(text)},
            court=case.court,
        )
        label = "财产线索" if kind == PartyMessage.Kind.LEAD else "留言"
        notify(
            case.handler,
            "party_message",
            f"{case.number}：{who.name}通过当事人门户发来{label}",
            reverse("party_messages_staff", args=[case.pk]),
            source=f"party_message:{msg.pk}",
        )
    return msg


# rule
def request_resume(who: Identity, reason: str) -> ResumptionRequest:
    """The applicant `who` asks to resume their dormant case: recorded once (a second open request of the
    same applicant is refused), audited by the case service, the handler told. A debtor is refused."""
    if who.role != Party.Role.APPLICANT:
        raise NotPermitted("只有申请执行人可以申请恢复执行")
    case = EnforcementCase.objects.select_related("court", "handler").get(pk=who.case_id)
    with transaction.atomic():
        row = case_services.request_resumption(case, who.name, reason, channel="portal")
        notify(
            case.handler,
            "resume_request",
            f"{case.number}：申请执行人{who.name}通过当事人门户申请恢复执行",
            reverse("case_dormant", args=[case.pk]),
            source=f"resume_request:{row.pk}",
        )
    return row


def open_document(delivery: Delivery) -> bool:
    """The party opened the served document (first time: True)."""
    return eservice.record_opened(delivery)


def _push_text(case: EnforcementCase, node: Any) -> str:
    done = f"{node.completed_on:%Y-%m-%d}"
    return f"【人民法院】您的执行案件{case.number}已完成“{node.node_type.name}”（{done}）。"


def push_nodes(sender: Any, *, nodes: list[Any], actor: Any = None, **_: Any) -> int:
    """Queue the pushes of completed `nodes` (same transaction as the completion); how many."""
    if not nodes:
        return 0
    case_ids = {n.case_id for n in nodes}
    codes = {n.node_type.code for n in nodes}
    rules: dict[str, list[NodePushRule]] = defaultdict(list)
    for r in NodePushRule.objects.filter(node_code__in=codes):
        rules[r.node_code].append(r)
    parties: dict[int, list[Party]] = defaultdict(list)
    for p in Party.objects.filter(case_id__in=case_ids).order_by("pk"):
        parties[p.case_id].append(p)
    phones = {
        (a.case_id, a.party_id): a.phone
        for a in ServiceAddress.objects.filter(case_id__in=case_ids, electronic_consent=True).exclude(
            phone=""
        )
    }
    cases = EnforcementCase.objects.in_bulk(list(case_ids))
    items = []
    for n in nodes:
        configured = rules.get(n.node_type.code)
        plan = (
            [(r.channel, r.audience) for r in configured if r.enabled]
            if configured
            else [(c, NodePushRule.Audience.ALL) for c in DEFAULT_CHANNELS]
        )
        text = _push_text(cases[n.case_id], n)
        for channel, audience in plan:
            for p in parties[n.case_id]:
                if audience != NodePushRule.Audience.ALL and p.role != audience:
                    continue
                address = phones.get((n.case_id, p.pk), "") if channel == Channel.SMS else ""
                if channel == Channel.SMS and not address:
                    continue  # SMS only to a phone the party confirmed for service
                items.append(
                    {
                        "channel": channel,
                        "address": address,
                        "text": text,
                        "case_id": n.case_id,
                        "court_id": n.court_id,
                        "party_id": p.pk,
                        "source": f"node:{n.pk}",
                        "key": f"np-{n.pk}-{p.pk}-{channel}",
                    }
                )
    if items:
        # No audit record of its own: the node's completion is audited in this same transaction, and
        # each queued row (with its key naming the node) is the push's record and delivery proof.
        eservice.enqueue(Delivery.Purpose.NODE_PUSH, items)
    return len(items)


def install() -> None:
    from zhixing.cases.events import nodes_completed

    nodes_completed.connect(push_nodes, dispatch_uid="portal.node_push")
