"""Back office: partner accounts (the key is shown once, on creation), and read-only credit rows.

Every admin here is audited (core.audited_admin); partners are never deleted (revoke instead) and
their key material never reaches the audit trail (`Partner.audit_secret_fields`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone

from zhixing.core.admin import AuditedModelAdmin, ReadOnlyAdmin

from . import services
from .models import (
    CreditRepair,
    ExposureNotice,
    Interception,
    Listing,
    ListingNotice,
    NoticeRecipient,
    Partner,
    Restriction,
)
from .rules import ENUMERATION_REASONS
from .services.enumeration import recent_alerts
from .services.privacy import enable_privacy_mode, rotate_privacy_key


@admin.register(Partner)
class PartnerAdmin(AuditedModelAdmin):
    list_display = (
        "name",
        "kind",
        "key_prefix",
        "rate_per_minute",
        "area_code",
        "privacy_mode",
        "full_sync",
        "created_at",
        "revoked_at",
        "enumeration_alert",
    )
    list_filter = ("kind", "privacy_mode")
    # Privacy mode is switched on by its action (which also prepares the keyed-hash table), never by a field.
    readonly_fields = ("key_prefix", "privacy_mode", "created_at", "revoked_at")
    fields = (
        "name",
        "kind",
        "rate_per_minute",
        "area_code",
        "code",
        "base_url",
        "full_sync",
        "privacy_mode",
        "key_prefix",
        "created_at",
        "revoked_at",
    )
    actions = ["revoke", "privacy_on", "privacy_rotate"]

    @admin.display(description="枚举告警")
    def enumeration_alert(self, obj: Partner) -> str:
        """The partner's latest enumeration alert of the last days (one indexed query per row: partners
        are a few dozen institutions)."""
        rec = recent_alerts([obj.pk]).get(obj.pk)
        if rec is None:
            return "—"
        reasons = "、".join(ENUMERATION_REASONS.get(r, r) for r in (rec.after or {}).get("reasons", []))
        return f"⚠ 疑似枚举 {timezone.localtime(rec.at):%Y-%m-%d %H:%M}（{reasons}）"

    def save_model(self, request: HttpRequest, obj: Partner, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        partner, key = services.create_partner(
            request.user,
            name=obj.name,
            kind=obj.kind,
            rate_per_minute=obj.rate_per_minute,
            area_code=obj.area_code,
            code=obj.code,
            base_url=obj.base_url,
            full_sync=obj.full_sync,
        )
        obj.pk = partner.pk
        obj.__dict__.update(partner.__dict__)
        messages.warning(
            request,
            f"接口密钥（仅显示这一次，请立即妥善交付合作单位）：{key}　隐私模式共享密钥：{partner.hmac_key}"
            + (f"　协议代码：{partner.code}　协议共享密钥：{partner.shared_secret}" if partner.code else ""),
        )

    @admin.action(description="吊销所选单位的接口密钥")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for partner in queryset.filter(revoked_at__isnull=True):
            services.revoke_partner(request.user, partner)

    @admin.action(description="为所选单位开启隐私模式（此后只能使用哈希接口；后台生成比对表）")
    def privacy_on(self, request: HttpRequest, queryset: Any) -> None:
        for partner in queryset.filter(revoked_at__isnull=True):
            table = enable_privacy_mode(request.user, partner)
            messages.info(request, f"{partner.name}：隐私模式比对表{table.get_status_display()}")

    @admin.action(description="轮换所选单位的隐私模式共享密钥（新密钥仅显示一次）")
    def privacy_rotate(self, request: HttpRequest, queryset: Any) -> None:
        for partner in queryset.filter(revoked_at__isnull=True):
            key = rotate_privacy_key(request.user, partner)
            messages.warning(
                request,
                f"{partner.name}的新隐私模式共享密钥（仅显示这一次，比对表重建期间隐私查询暂停）：{key}",
            )


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = ("name", "document_number", "ground", "status", "publish_on", "expires_on", "removal_due")
    list_filter = ("status", "ground")
    search_fields = ("name", "document_number")


@admin.register(Restriction)
class RestrictionAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "bound", "status", "effective_on", "lifted_on")
    list_filter = ("kind", "status")


@admin.register(Interception)
class InterceptionAdmin(ReadOnlyAdmin):
    list_display = ("partner", "code", "at", "channel", "place")


@admin.register(ExposureNotice)
class ExposureAdmin(ReadOnlyAdmin):
    list_display = ("listing", "partner", "area_name", "status", "attempts", "impressions", "reported_at")


# -- issue 14 items 7 and 9 ----------------------------------------------------------------------------
@admin.register(NoticeRecipient)
class NoticeRecipientAdmin(AuditedModelAdmin):
    """Art 8 recipients (征信中心, employers, superior departments); the secret never reaches the audit."""

    list_display = ("name", "kind", "code", "base_url", "active")
    list_filter = ("kind", "active")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # notices refer to it: deactivate instead


@admin.register(ListingNotice)
class ListingNoticeAdmin(ReadOnlyAdmin):
    list_display = ("listing", "recipient", "event", "status", "attempts", "sent_at", "acknowledged_at")
    list_filter = ("status", "event")


@admin.register(CreditRepair)
class CreditRepairAdmin(ReadOnlyAdmin):
    list_display = ("listing", "applied_on", "status", "decided_on", "certificate_number")
    list_filter = ("status",)
