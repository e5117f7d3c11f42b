"""The inquiry domain's documents: the assistance notice (协助执行通知书) of a request, the freeze and
seizure rulings, and the sale-confirmation ruling of a seized asset — built from the persisted request,
asset and case, and rendered by the documents capability (`zhixing.documents`).

The partner must identify the person and the property, so the notice carries the full identity number and
the control period with what the partner is asked to do and report; the screen (HTML) shows the same
context, and masks nothing only for users who may see full identities.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from zhixing.cases.parties import Party
from zhixing.core.identity import mask_id
from zhixing.courts.queries import object_id
from zhixing.courts.roles import Cap
from zhixing.documents import fields, kinds
from zhixing.documents.kinds import Input, Kind, NotApplicable

from . import rules
from .models import Action, Asset, InquiryRequest

ACTION_TEXT = {
    Action.QUERY: "查询被执行人名下的财产及相关信息",
    Action.FREEZE: "冻结被执行人的存款/资金",
    Action.DEDUCT: "扣划被执行人已被冻结的存款/资金至本院执行款专户",
    Action.SEIZE: "查封（扣押）被执行人的财产",
    Action.RELEASE: "解除对被执行人财产的冻结/查封",
    Action.RENEW: "续行冻结/查封被执行人的财产",
}
ARTICLE = {
    Action.QUERY: "第二百五十三条",
    Action.FREEZE: "第二百五十三条",
    Action.DEDUCT: "第二百五十三条",
    Action.SEIZE: "第二百五十五条",
    Action.RELEASE: "第二百五十三条、第二百五十五条",
    Action.RENEW: "第二百五十三条、第二百五十五条",
}
# What the partner must do and send back, per action.
NEEDS = {
    Action.QUERY: "请查询被执行人名下的账户、余额及财产登记信息，并通过网络执行查控系统反馈查询结果。",
    Action.FREEZE: (
        "请按上列金额冻结被执行人账户内的存款，反馈实际冻结金额、账号及冻结起止日期；"
        "冻结期限届满前本院可以续行冻结，期满未续行的冻结自动解除。"
    ),
    Action.DEDUCT: ("请将上列已冻结的存款扣划至本院执行款专户，并反馈扣划金额、日期及交易流水号。"),
    Action.SEIZE: (
        "请办理查封登记，查封期间不得为被执行人办理该财产的转移、抵押等手续；反馈查封登记日期及查封顺位。"
    ),
    Action.RELEASE: "请解除对上列财产的冻结或查封，并反馈解除日期。",
    Action.RENEW: "请在原控制期限届满前办理续行冻结或查封，续行期限如上，并反馈续行起止日期。",
}
CONTROLLING = (Action.FREEZE, Action.SEIZE, Action.RENEW)


def _request(case: Any, source: str, actions: tuple[str, ...] = ()) -> InquiryRequest:
    qs = InquiryRequest.objects.select_related("case__court", "partner__category", "party", "asset").filter(
        case_id=case.pk, pk=object_id(source) or 0
    )
    if actions:
        qs = qs.filter(action__in=actions)
    req = qs.first()
    if req is None:
        raise NotApplicable("请选择本案的协助执行请求" if not actions else "请选择本案的冻结或查封请求")
    return req


def control_period(req: InquiryRequest, today: date | None = None) -> str:
    """The control period the partner must apply (SPC-CPL-Interp Art 485: 1/2/3 years by asset kind)."""
    if req.action not in CONTROLLING:
        return "本次协助事项不涉及控制期限" if req.action != Action.RELEASE else "自解除之日起不再控制"
    asset = req.asset
    if asset is not None and asset.control_start and asset.control_expires:
        start, end = asset.control_start, asset.control_expires
    else:
        start = today or timezone.localdate()
        try:
            end = rules.control_expiry(start, req.partner.category.asset_kind)
        except rules.RuleError as exc:
            raise NotApplicable(str(exc)) from exc
    years = rules.term_years(req.partner.category.asset_kind)
    return (
        f"自{fields.cn_date(start)}起至{fields.cn_date(end)}止（{years}年）。期限届满前，本院可以依法续行；"
        "期满未续行的，控制自动解除。"
    )


def _identity(party: Party) -> tuple[str, str]:
    if party.kind == Party.Kind.ORGANISATION:
        return "统一社会信用代码", party.credit_code or party.id_number
    return "公民身份号码", party.id_number or party.credit_code


def context(req: InquiryRequest) -> dict[str, Any]:
    """Every field of the assistance notice, with the full identity number (the partner identifies by it)."""
    case, party = req.case, req.party
    id_label, id_number = _identity(party)
    action = Action(req.action)
    return {
        "court": case.court.name,
        "document_number": req.notice_number,
        "number": req.notice_number,
        "partner": req.partner.name,
        "case_number": case.number,
        "basis": f"{case.issuing_body}{case.basis_number}",
        "article": ARTICLE[action],
        "action": ACTION_TEXT.get(action, req.get_action_display()),
        "debtor": party.name,
        "id_label": id_label,
        "debtor_id": id_number or "未登记",
        "asset": f"{req.asset.get_kind_display()} {req.asset.ref}" if req.asset else "名下全部财产",
        "amount": f"人民币{fields.yuan(req.amount)}元"
        if req.amount is not None
        else "不限金额（以实际财产为限）",
        "control_period": control_period(req, timezone.localdate(req.created_at)),
        "partner_needs": NEEDS[action],
        "handler": (case.handler.full_name if case.handler_id and case.handler else "本院执行局"),
        "date": fields.cn_date(req.created_at),
    }


def assistance_notice(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    return context(_request(case, source))


def _applicants(case: Any) -> str:
    return fields.names(
        list(
            Party.objects.filter(case_id=case.pk, role=Party.Role.APPLICANT)
            .order_by("pk")
            .values_list("name", flat=True)
        )
    )


def _ruling(case: Any, source: str, action: str, suffix: str) -> dict[str, Any]:
    req = _request(case, source, (action,))
    ctx = context(req)
    ctx.update(
        document_number=f"{case.number}之{suffix}{req.pk}",
        applicants=_applicants(case),
        filed_on=fields.cn_date(case.filed_on),
        amount=fields.yuan(req.amount) + "元" if req.amount is not None else "被执行人应当履行的义务",
    )
    return ctx


def freeze_ruling(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    return _ruling(case, source, Action.FREEZE, "冻")


def seizure_ruling(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    """The seizure ruling of a seized asset (the request that seized it, if the platform sent one, is not
    needed: the register holds the partner, the property and the control dates)."""
    asset = _seized(case, source)
    id_label, id_number = _identity(asset.party)
    years = rules.term_years(asset.category.asset_kind)
    start = asset.control_start or timezone.localdate()
    end = asset.control_expires or rules.control_expiry(start, asset.category.asset_kind)
    return {
        "court": case.court.name,
        "document_number": f"{case.number}之封{asset.pk}",
        "case_number": case.number,
        "applicants": _applicants(case),
        "debtor": asset.party.name,
        "id_label": id_label,
        "debtor_id": id_number or "未登记",
        "basis": f"{case.issuing_body}{case.basis_number}",
        "filed_on": fields.cn_date(case.filed_on),
        "asset": _asset_text(asset),
        "partner": asset.partner.name,
        "control_period": (
            f"自{fields.cn_date(start)}起至{fields.cn_date(end)}止（{years}年）。期限届满前，本院可以依法续行；"
            "期满未续行的，查封自动解除。"
        ),
        "date": fields.cn_date(start),
    }


def _seized(case: Any, source: str) -> Asset:
    asset = (
        Asset.objects.select_related("party", "partner", "category")
        .filter(
            case_id=case.pk,
            pk=object_id(source) or 0,
            state__in=(Asset.State.SEIZED, Asset.State.QUEUED),
        )
        .first()
    )
    if asset is None:
        raise NotApplicable("请选择本案已查封的财产")
    return asset


def _asset_text(asset: Asset) -> str:
    note = f"，{asset.description}" if asset.description else ""
    return f"{asset.get_kind_display()}（{asset.ref}{note}）"


def sale_confirmation(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    """拍卖成交确认裁定 for a seized asset; the sale's facts are typed until the auctions domain exists."""
    asset = _seized(case, source)
    try:
        price = Decimal(inputs["price"].replace(",", ""))
    except InvalidOperation as exc:
        raise NotApplicable("成交价须为金额（元）", field="price") from exc
    # NaN and overflowing figures ("1e309") are not amounts: refused before any arithmetic on them.
    if (
        not price.is_finite()
        or price <= 0
        or price >= Decimal("1e15")
        or price != price.quantize(Decimal("0.01"))
    ):
        raise NotApplicable("成交价须为大于零、最多两位小数的金额（元）", field="price")
    return {
        "court": case.court.name,
        "document_number": f"{case.number}之拍{asset.pk}",
        "case_number": case.number,
        "applicants": _applicants(case),
        "debtor": asset.party.name,
        "buyer": inputs["buyer"],
        "sale_date": inputs["sale_date"],
        "platform": inputs["platform"],
        "asset": _asset_text(asset),
        "price": fields.yuan(price),
        "partner": asset.partner.name,
        "date": fields.today(),
    }


