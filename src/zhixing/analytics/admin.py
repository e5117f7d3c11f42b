"""Back office for analytics: layouts, rule sets and rates are configuration (audited on every write);
imports, profiles and their rows are evidence (read-only, `audit_protected`)."""

from django.contrib import admin

from zhixing.core.admin import AuditedModelAdmin, ReadOnlyAdmin

from .models import (
    BatchRun,
    ExchangeRate,
    ImportJob,
    Profile,
    PropertyLead,
    QuarantinedRow,
    RelatedPerson,
    RuleSet,
    StatementPreset,
)


@admin.register(StatementPreset)
class StatementPresetAdmin(AuditedModelAdmin):
    """Administrators change built-in layouts, define platform-wide ones (no court) and share a court's
    layout with its subordinate courts (`shared`); every change is audited."""

    list_display = ("name", "code", "court", "shared", "institution", "file_format", "encoding", "builtin")
    list_filter = ("builtin", "shared", "court")
    search_fields = ("name", "code", "institution")


@admin.register(RuleSet)
class RuleSetAdmin(AuditedModelAdmin):
    list_display = ("version", "name", "active", "created_at")


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ("id", "party", "kind", "file_name", "status", "imported", "duplicates", "quarantined")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in ImportJob._meta.fields]


@admin.register(QuarantinedRow)
class QuarantinedRowAdmin(ReadOnlyAdmin):
    list_display = ("job", "row_no", "reason")
    readonly_fields = ("job", "row_no", "raw", "reason")


@admin.register(RelatedPerson)
class RelatedPersonAdmin(AuditedModelAdmin):
    list_display = ("party", "name", "relation")


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ("id", "party", "score", "ruleset", "computed_at")
    readonly_fields = [f.name for f in Profile._meta.fields]


@admin.register(BatchRun)
class BatchRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "court", "status", "total", "processed", "created_at", "finished_at")


@admin.register(PropertyLead)
class PropertyLeadAdmin(ReadOnlyAdmin):
    list_display = ("party", "counterparty", "lead_type", "months", "total")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(AuditedModelAdmin):
    """Rates used to convert foreign-currency statement lines; every change is audited."""

    list_display = ("currency", "valid_from", "rate", "note")
    list_filter = ("currency",)
    ordering = ("currency", "-valid_from")
