"""Back office for infrastructure: the holiday table (CSV upload), the read-only audit trail and checkpoints.

`AuditedModelAdmin` (zhixing.core.audited_admin) is the base every back-office admin in the project
uses: each write made in the admin appends an audit record in the same transaction (DESIGN
invariant 1). The admins that Django's auth and django-axes register are re-registered on it here, so
no registered admin writes unaudited (tests/web/test_admin.py enumerates them).
"""

from __future__ import annotations

from typing import Any

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from . import audit_catalogue, upload_limits
from .audited_admin import AuditedModelAdmin, ReadOnlyAdmin
from .errors import ServiceError
from .holidays import HolidayTableError, load_year, may_load_holidays, parse_holiday_csv
from .models import AuditCheckpoint, AuditRecord, HolidayDay, HolidayYear

__all__ = ["AuditedModelAdmin", "ReadOnlyAdmin"]


# -- holidays ---------------------------------------------------------------------------------------


class HolidayUploadForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100, help_text="如 2027")
    source = forms.CharField(
        label="依据", max_length=200, required=False, help_text="国务院办公厅节假日安排通知文号"
    )
    csv_file = forms.FileField(
        label="CSV文件", help_text="每行“日期,类型,名称”，类型为“休”（放假）或“班”（调休上班），UTF-8编码"
    )


class HolidayDayInline(admin.TabularInline):
    model = HolidayDay
    extra = 0
    fields = ("date", "is_workday", "name")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HolidayYear)
class HolidayYearAdmin(ReadOnlyAdmin):
    """A year is replaced whole by uploading its CSV (audited, deadlines recomputed), never edited by row."""

    list_display = ("year", "source", "day_count", "loaded_at")
    ordering = ("-year",)
    inlines = [HolidayDayInline]
    change_list_template = "core/admin/holidayyear_change_list.html"

    @admin.display(description="日期数")
    def day_count(self, obj: HolidayYear) -> int:
        return obj.days.count()

    def get_urls(self) -> list[URLPattern]:
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="core_holidayyear_upload")
        return [upload, *super().get_urls()]

    def may_upload(self, request: HttpRequest) -> bool:
        return may_load_holidays(request.user)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "may_upload": self.may_upload(request)}
        return super().changelist_view(request, extra_context)

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not self.may_upload(request):
            return TemplateResponse(
                request, "core/403.html", {"message": "只有系统管理员可以载入节假日安排"}, status=403
            )
        form = HolidayUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            year = form.cleaned_data["year"]
            try:
                upload = form.cleaned_data["csv_file"]
                upload_limits.check(upload, "spreadsheet", field="csv_file", label="CSV文件")
                text = form.cleaned_data["csv_file"].read().decode("utf-8-sig")
                rows = parse_holiday_csv(text, year)
            except UnicodeDecodeError:
                form.add_error("csv_file", "文件不是UTF-8编码的文本")
            except HolidayTableError as exc:
                form.add_error("csv_file", str(exc))
            except ServiceError as exc:
                form.add_error("csv_file", exc.message)
            else:
                load_year(request.user, year, rows, form.cleaned_data["source"])
                messages.success(
                    request, f"已载入{year}年节假日安排{len(rows)}条，未结案件的期限将在后台重新计算"
                )
                return redirect("admin:core_holidayyear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "上传节假日安排（CSV）",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "core/admin/holiday_upload.html", context)


@admin.register(HolidayDay)
class HolidayDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "is_workday", "name", "year")
    list_filter = ("year", "is_workday")
    date_hierarchy = "date"


# -- audit trail ------------------------------------------------------------------------------------