def request_sources(actions: tuple[str, ...] = ()) -> Any:
    def sources(case: Any) -> list[tuple[str, str]]:
        qs = InquiryRequest.objects.filter(case_id=case.pk).select_related("partner", "party").order_by("-id")
        if actions:
            qs = qs.filter(action__in=actions)
        return [
            (str(r.pk), f"{r.notice_number} {r.get_action_display()} · {r.partner.name} · {r.party.name}")
            for r in qs[:200]
        ]

    return sources


def seized_sources(case: Any) -> list[tuple[str, str]]:
    qs = Asset.objects.filter(case_id=case.pk, state__in=(Asset.State.SEIZED, Asset.State.QUEUED)).order_by(
        "pk"
    )
    return [(str(a.pk), f"{a.get_kind_display()} {a.ref}") for a in qs[:200]]


def install() -> None:
    """Register this domain's kinds (called from InquiryConfig.ready)."""
    for kind in (
        Kind(
            "assistance_notice",
            "协助执行通知书",
            assistance_notice,
            Cap.INQUIRY_REQUEST,
            request_sources(),
            "协助执行请求",
            identifies=True,
        ),
        Kind(
            "freeze_ruling",
            "冻结裁定书",
            freeze_ruling,
            Cap.INQUIRY_CONTROL,
            request_sources((Action.FREEZE,)),
            "冻结请求",
            identifies=True,
        ),
        Kind(
            "seizure_ruling",
            "查封裁定书",
            seizure_ruling,
            Cap.INQUIRY_CONTROL,
            seized_sources,
            "已查封的财产",
            identifies=True,
        ),
        Kind(
            "sale_confirmation",
            "拍卖成交确认裁定书",
            sale_confirmation,
            Cap.INQUIRY_CONTROL,
            seized_sources,
            "已查封的财产",
            (
                Input("buyer", "买受人", "姓名或名称"),
                Input("price", "成交价（元）"),
                Input("sale_date", "拍卖日期", "如：2026年11月20日"),
                Input("platform", "拍卖平台", "如：人民法院诉讼资产网"),
            ),
        ),
    ):
        kinds.register(kind)


# -- the screen and the download of one request's notice ------------------------------------------------
def screen_context(req: InquiryRequest) -> dict[str, Any]:
    """The notice's fields for the screen: the identity number masked (the stored Word document, whose
    download is limited to who may identify and audited, has it in full)."""
    n = context(req)
    n["debtor_id"] = mask_id(n["debtor_id"])
    return n
