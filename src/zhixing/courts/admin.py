"""Back office for the court hierarchy, teams, staff and API tokens; every write is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from zhixing.core.admin import AuditedModelAdmin, ReadOnlyAdmin

from . import services
from .models import ApiToken, Court, Staff, Team


@admin.register(Court)
class CourtAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "level", "parent", "path")
    list_filter = ("level",)
    search_fields = ("code", "name")
    ordering = ("path",)
    readonly_fields = ("path",)
    autocomplete_fields = ("parent",)


@admin.register(Team)
class TeamAdmin(AuditedModelAdmin):
    list_display = ("name", "court", "kind")
    list_filter = ("kind", "court")
    search_fields = ("name", "court__name", "court__code")
    list_select_related = ("court",)
    autocomplete_fields = ("court",)


@admin.register(Staff)
class StaffAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ("username", "full_name", "court", "role", "team", "is_active", "last_login")
    list_filter = ("role", "is_active", "court")
    search_fields = ("username", "full_name", "court__name", "court__code")
    list_select_related = ("court", "team")
    ordering = ("court__path", "role", "username")
    autocomplete_fields = ("court", "team")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("岗位", {"fields": ("full_name", "court", "team", "role")}),
        ("状态与权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("岗位", {"fields": ("full_name", "court", "team", "role")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Django's password form saves outside save_model; in one transaction, the admin's change log
        # (AuditedModelAdmin.log_change) audits it with the change message, never the hash.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued with `manage.py issue_token` (shown once); here they are listed and revoked."""

    list_display = ("staff", "name", "created_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("staff__username", "staff__full_name", "name")
    list_select_related = ("staff",)
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Needed for the revoke action; the change form itself has no editable fields.
        return bool(request.user.is_superuser)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("staff", "name", "created_at", "revoked_at")

    @admin.action(description="吊销所选令牌")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_token(request.user, token)
            count += 1
        messages.success(request, f"已吊销{count}个令牌")
