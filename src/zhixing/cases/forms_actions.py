"""Forms of the case actions (assign, nodes, suspension, excluded periods, extension, closing, resumption,
interest). They only parse input; every rule is checked by the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from zhixing.courts.models import Staff, Team

from .closing import CLOSING_FIELDS
from .form_fields import DateInput, date_field, text_field
from .models import (
    ClosingMode,
    ExcludedPeriod,
    Suspension,
)
from .queries_caseload import open_caseloads

# -- case actions -----------------------------------------------------------------------------------


def handler_label(handlers: Any) -> Any:
    """Label a judge with their current caseload: 张三（在办 23 件）."""
    loads: dict[int, int] | None = None

    def label(staff: Staff) -> str:
        nonlocal loads
        if loads is None:
            loads = open_caseloads([h.pk for h in handlers])
        return f"{staff.full_name}（在办 {loads.get(staff.pk, 0)} 件）"

    return label


class AssignForm(forms.Form):
    handler: forms.ModelChoiceField[Staff] = forms.ModelChoiceField(
        label="承办人",
        queryset=None,
        empty_label="请选择承办法官",
        error_messages={"required": "请选择承办人"},
    )
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label="执行团队", queryset=None, required=False, empty_label="（承办人所在团队）"
    )
    assigned_on = date_field("分案日期", required=False)

    def __init__(self, *args: Any, handlers: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["handler"].label_from_instance = handler_label(handlers)  # type: ignore[attr-defined]
        self.fields["team"].label_from_instance = lambda t: t.name  # type: ignore[attr-defined]


class CompleteNodeForm(forms.Form):
    document_ref = text_field("文书编号", 128, widget=forms.TextInput(attrs={"placeholder": "文书编号"}))
    completed_on = date_field("完成日期", required=False)
    note = text_field("备注", 200)


class AddNodeForm(forms.Form):
    node_type = forms.ChoiceField(label="节点")
    started_on = date_field("起算日", required=False, help_text="收到财产线索之日，默认今天")
    note = text_field("财产线索", 200)

    def __init__(self, *args: Any, node_types: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["node_type"].choices = [(nt.code, nt.name) for nt in node_types]  # type: ignore[attr-defined]


class SuspendForm(forms.Form):
    ground = forms.ChoiceField(
        label="中止事由", choices=[("", "请选择法定事由"), *Suspension.Ground.choices], required=False
    )
    # rule
    start = date_field(
        "中止日期",
        help_text="中止执行裁定送达当事人之日（民事诉讼法第269条：送达后立即生效），执行期限自该日停止计算",
    )
    document_ref = text_field("中止裁定书文号", 128)
    instrument_review = forms.BooleanField(
        label="因审查执行依据而中止", required=False, help_text="如不予执行仲裁裁决、公证债权文书的审查期间"
    )
    debtor_requested = forms.BooleanField(
        label="因被执行人申请",
        required=False,
        help_text="对执行依据审查而中止/暂缓的，因被执行人申请的照常计算加倍部分债务利息",
    )


class ExcludedPeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label="期间类型",
        choices=[("", "请选择（审限规定第9条）"), *ExcludedPeriod.Kind.choices],
        required=False,
    )
    start = date_field("开始日期")
    document_ref = text_field("文书文号", 128, help_text="暂缓执行决定书、委托鉴定书、拍卖公告等")
    note = text_field("说明", 200)
    debtor_requested = forms.BooleanField(
        label="因被执行人申请",
        required=False,
        help_text="对执行依据审查而中止/暂缓的，因被执行人申请的照常计算加倍部分债务利息",
    )


class EndExcludedPeriodForm(forms.Form):
    end = date_field("结束日期")
    document_ref = text_field("结束文书文号", 128)


class ResumeExecutionForm(forms.Form):
    on = date_field("恢复日期")
    document_ref = text_field("恢复执行通知书文号", 128)


class ExtensionForm(forms.Form):
    reason = forms.CharField(
        label="延长理由", required=False, max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    """Approve/reject an extension: no input, carries the service's error."""


def closing_field_name(mode: str, name: str) -> str:
    return f"{mode}__{name}"


class CloseForm(forms.Form):
    """The closing mode plus every mode's fields (`<mode>__<field>`); only the chosen mode's are sent on."""

    mode = forms.ChoiceField(
        label="结案方式", choices=[("", "请选择结案方式"), *ClosingMode.choices], required=False
    )
    closed_on = date_field("结案日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for mode, specs in CLOSING_FIELDS.items():
            for spec in specs:
                field: forms.Field
                if spec.kind == "choice":
                    field = forms.ChoiceField(
                        label=spec.label, required=False, choices=[("", "请选择"), *spec.choices]
                    )
                elif spec.kind == "date":
                    field = forms.CharField(label=spec.label, required=False, widget=DateInput())
                else:
                    field = forms.CharField(label=spec.label, required=False, max_length=200)
                self.fields[closing_field_name(mode, spec.name)] = field

    def mode_groups(self) -> list[tuple[str, str, list[Any]]]:
        """(mode, label, bound fields) for the template's per-mode fieldsets."""
        labels = dict(ClosingMode.choices)
        return [
            (mode, str(labels[mode]), [self[closing_field_name(mode, s.name)] for s in specs])
            for mode, specs in CLOSING_FIELDS.items()
        ]

    def details(self) -> dict[str, str]:
        mode = self.cleaned_data.get("mode") or ""
        return {
            spec.name: str(self.cleaned_data.get(closing_field_name(mode, spec.name)) or "")
            for spec in CLOSING_FIELDS.get(mode, ())
        }

    def aliases(self) -> dict[str, str]:
        """Service field → form field for the chosen mode."""
        mode = self.cleaned_data.get("mode") or ""
        out = {"closing_mode": "mode"}
        out.update({s.name: closing_field_name(mode, s.name) for s in CLOSING_FIELDS.get(mode, ())})
        return out


class ResumeCaseForm(forms.Form):
    applied_on = date_field("申请恢复执行日期")
    reason = forms.CharField(
        label="恢复执行事由",
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：申请执行人发现被执行人有可供执行的财产",
    )


INTEREST_HORIZON_YEARS = 10


class InterestForm(forms.Form):
    """The day delay interest is computed to: from the judgment's effective day to ten years ahead (a
    day past that is a typo, 9999-12-31 once computed 2,912,361 days)."""

    until = date_field("计算至")

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_until(self) -> Any:
        day: date = self.cleaned_data["until"]
        start = getattr(self.case, "effective_on", None)
        if start is not None and day < start:
            raise forms.ValidationError(f"计算至不能早于执行依据生效日期（{start.isoformat()}）")
        today = timezone.localdate()
        try:
            last = today.replace(year=today.year + INTEREST_HORIZON_YEARS)
        except ValueError:  # 29 February
            last = today.replace(year=today.year + INTEREST_HORIZON_YEARS, day=28)
        if day > last:
            raise forms.ValidationError(
                f"计算至不能晚于{last.isoformat()}（今后{INTEREST_HORIZON_YEARS}年内）"
            )
        return day
