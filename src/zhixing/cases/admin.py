"""Back office for the reference data of cases: case types, instrument types, node types.

Node budgets and units are data (several limits in rules.md are local or unconfirmed); after a change
every open case's deadlines are recomputed in the background. Every write is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest

from zhixing.core.admin import AuditedModelAdmin

from .reference import CaseType, InstrumentType, NodeType


@admin.register(CaseType)
class CaseTypeAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "family", "is_resumption", "active", "confirmed")
    list_editable = ("active", "confirmed")
    list_filter = ("family", "active", "confirmed")
    search_fields = ("code", "name")


@admin.register(InstrumentType)
class InstrumentTypeAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "non_litigation")
    list_editable = ("non_litigation",)
    search_fields = ("code", "name")


@admin.register(NodeType)
class NodeTypeAdmin(AuditedModelAdmin):
    list_display = (
        "code",
        "name",
        "order",
        "budget",
        "budget_non_litigation",
        "unit",
        "anchor",
        "yellow_workdays",
        "auto_create",
        "completion",
        "active",
    )
    list_editable = ("budget", "budget_non_litigation", "unit", "yellow_workdays", "active")
    list_filter = ("unit", "completion", "active")
    search_fields = ("code", "name", "legal_basis")
    ordering = ("order", "id")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not getattr(request, "_zhixing_recompute", False):
            request._zhixing_recompute = True  # type: ignore[attr-defined]
            transaction.on_commit(_recompute_open_cases)
            messages.info(request, "节点期限设置已修改，未结案件的期限将在后台重新计算")


def _recompute_open_cases() -> None:
    from .tasks import recompute_open_cases_task

    recompute_open_cases_task()
