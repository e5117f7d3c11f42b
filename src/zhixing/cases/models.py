"""Enforcement cases, their parties, flow nodes with statutory deadlines, suspensions and extensions.

The case lives here; its nodes and their alerts (`nodes`), the choices (`choices`), parties (`parties`),
term changes (`term`), payments (`performance`) and reference tables (`reference`) have their own
modules, re-exported here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhixing.courts.models import Court, Team

from .agreements import PaymentOrderAgreement
from .asset_reports import AssetReport
from .choices import OPEN_STATUSES, CaseStatus, ClosingMode, Obligation
from .coercive_measures import BankruptcyTransfer, CoerciveMeasure, RefusalReferral
from .dormant_records import DormantConfirmation, DormantReview, ResumptionRequest
from .enforcement_costs import EnforcementCost
from .filing_key import FilingKey
from .instalments import Instalment
from .judgment_terms import CURRENCIES, RMB
from .nodes import Alert, Node
from .notice import EnforcementNotice
from .parties import IdType, Party, PartyAlias
from .performance import Payment
from .preservations import Preservation
from .reference import CaseType, InstrumentType, NodeType
from .settlements import SettlementAgreement, SettlementInstalment, SettlementResumeRequest
from .supervision_orders import SupervisionOrder
from .term import ExcludedPeriod, Extension, Suspension

__all__ = [
    "OPEN_STATUSES",
    "Alert",
    "AssetReport",
    "BankruptcyTransfer",
    "CaseNumberCounter",
    "CaseStatus",
    "CaseType",
    "ClosingMode",
    "CoerciveMeasure",
    "DormantConfirmation",
    "DormantReview",
    "EnforcementCase",
    "EnforcementCost",
    "EnforcementNotice",
    "ExcludedPeriod",
    "Extension",
    "FilingKey",
    "IdType",
    "Instalment",
    "InstrumentType",
    "Node",
    "NodeType",
    "Obligation",
    "Party",
    "PartyAlias",
    "Payment",
    "PaymentOrderAgreement",
    "Preservation",
    "RefusalReferral",
    "ResumptionRequest",
    "SettlementAgreement",
    "SettlementInstalment",
    "SettlementResumeRequest",
    "SupervisionOrder",
    "Suspension",
]

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}


class CaseNumberCounter(models.Model):
    """Last sequence number issued per court, type code and year (案号规定 Arts 9–10)."""

    audit_protected = True

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="+", verbose_name="案件类型"
    )
    year = models.PositiveIntegerField(verbose_name="年度")
    last = models.PositiveIntegerField(default=0, verbose_name="最后序号")

    class Meta:
        verbose_name = "案号计数器"
        verbose_name_plural = "案号计数器"
        constraints = [
            models.UniqueConstraint(
                fields=["court", "case_type", "year"], name="counter_unique_court_type_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.case_type_id}/{self.year}: {self.last}"


class EnforcementCase(models.Model):
    """One enforcement case (执行案件) with its basis, claim and lifecycle state."""

    audit_protected = True

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="cases", verbose_name="执行法院")
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="+", verbose_name="案件类型"
    )
    year = models.PositiveIntegerField("收案年度", help_text="案号中的年度")
    seq = models.PositiveIntegerField("案件编号", help_text="同一法院、类型代字、年度内的顺序号")
    number = models.CharField(
        "案号", max_length=64, unique=True, help_text="如（2026）粤0106执1号，立案时自动生成"
    )
    status = models.CharField(
        "状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.REGISTERED, db_index=True
    )
    applied_on = models.DateField("申请执行日期", help_text="收到申请执行书（或移送执行书）的日期")
    filed_on = models.DateField("立案日期", help_text="立案登记的日期")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name="承办人",
        help_text="承办法官",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases", verbose_name="执行团队"
    )
    assigned_on = models.DateField("分案日期", null=True, blank=True)

    instrument_type = models.ForeignKey(
        InstrumentType, on_delete=models.PROTECT, related_name="+", verbose_name="执行依据类型"
    )
    issuing_body = models.CharField("作出机关", max_length=64, help_text="作出执行依据的法院、仲裁委或公证处")
    basis_number = models.CharField(
        "执行依据文号", max_length=64, db_index=True, help_text="如（2025）粤0106民初1234号"
    )
    effective_on = models.DateField("生效日期", help_text="执行依据发生法律效力的日期")
    performance_deadline = models.DateField("履行期限届满日", help_text="执行依据确定的履行期间最后一日")
    non_litigation = models.BooleanField(
        "非诉执行", default=False, help_text="非诉执行案件执行期限为3个月（审限规定第5条）"
    )

    obligation = models.CharField(
        "执行内容",
        max_length=16,
        choices=Obligation.choices,
        default=Obligation.MONEY,
        help_text="执行依据确定的给付内容：金钱给付，或交付特定物、迁出房屋、完成指定行为等行为履行",
    )
    obligation_detail = models.CharField(
        "履行内容",
        max_length=200,
        blank=True,
        default="",
        help_text="行为履行案件须写明应交付的物、应迁出的房屋或应完成的行为",
    )
    principal = models.DecimalField("本金", **MONEY, help_text="执行依据确定的金钱给付本金（元）")
    adjudged_interest = models.DecimalField(
        "判决利息", **MONEY, default=Decimal("0"), help_text="执行依据确定的一般债务利息（元）"
    )
    litigation_costs = models.DecimalField(
        "诉讼费用", **MONEY, default=Decimal("0"), help_text="执行依据确定由被执行人负担的诉讼费用（元）"
    )
    interest_rate = models.DecimalField(
        "判决利率（年利率%）",
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="执行依据确定按年利率计付的一般债务利息，如“按年利率3.45%计至实际清偿之日止”；为空则无",
    )
    interest_from = models.DateField(
        "利息起算日", null=True, blank=True, help_text="按年利率计付的一般债务利息自该日（含）起算"
    )
    instalment_acceleration = models.BooleanField(
        "分期加速到期",
        default=False,
        help_text="执行依据载明任何一期未按期履行，剩余全部债务即到期（加速到期条款）",
    )
    currency = models.CharField(
        "币种",
        max_length=3,
        choices=CURRENCIES,
        default=RMB,
        help_text="执行依据确定的金钱债务币种；本金、判决利息、诉讼费用、分期金额均以该币种填写",
    )
    fx_rate = models.DecimalField(
        "外币中间价",
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="加倍部分债务利息起算日人民币对该外币的中间价（1单位外币折合人民币元）",
    )
    fx_in_rmb = models.BooleanField(
        "折合人民币计算",
        default=False,
        help_text="申请执行人主张以人民币计算加倍部分债务利息的，按起算日中间价折合（迟延履行利息解释第5条）",
    )
    late_fee_loss = models.DecimalField(
        "迟延履行造成的损失",
        **MONEY,
        null=True,
        blank=True,
        help_text="非金钱给付义务迟延履行已造成的损失（元）；迟延履行金为其双倍（民诉法解释第505条）",
    )
    late_fee_decided = models.DecimalField(
        "法院确定的迟延履行金",
        **MONEY,
        null=True,
        blank=True,
        help_text="没有造成损失的，由人民法院根据具体案件情况决定的迟延履行金（元）",
    )
    application_fee = models.DecimalField(
        "申请执行费",
        **MONEY,
        default=Decimal("0"),
        help_text="按《诉讼费用交纳办法》第14条分段累计计算，执行后交纳",
    )
    paid_amount = models.DecimalField(
        "已执行到位", **MONEY, default=Decimal("0"), help_text="已执行到位金额（元）"
    )

    term_due = models.DateField(
        "执行期限届满日",
        null=True,
        blank=True,
        help_text="扣除中止期间、加上批准延长后的执行期限届满日；中止期间为空",
    )
    next_due_on = models.DateField(
        "最近节点期限", null=True, blank=True, help_text="未完成节点中最早的期限，用于超期筛选"
    )
    extension_months = models.PositiveSmallIntegerField("已延长月数", default=0)
    calendar_uncertain = models.BooleanField(
        "节假日未载入", default=False, help_text="期限计算涉及尚未载入节假日安排的年份"
    )

    closing_mode = models.CharField("结案方式", max_length=16, choices=ClosingMode.choices, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    closing_details = models.JSONField("结案信息", default=dict, blank=True)
    origin = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resumed_cases",
        verbose_name="原案件",
        help_text="恢复执行案件所恢复的原案件",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="立案人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "执行案件"
        verbose_name_plural = "执行案件"
        constraints = [
            models.UniqueConstraint(
                fields=["court", "case_type", "year", "seq"], name="case_unique_sequence"
            ),
        ]
        indexes = [
            models.Index(fields=["court", "-filed_on", "-id"], name="case_court_filed"),
            models.Index(fields=["court", "status", "-filed_on", "-id"], name="case_court_status_filed"),
            # The 终本 re-inquiry sweep walks dormant cases in id order (keyset pages, all courts).
            models.Index(fields=["id"], name="case_dormant_keyset", condition=Q(status="dormant")),
            models.Index(fields=["handler", "status", "-filed_on"], name="case_handler_status"),
            # Covers the overdue filter and the supervision's term-overdue count (next_due_on is set only
            # while a case is open, so "next_due_on < today and term_due < today" needs no status check).
            # The due date leads so the planner never prefers it to case_court_filed for a plain list.
            models.Index(fields=["next_due_on", "court", "term_due"], name="case_next_due_court_term"),
            # Supervision's "past the enforcement term" count per court (审限规定 Art 5: 6 months, 3 for
            # non-litigation cases): open cases only (next_due_on is cleared at closing), one range per
            # court on term_due, read from the index alone. Without it SQLite walked every case of each
            # court through case_court_status_filed (1 s for a province at 1 M cases). The condition
            # names term_due too so that only a query constraining term_due can use the index: the case
            # list's overdue filter (next_due_on only) must keep walking case_filed in filing order.
            models.Index(
                fields=["court", "term_due", "next_due_on"],
                name="case_open_court_term",
                condition=Q(next_due_on__isnull=False, term_due__isnull=False),
            ),
            models.Index(fields=["-filed_on", "-id"], name="case_filed"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def claim_amount(self) -> Decimal:
        """执行标的额: principal + adjudged interest + litigation costs."""
        return self.principal + self.adjudged_interest + self.litigation_costs

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
