"""The objection ruling (执行裁定书) a collegial panel issues on a third-party objection, made through the
documents capability (`zhixing.documents`) from the stored objection."""

from __future__ import annotations

from typing import Any

from zhixing.courts.queries import object_id
from zhixing.courts.roles import Cap
from zhixing.documents import fields
from zhixing.documents.kinds import Kind, NotApplicable, register

from .models import Objection

KIND = "objection_ruling"
UPHELD_TEXT = "异议成立，中止对上列财产的执行。"
REJECTED_TEXT = "驳回{name}的异议。"
SUIT_TEXT = (
    "案外人、当事人对本裁定不服，认为原判决、裁定错误的，应当依照审判监督程序办理；与原判决、裁定无关的，"
    "可以自本裁定送达之日起十五日内向人民法院提起诉讼（《中华人民共和国民事诉讼法》第二百三十八条）。"
)


def build(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    obj = (
        Objection.objects.select_related("asset", "asset__partner")
        .filter(case_id=case.pk, pk=object_id(source) or 0)
        .exclude(status__in=(Objection.Status.PENDING, Objection.Status.WITHDRAWN))
        .first()
    )
    if obj is None:
        raise NotApplicable("请选择本案已审查完毕的执行异议")
    if obj.kind == Objection.Kind.ACT:
        return _act_ruling(case, obj)
    if obj.asset is None:
        raise NotApplicable("请选择本案已审查完毕的案外人异议")
    asset = obj.asset
    return {
        "court": case.court.name,
        "document_number": obj.number,
        "case_number": case.number,
        "objector": obj.objector_name,
        "asset": f"{asset.get_kind_display()}（{asset.ref}，登记机构：{asset.partner.name}）",
        "claim": obj.claim,
        "received_on": fields.cn_date(obj.received_on),
        "panel": "、".join(m["name"] for m in obj.panel),
        "reason": obj.decision_reason,
        "result": UPHELD_TEXT
        if obj.status == Objection.Status.UPHELD
        else REJECTED_TEXT.format(name=obj.objector_name),
        "suit": SUIT_TEXT,
        "date": fields.cn_date(obj.decided_on) if obj.decided_on else fields.today(),
    }


ACT_UPHELD = "异议成立，撤销本院{act}的执行行为。"
VALUATION_UPHELD = (
    "异议成立，撤销{act}，重新确定财产处置参考价"
    "（《最高人民法院关于人民法院确定财产处置参考价若干问题的规定》第二十三条）。"
)
REVIEW_TEXT = (
    "如不服本裁定，可以自本裁定送达之日起十日内向上一级人民法院申请复议"
    "（《中华人民共和国民事诉讼法》第二百三十六条）。"
)


def _act_ruling(case: Any, obj: Objection) -> dict[str, Any]:
    """The same template for an act objection: the act in place of the asset, 复议 in place of the suit."""
    return {
        "court": case.court.name,
        "document_number": obj.number,
        "case_number": case.number,
        "objector": obj.objector_name,
        "asset": f"执行行为：{obj.act_label}",
        "claim": obj.claim,
        "received_on": fields.cn_date(obj.received_on),
        "panel": "、".join(m["name"] for m in obj.panel),
        "reason": obj.decision_reason,
        "result": (VALUATION_UPHELD if obj.act_type == "valuation" else ACT_UPHELD).format(act=obj.act_label)
        if obj.status == Objection.Status.UPHELD
        else REJECTED_TEXT.format(name=obj.objector_name),
        "suit": REVIEW_TEXT,
        "date": fields.cn_date(obj.decided_on) if obj.decided_on else fields.today(),
    }


def sources(case: Any) -> list[tuple[str, str]]:
    qs = Objection.objects.filter(case_id=case.pk).exclude(
        status__in=(Objection.Status.PENDING, Objection.Status.WITHDRAWN)
    )
    return [(str(o.pk), f"{o.number} {o.objector_name}") for o in qs[:200]]


def install() -> None:
    register(Kind(KIND, "执行异议裁定书", build, Cap.INQUIRY_CONTROL, sources, "已审查的执行异议"))
