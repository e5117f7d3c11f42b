"""A property-preservation case (执保) and its carrying into the enforcement case (诉执衔接).

A 执保 case carries out a preservation ruling made in a lawsuit (诉讼保全, CPL-2023 Art 103) before
judgment; its seizures and freezes are ordinary controls on the 执保 case (inquiry's asset register).
When the judgment is enforced, the enforcement case filed for the same parties and basis takes them over
with their original priority and terms (查封规定 Art 26 ranks seizures by their registration, not by the
case that holds them), and this record links the two cases.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Preservation(models.Model):
    """The lawsuit a 执保 case preserves for, and the enforcement case that took its controls over."""

    audit_protected = True

    case = models.OneToOneField(
        "cases.EnforcementCase",
        on_delete=models.CASCADE,
        related_name="preservation",
        verbose_name="保全案件",
        help_text="类型为“执保”的财产保全执行案件",
    )
    lawsuit_number = models.CharField(
        "诉讼案号",
        max_length=64,
        help_text="作出保全裁定的诉讼案件案号，如（2026）粤0106民初123号；判决生效后申请执行时以此文号为执行依据",
    )
    carried_into = models.ForeignKey(
        "cases.EnforcementCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="preservations_carried",
        verbose_name="转入执行案件",
        help_text="承接本保全案件查封、冻结措施的执行案件",
    )
    carried_on = models.DateField("转入日期", null=True, blank=True)
    carried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="转入操作人",
    )

    class Meta:
        verbose_name = "财产保全"
        verbose_name_plural = "财产保全"
        indexes = [models.Index(fields=["lawsuit_number"], name="preservation_lawsuit")]

    def __str__(self) -> str:
        return f"保全 {self.lawsuit_number}"