class AuditActionFilter(admin.SimpleListFilter):
    """Filter by action, listed in words (the audit catalogue), not codes."""

    title = "动作"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditRecord.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((c, audit_catalogue.action_label(c)) for c in codes), key=lambda p: p[1])

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """The tamper-evident audit chain: read-only here (no add, change or delete), shown in words."""

    list_display = ("at", "actor_name", "court_code", "action_words", "detail_words", "case_id")
    list_filter = (AuditActionFilter, "court_code", "object_type")
    search_fields = ("actor_name", "action", "object_id", "=case_id")
    date_hierarchy = "at"
    show_full_result_count = False
    list_select_related = False
    fields = (
        "at",
        "actor",
        "actor_name",
        "court_code",
        "action_words",
        "action",
        "object_type",
        "object_id",
        "case_id",
        "detail_words",
        "before",
        "after",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields

    @admin.display(description="动作", ordering="action")
    def action_words(self, obj: AuditRecord) -> str:
        return audit_catalogue.action_label(obj.action)

    @admin.display(description="内容")
    def detail_words(self, obj: AuditRecord) -> str:
        naming = getattr(obj, "naming", None)  # the list page's, for all its rows (_NamedChangeList)
        return audit_catalogue.summary(obj.action, obj.before, obj.after, naming) or "—"

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return _NamedChangeList


class _NamedChangeList(ChangeList):
    """The audit list: the ids of a page's records are named in one query per kind, not one per row."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        naming = audit_catalogue.Naming((r.action, r.before, r.after) for r in self.result_list)
        for record in self.result_list:
            record.naming = naming


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    """Signed checkpoints of the chains (docs/audit.md): read-only; made by a periodic task or command."""

    list_display = ("seq", "at", "total", "key_id")
    date_hierarchy = "at"
    fields = ("seq", "at", "total", "chains", "prev", "key_id", "signature")
    readonly_fields = fields


# -- admins registered by third-party apps, re-registered audited -----------------------------------


class AuditedGroupAdmin(AuditedModelAdmin, GroupAdmin):
    """Permission groups: membership and permission changes are audited (m2m in the snapshots)."""


class AuditedAccessAttemptAdmin(AuditedModelAdmin, axes_admin.AccessAttemptAdmin):
    """Login lockouts: deleting one unlocks the account, and is audited. The library's clean-up action
    deletes rows outside the selection; expired attempts are cleaned by axes itself."""

    actions: list[Any] = []


class AuditedAccessLogAdmin(AuditedModelAdmin, axes_admin.AccessLogAdmin):
    """Login history: evidence (audit_policy.EXTERNAL), never deleted here."""


class AuditedAccessFailureLogAdmin(AuditedModelAdmin, axes_admin.AccessFailureLogAdmin):
    """Failed-login history: evidence (audit_policy.EXTERNAL), never deleted here."""


for _model, _admin in (
    (Group, AuditedGroupAdmin),
    (AccessAttempt, AuditedAccessAttemptAdmin),
    (AccessLog, AuditedAccessLogAdmin),
    (AccessFailureLog, AuditedAccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):  # as its app decided (axes: AXES_ENABLE_ADMIN)
        admin.site.unregister(_model)
        admin.site.register(_model, _admin)


# -- third-party apps in Chinese on the admin index ---------------------------------------------------

# Their models' Meta cannot change here (it would ask for a migration in the library): the admin's app
# list is renamed instead.
THIRD_PARTY_NAMES: dict[str, tuple[str, dict[str, str]]] = {
    "axes": (
        "登录安全",
        {"accessattempt": "登录失败锁定", "accessfailurelog": "登录失败日志", "accesslog": "登录记录"},
    ),
}
_get_app_list = admin.site.get_app_list


def _app_list_in_chinese(request: HttpRequest, app_label: str | None = None) -> list[Any]:
    app_list = _get_app_list(request, app_label)
    for app in app_list:
        names = THIRD_PARTY_NAMES.get(app["app_label"])
        if names is not None:
            app["name"] = names[0]
            for model in app["models"]:
                model["name"] = names[1].get(model["object_name"].lower(), model["name"])
    return app_list


admin.site.get_app_list = _app_list_in_chinese  # type: ignore[method-assign]
