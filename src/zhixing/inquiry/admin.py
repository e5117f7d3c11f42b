"""Back office for the partner registry: categories and institutions are configuration, audited on change."""

from __future__ import annotations

from django.contrib import admin

from zhixing.core.admin import AuditedModelAdmin

from .models import CallbackLog, Partner, PartnerCategory


@admin.register(PartnerCategory)
class PartnerCategoryAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "asset_kind", "default_selected", "order")
    list_editable = ("default_selected", "order")
    search_fields = ("code", "name")


@admin.register(Partner)
class PartnerAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "category", "channel", "adapter", "active")
    list_filter = ("category", "channel", "active")
    search_fields = ("code", "name")
    # The secret is never shown or audited: set it with `manage.py shell` or a data migration. A partner
    # without a secret is refused both ways (no message can be authenticated).
    exclude = ("shared_secret",)


@admin.register(CallbackLog)
class CallbackLogAdmin(admin.ModelAdmin):
    list_display = ("received_at", "partner_code", "accepted", "status", "reason")
    list_filter = ("accepted", "status")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
