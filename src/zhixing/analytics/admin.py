from django.contrib import admin

from zhixing.core.admin import AuditedModelAdmin

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
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("version", "name", "active", "created_at")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("id", "party", "kind", "file_name", "status", "imported", "duplicates", "quarantined")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in ImportJob._meta.fields]


@admin.register(QuarantinedRow)
class QuarantinedRowAdmin(admin.ModelAdmin):
    list_display = ("job", "row_no", "reason")
    readonly_fields = ("job", "row_no", "raw", "reason")


@admin.register(RelatedPerson)
class RelatedPersonAdmin(admin.ModelAdmin):
    list_display = ("party", "name", "relation")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("id", "party", "score", "ruleset", "computed_at")
    readonly_fields = [f.name for f in Profile._meta.fields]


admin.site.register(BatchRun)
admin.site.register(PropertyLead)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(AuditedModelAdmin):
    """Rates used to convert foreign-currency statement lines; every change is audited."""

    list_display = ("currency", "valid_from", "rate", "note")
    list_filter = ("currency",)
    ordering = ("currency", "-valid_from")
