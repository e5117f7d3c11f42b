"""Document templates with their versions, and every generated document.

A template is one per document kind; uploading a new version never replaces an older one, so each stored
document names exactly the version it was made from. Generated files live under MEDIA_ROOT/documents/;
the row keeps their SHA-256 so a file changed on disk is detected (`queries.verify`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.courts.models import Court


class DocumentTemplate(models.Model):
    """One kind's template (e.g. 执行通知书); its versions carry the files."""

    kind = models.CharField("文书种类", max_length=40, unique=True, help_text="文书种类代码，如执行通知书")
    title = models.CharField("文书名称", max_length=64, help_text="文书的中文名称")
    current = models.ForeignKey(
        "TemplateVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="现行版本",
        help_text="新制作的文书使用的模板版本",
    )

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title


class TemplateVersion(models.Model):
    """One uploaded (or shipped) .docx of a template; kept for ever, numbered 1, 2, 3 …"""

    template = models.ForeignKey(
        DocumentTemplate, on_delete=models.PROTECT, related_name="versions", verbose_name="模板"
    )
    number = models.PositiveIntegerField("版本号", help_text="同一模板内从1起递增")
    content = models.BinaryField("模板文件", help_text="Word（.docx）模板文件，内含 {{ 字段 }} 占位符")
    sha256 = models.CharField("文件摘要", max_length=64, help_text="模板文件的 SHA-256")
    note = models.CharField("修订说明", max_length=200, blank=True, help_text="本版本改了什么、依据什么")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
        help_text="空表示随系统发布的初始模板",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "模板版本"
        verbose_name_plural = "模板版本"
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="doc_template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template.title} 第{self.number}版"


class Document(models.Model):
    """One generated document of a case: which kind, from which template version, with which content."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    case = models.ForeignKey(
        "cases.EnforcementCase", on_delete=models.PROTECT, related_name="+", verbose_name="案件"
    )
    kind = models.CharField("文书种类", max_length=40, help_text="文书种类代码")
    title = models.CharField("文书名称", max_length=64)
    source = models.CharField(
        "依据对象",
        max_length=64,
        blank=True,
        help_text="文书所依据的记录，如协助执行请求的编号；空表示案件本身",
    )
    inputs = models.JSONField(
        "制作时填写的内容", default=dict, blank=True, help_text="如罚款金额、拘留日数、妨害执行的事实"
    )
    version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="+", verbose_name="模板版本"
    )
    sha256 = models.CharField("文件摘要", max_length=64, help_text="所生成 Word 文件的 SHA-256")
    size = models.PositiveIntegerField("文件大小（字节）")
    path = models.CharField("存储位置", max_length=255, help_text="相对于媒体目录的文件路径")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="制作人",
        help_text="空表示系统（演示数据、批量制作）",
    )
    created_at = models.DateTimeField("制作时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        indexes = [models.Index(fields=["case", "-id"], name="document_case")]

    def __str__(self) -> str:
        return f"{self.title}（{self.case_id}）"


from .service_models import CHANNEL_ORDER, Channel, Delivery, Service, ServiceAddress  # noqa: E402

__all__ = [
    "CHANNEL_ORDER",
    "Channel",
    "Delivery",
    "Document",
    "DocumentTemplate",
    "Service",
    "ServiceAddress",
    "TemplateVersion",
]
