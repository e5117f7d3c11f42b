"""The remote-payout link (远程发款链接): a bearer credential an applicant uses to confirm the account.

Kept apart from the ledger models in `models.py`, which re-exports it.
"""

from __future__ import annotations

from django.db import models

from zhixing.cases.models import EnforcementCase


class PortalToken(models.Model):
    """A link token for an applicant party to confirm the receiving account (远程发款).

    The link is a credential: it expires (`expires_at`), locks after too many failed identity checks
    (`locked_at`), and one passed check allows one change of the receiving account, from the browser
    session that passed it and within a short window (`verify_digest`, cleared when used).
    """

    # Bearer credentials: whoever holds the link (or the one-time check) confirms the account.
    audit_secret_fields = ("token", "verify_digest")

    token = models.CharField(
        max_length=64, unique=True, help_text="链接中的随机令牌", verbose_name="链接令牌"
    )
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    party_id = models.IntegerField(help_text="申请执行人的当事人编号", verbose_name="当事人")
    created_at = models.DateTimeField("生成时间", null=True, blank=True, help_text="链接生成时间")
    expires_at = models.DateTimeField(
        "失效时间", null=True, blank=True, help_text="过期后链接不能再使用；为空（旧链接）视为已过期"
    )
    failed_checks = models.PositiveSmallIntegerField(
        "核验失败次数", default=0, help_text="身份核验连续失败次数，达到上限即锁定"
    )
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True, help_text="核验失败过多被锁定的时间")
    verify_digest = models.CharField(
        "核验凭证摘要",
        max_length=64,
        blank=True,
        help_text="本次核验发给浏览器会话的一次性凭证的SHA-256；更改收款账户时使用并清除",
    )
    verified_at = models.DateTimeField("人脸核验通过时间", null=True, blank=True)
    account_name = models.CharField("确认户名", max_length=128, blank=True)
    account_no = models.CharField("确认账号", max_length=64, blank=True)
    bank_name = models.CharField("开户行", max_length=64, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name="确认时间")

    class Meta:
        verbose_name = "领款链接"
        verbose_name_plural = "领款链接"

    def __str__(self) -> str:
        return f"远程发款链接#{self.pk}"
