"""Objections (执行异议): a third-party objection to a controlled asset (CPL-2023 Art 238) and an
objection to an enforcement act (CPL-2023 Art 236), each filed as an 执异 case of the enforcement case."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court
from zhixing.inquiry.models import Asset


class Objection(models.Model):
    """One objection, its review clock, its ruling and (for a third party) the window to sue."""

    audit_protected = True

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", "案外人异议"
        ACT = "act", "执行行为异议"

    class Status(models.TextChoices):
        PENDING = "pending", "审查中"
        UPHELD = "upheld", "异议成立"
        REJECTED = "rejected", "异议驳回"
        WITHDRAWN = "withdrawn", "撤回异议"

    class Channel(models.TextChoices):
        COUNTER = "counter", "窗口立案"
        ONLINE = "online", "网上提交"

    class Suit(models.TextChoices):
        NONE = "", "未起诉"
        PENDING = "pending", "诉讼审理中"
        ENDED = "ended", "诉讼已终结"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="审查法院")
    case = models.ForeignKey(
        EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="执行案件"
    )
    number = models.CharField("异议案号", max_length=64, unique=True, help_text="执异字案号，立案时自动编号")
    kind = models.CharField("异议类型", max_length=16, choices=Kind.choices)
    asset = models.ForeignKey(
        Asset,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="异议的执行标的",
        help_text="案外人异议所指向的已查封、扣押、冻结的财产",
    )
    act_type = models.CharField(
        "执行行为类型",
        max_length=16,
        blank=True,
        choices=[
            ("freeze", "冻结"),
            ("seizure", "查封、扣押"),
            ("listing", "纳入失信名单"),
            ("valuation", "处置参考价"),
        ],
        help_text="执行行为异议所指向的执行行为的种类",
    )
    act_id = models.IntegerField(
        "执行行为编号", null=True, blank=True, help_text="财产登记、失信名单或处置参考价的编号"
    )
    objector_party = models.ForeignKey(
        "cases.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="异议的当事人",
        help_text="执行行为异议由本案当事人提出时的当事人",
    )
    act_label = models.CharField(
        "异议的执行行为", max_length=200, blank=True, help_text="执行行为异议所指向的具体执行行为"
    )
    objector_name = models.CharField("异议人", max_length=128, help_text="异议人的姓名或名称")
    objector_id_number = models.CharField(
        "异议人证件号码", max_length=32, help_text="居民身份证号码或统一社会信用代码；页面上脱敏显示"
    )
    objector_phone = models.CharField("联系电话", max_length=32, blank=True)
    claim = models.CharField(
        "主张的权利", max_length=200, help_text="如：该房屋系本人所有、已支付全部价款并实际占有"
    )
    grounds = models.TextField("异议理由", max_length=2000)
    channel = models.CharField("提交方式", max_length=16, choices=Channel.choices)
    received_on = models.DateField("收到异议日期", help_text="收到书面异议之日，审查期限自次日起算")
    decision_due = models.DateField(
        "审查期限届满日", help_text="收到异议之日起15日（民事诉讼法第236、238条）"
    )
    notify_due = models.DateField(
        "通知期限", help_text="立案后3日内通知异议人和当事人（执行异议复议规定第2条）"
    )
    notified_on = models.DateField(
        "通知当事人日期",
        null=True,
        blank=True,
        help_text="立案通知发出之日（电子送达、门户消息或书面、电话通知登记）；为空表示尚未通知",
    )
    notice_method = models.CharField(
        "通知方式", max_length=200, blank=True, help_text="如：门户消息2人、短信1人；或书面通知、电话通知"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    panel = models.JSONField("合议庭", default=list, blank=True, help_text="[{id, name}]，至少三名法官")
    decided_on = models.DateField("裁定日期", null=True, blank=True)
    decision_reason = models.TextField("裁定理由", max_length=2000, blank=True)
    ruling_document_id = models.IntegerField(
        "裁定书编号", null=True, blank=True, help_text="生成的执行裁定书"
    )
    served_on = models.DateField("裁定送达日期", null=True, blank=True)
    service_due = models.DateField(
        "裁定送达期限",
        null=True,
        blank=True,
        help_text="裁定作出后应送达异议人之日（本平台配置，默认5日）；执行行为异议自送达次日起算10日复议期",
    )
    suit_due = models.DateField(
        "起诉期限届满日", null=True, blank=True, help_text="裁定送达之日起15日内可提起执行异议之诉"
    )
    suit_state = models.CharField("执行异议之诉", max_length=16, choices=Suit.choices, blank=True, default="")
    suit_number = models.CharField("诉讼案号", max_length=64, blank=True)
    suit_filed_on = models.DateField("起诉日期", null=True, blank=True)
    suit_ended_on = models.DateField("诉讼终结日期", null=True, blank=True)
    suit_outcome = models.CharField(
        "诉讼结果",
        max_length=16,
        blank=True,
        default="",
        choices=[
            ("", "未登记"),
            ("objector_lost", "案外人败诉（可以执行该标的）"),
            ("objector_won", "案外人胜诉（不得执行该标的）"),
        ],
        help_text="执行异议之诉或许可执行之诉生效裁判的结果；决定恢复拍卖或解除控制",
    )
    retrial_state = models.CharField(
        "再审申请",
        max_length=16,
        blank=True,
        default="",
        choices=[
            ("", "未申请再审"),
            ("pending", "再审申请审查中"),
            ("dismissed", "驳回再审申请"),
            ("granted", "裁定再审（中止原判决执行）"),
        ],
        help_text="认为原判决、裁定错误的，依照审判监督程序办理（民事诉讼法第238条）；审查期间该财产不得处分",
    )
    retrial_filed_on = models.DateField("申请再审日期", null=True, blank=True)
    retrial_court = models.CharField(
        "再审审查法院",
        max_length=128,
        blank=True,
        help_text="受理再审申请的法院（作出原判决、裁定的法院或其上一级法院）",
    )
    retrial_number = models.CharField(
        "再审案号", max_length=64, blank=True, help_text="再审审查案件的案号或申请的收件编号"
    )
    retrial_decided_on = models.DateField("再审审查结果日期", null=True, blank=True)
    retrial_document_ref = models.CharField(
        "再审裁定书文号", max_length=64, blank=True, help_text="驳回再审申请或裁定再审的裁定书文号"
    )
    final_on = models.DateField(
        "异议结果确定日",
        null=True,
        blank=True,
        help_text="起诉期间届满未起诉（届满次日）或诉讼终结之日；由定期扫描或登记诉讼终结时记录",
    )
    review_due = models.DateField(
        "复议申请期限",
        null=True,
        blank=True,
        help_text="执行行为异议裁定送达之日起10日内可向上一级法院申请复议",
    )
    review_filed_on = models.DateField("申请复议日期", null=True, blank=True)
    review_court = models.ForeignKey(
        Court, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="复议法院"
    )
    review_decision_due = models.DateField("复议审查期限", null=True, blank=True)
    review_status = models.CharField(
        "复议结果",
        max_length=16,
        blank=True,
        default="",
        choices=[
            ("", "未申请复议"),
            ("pending", "复议审查中"),
            ("upheld", "撤销原裁定"),
            ("rejected", "驳回复议"),
        ],
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="立案人",
        help_text="网上提交的为空",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "执行异议"
        verbose_name_plural = "执行异议"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["court", "status"], name="objection_court_status"),
            models.Index(fields=["asset"], name="objection_asset"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.objector_name}"
