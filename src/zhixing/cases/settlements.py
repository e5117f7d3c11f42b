"""Enforcement settlement agreements (执行和解协议) recorded on a case, and their instalments.

Re-exported by `zhixing.cases.models`. Written only by `cases.services.settlement`; the rules are
`cases.rules_settlement` (CPL-2023 Art 241; 执行和解规定 2018).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}


class SettlementAgreement(models.Model):
    """A settlement the parties reached in enforcement, as the court recorded it."""

    audit_protected = True

    class Status(models.TextChoices):
        ACTIVE = "active", "履行中"
        BREACHED = "breached", "逾期未履行"
        RESUMED = "resumed", "已恢复执行原生效法律文书"
        PERFORMED = "performed", "已履行完毕（执行完毕结案）"

    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.CASCADE, related_name="settlements", verbose_name="案件"
    )
    parties = models.CharField(
        "和解当事人", max_length=300, help_text="签订和解协议的各方当事人（申请执行人、被执行人及其代理人）"
    )
    signed_on = models.DateField("签订日期", help_text="各方当事人签名或盖章之日")
    document_ref = models.CharField(
        "和解协议或笔录", max_length=128, help_text="书面和解协议编号，或记入和解内容的谈话笔录编号"
    )
    conditions = models.TextField(
        "其他约定", blank=True, help_text="履行条件、担保、违约责任等约定（金额与期限以分期表为准）"
    )
    suspended = models.BooleanField(
        "已中止执行",
        default=False,
        help_text="申请执行人申请中止执行、法院裁定中止的（执行和解规定第2条）",
    )
    keep_controls = models.BooleanField(
        "保留控制措施",
        default=True,
        help_text="查封、扣押、冻结继续有效；申请执行人申请解除的，由法官另行解除（执行和解规定第3条）",
    )
    paid_at_signing = models.DecimalField(
        "签订时已到位金额",
        **MONEY,
        default=Decimal("0"),
        help_text="签订时案件已执行到位的金额（元），仅供参考",
    )
    status = models.CharField("履行状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    breached_on = models.DateField(
        "认定逾期日期", null=True, blank=True, help_text="系统巡检发现某期逾期未履行之日"
    )
    ended_on = models.DateField("结束日期", null=True, blank=True, help_text="恢复执行或以执行完毕结案之日")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "执行和解协议"
        verbose_name_plural = "执行和解协议"
        ordering = ["case", "-id"]
        indexes = [models.Index(fields=["status"], name="settlement_status_idx")]

    def __str__(self) -> str:
        return f"{self.signed_on} {self.document_ref}"


class SettlementInstalment(models.Model):
    """One instalment the settlement agrees: `amount` yuan due by `due_on` (inclusive)."""

    agreement = models.ForeignKey(
        SettlementAgreement, on_delete=models.CASCADE, related_name="instalments", verbose_name="和解协议"
    )
    seq = models.PositiveSmallIntegerField("期次", help_text="第几期，从1起")
    due_on = models.DateField("履行期限", help_text="该期最后履行日（含当日）")
    amount = models.DecimalField("金额", **MONEY, help_text="该期应履行的金额（元）")

    class Meta:
        verbose_name = "和解分期"
        verbose_name_plural = "和解分期"
        ordering = ["agreement", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "seq"], name="settlement_instalment_unique_seq")
        ]

    def __str__(self) -> str:
        return f"第{self.seq}期 {self.due_on.isoformat()} {self.amount}元"


class SettlementResumeRequest(models.Model):
    """The applicant's request to resume enforcement of the original instrument (申请恢复执行) after the
    debtor did not perform the settlement (执行和解规定 Art 9; CPL-2023 Art 241 para 2), and the court's
    decision on it (Art 11: resume, or refuse with reasons). Written only by
    `cases.services.settlement_requests`."""

    audit_protected = True

    class Status(models.TextChoices):
        PENDING = "pending", "待审查"
        GRANTED = "granted", "已恢复执行"
        REFUSED = "refused", "不予恢复执行"

    class Channel(models.TextChoices):
        PORTAL = "portal", "当事人门户在线提交"

    agreement = models.ForeignKey(
        SettlementAgreement,
        on_delete=models.CASCADE,
        related_name="resume_requests",
        verbose_name="和解协议",
    )
    case = models.ForeignKey(
        "cases.EnforcementCase",
        on_delete=models.CASCADE,
        related_name="settlement_resume_requests",
        verbose_name="案件",
    )
    party = models.ForeignKey(
        "cases.Party",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="申请人",
        help_text="提出申请的申请执行人（被执行人不能申请恢复执行）",
    )
    channel = models.CharField("提交途径", max_length=16, choices=Channel.choices, default=Channel.PORTAL)
    filed_on = models.DateField("申请日期", help_text="申请执行人提交恢复执行申请之日")
    grounds = models.TextField(
        "事实和理由", help_text="申请人所述被执行人不履行或不完全履行和解协议的事实和理由"
    )
    status = models.CharField("审查结果", max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField(
        "决定日期", null=True, blank=True, help_text="裁定恢复执行或不予恢复执行之日"
    )
    document_ref = models.CharField(
        "文书文号",
        max_length=128,
        blank=True,
        help_text="恢复执行通知书或不予恢复执行裁定书的文号",
    )
    reasons = models.TextField(
        "不予恢复执行的理由",
        blank=True,
        help_text="不予恢复执行的，写明理由（执行和解规定第11条各项），申请人可依法提出执行异议",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审查法官",
    )
    filed_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "恢复执行申请"
        verbose_name_plural = "恢复执行申请"
        ordering = ["agreement", "-id"]
        indexes = [models.Index(fields=["status", "case"], name="settle_resume_req_status_idx")]

    def __str__(self) -> str:
        return f"{self.filed_on} {self.get_status_display()}"
