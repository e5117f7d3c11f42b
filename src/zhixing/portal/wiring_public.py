"""Registrations of the public portal's features: staff menu entries, worklist, audit words."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from zhixing.core.audit_catalogue import (
    register_actions,
    register_keys,
    register_names,
    register_namespace,
    register_values,
)
from zhixing.core.navigation import Entry, always, register
from zhixing.core.worklist import WorkItem
from zhixing.core.worklist import register as register_work
from zhixing.courts.audit_words import staff_names
from zhixing.courts.roles import Role

from . import access_public, queries_public


def _reads(user: Any) -> bool:
    return bool(getattr(user, "court_id", None))


def worklist(user: Any) -> list[WorkItem]:
    """New tips of the user's cases and petitions routed to them (one query); a director's, the court's."""
    if getattr(user, "role", "") not in access_public.HANDLERS | access_public.COUNTER or not _reads(user):
        return []
    today = timezone.localdate()
    court_wide = user.role == Role.DIRECTOR
    tips, late_tips, open_p, late_p = queries_public.worklist_counts(user, today, court_wide=court_wide)
    out = []
    if tips or user.role in access_public.DECIDERS:
        out.append(
            WorkItem("portal", "tips", "待核查举报线索", tips, reverse("portal_tips"), urgent=bool(late_tips))
        )
    if open_p or user.role in access_public.DECIDERS:
        out.append(
            WorkItem(
                "portal",
                "petitions",
                "待答复信访",
                open_p,
                reverse("portal_petitions") + "?status=open",
                urgent=bool(late_p),
            )
        )
    return out


def install() -> None:
    register(
        Entry("portal", "portal-tips", "举报线索", "portal_tips", 30, _reads),
        Entry("portal", "portal-petitions", "信访", "portal_petitions", 35, _reads),
        Entry("portal", "portal-rulings", "公开裁判文书", "portal_rulings", 40, _reads),
        Entry("portal", "public-portal", "执行公开网（公众）", "public_portal", 45, always),
    )
    register_work("portal", "执行公开", worklist, order=70)
    register_namespace("portal", "执行公开操作")
    register_actions(
        {
            "portal.code_issue": "生成案件查询码",
            "portal.tip_submit": "收到举报线索",
            "portal.tip_act": "登记举报线索核查情况",
            "portal.tip_close": "办结举报线索",
            "portal.reward_offer": "发布悬赏",
            "portal.reward_pay": "发起悬赏金发款",
            "portal.reward_paid": "悬赏金已由银行支付",
            "portal.reward_reopen": "悬赏金发款未成，悬赏恢复可发放",
            "portal.reward_withdraw": "撤回悬赏",
            "portal.petition_register": "登记信访",
            "portal.petition_answer": "答复信访",
            "portal.ruling_publish": "公开裁判文书",
            "portal.ruling_withdraw": "撤回公开的裁判文书",
            "funds.reward_paid": "悬赏金出账（旧流程）",
        }
    )
    register_keys(
        {
            "reference": "编号",
            "kind": "种类",
            "photos": "照片数",
            "due_on": "期限",
            "note": "核查情况",
            "outcome": "办结结果",
            "terms": "悬赏条件",
            "tip": "线索",
            "source": "来源",
            "routed_to": "办理人",
            "on_time": "按期答复",
            "document": "文书",
            "withdrawn": "已撤回",
            "issued_at": "生成时间",
            "payout": "发款",
            "payout_outcome": "发款结果",
        },
        namespace="portal",
    )
    register_names("routed_to", staff_names, namespace="portal")
    _register_values()
    # A reward's payout ending (paid, rejected, withdrawn, returned) decides its offer (rewards.py).
    from zhixing.funds.events import payout_settled

    from . import rewards

    payout_settled.connect(rewards.on_payout_settled, dispatch_uid="portal.rewards.payout_settled")


def _kind_words(value: object) -> str | None:
    """`kind` is a tip's, a party message's, or a published ruling's document kind."""
    from zhixing.documents import kinds

    from .models import PartyMessage, Tip

    words = {**dict(PartyMessage.Kind.choices), **dict(Tip.Kind.choices)}
    if str(value) in words:
        return words[str(value)]
    kind = kinds.get(str(value))
    return kind.title if kind is not None else None


def _register_values() -> None:
    from zhixing.funds.models import Payout

    from .models import Petition, RewardOffer, Tip

    register_values("kind", _kind_words, namespace="portal")
    register_values("payout_outcome", dict(Payout.Status.choices), namespace="portal")
    register_values("outcome", {k: v for k, v in Tip.Outcome.choices if k}, namespace="portal")
    register_values("source", dict(Petition.Source.choices), namespace="portal")
    register_values(
        "status",
        {**dict(RewardOffer.Status.choices), **dict(Petition.Status.choices), **dict(Tip.Status.choices)},
        namespace="portal",
    )
