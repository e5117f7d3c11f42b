"""Back office for the partner registry: categories and institutions are configuration, audited on change."""

from __future__ import annotations

from django.contrib import admin

from zhixing.core.admin import AuditedModelAdmin, ReadOnlyAdmin

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
    # The secret is never shown, and never audited (`Partner.audit_secret_fields`): set it with
    # `manage.py shell` or a data migration. A partner without a secret is refused both ways.
    exclude = ("shared_secret",)


@admin.register(CallbackLog)
class CallbackLogAdmin(ReadOnlyAdmin):
    """Partners' callbacks as received: a log, never edited or deleted."""

    list_display = ("received_at", "partner_code", "accepted", "status", "reason")
    list_filter = ("accepted", "status")
