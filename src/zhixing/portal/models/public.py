"""The public portal's own rows: the query code given to a case's parties, and rulings published."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseQueryCode(models.Model):
    """The code a case's parties type with the case number to follow its progress on the public portal.

    One live code per case; reissuing replaces it (the old code stops working at once). The code is a
    credential: audit records never carry it (`audit_secret_fields`).
    """

    audit_protected = True
    audit_secret_fields = ("query_code",)

    case = models.OneToOneField(
        "cases.EnforcementCase",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="案件",
    )
    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    query_code = models.CharField(
        "查询码", max_length=16, help_text="告知当事人的8位查询码；与案号一起在执行公开网查询案件进度"
    )
    issued_at = models.DateTimeField("发放时间", help_text="最近一次生成查询码的时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发放人",
        help_text="空表示系统（演示数据）",
    )

    class Meta:
        verbose_name = "案件查询码"
        verbose_name_plural = "案件查询码"

    def __str__(self) -> str:
        return f"查询码（案件{self.case_id}）"


class PublishedRuling(models.Model):
    """A generated ruling published on the public portal, its text masked when it was published.

    The public never reads the stored Word file: it reads `text`, which `public_rulings.publish` made
    from the file with every identity number, phone number and street address masked.
    """

    audit_protected = True

    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    document_id = models.PositiveBigIntegerField(
        "文书编号", unique=True, help_text="所公开的已制作文书（同一份文书只公开一次）"
    )
    kind = models.CharField("文书种类", max_length=40, help_text="文书种类代码，如冻结裁定")
    title = models.CharField("文书名称", max_length=64)
    text = models.TextField("公开文本", help_text="已屏蔽身份证号、电话号码、住址等个人信息的全文")
    published_at = models.DateTimeField("公开时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="公开人",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True, help_text="撤回后不再对公众显示")

    class Meta:
        verbose_name = "公开裁判文书"
        verbose_name_plural = "公开裁判文书"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title
