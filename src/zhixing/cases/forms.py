"""Forms of the staff screens. They only parse input; every rule is checked by the services.

Fields the services validate (ID numbers, amounts, document numbers) are optional text here, so the
user sees the service's own Chinese message on the right field instead of a generic "必填".
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.forms import formset_factory

from zhixing.core.errors import ServiceError
from zhixing.courts.models import Staff, Team

from .closing import CLOSING_FIELDS
from .models import (
    CaseStatus,
    CaseType,
    ClosingMode,
    ExcludedPeriod,
    InstrumentType,
    Obligation,
    Party,
    Suspension,
)
from .queries import CaseFilters
from .queries_caseload import open_caseloads
from .queries_preservation import open_preservations

_DATE_FORMAT = "%Y-%m-%d"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=_DATE_FORMAT)


def date_field(label: str, *, required: bool = True, **kw: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}应为有效日期（YYYY-MM-DD）"},
        **kw,
    )


def text_field(label: str, max_length: int = 128, **kw: Any) -> forms.CharField:
    kw.setdefault("required", False)
    return forms.CharField(label=label, max_length=max_length, **kw)


def apply_service_error(
    form: forms.BaseForm, exc: ServiceError, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's message on the form field it names, or on the form itself."""
    name = (aliases or {}).get(exc.field or "", exc.field)
    if name and name in form.fields:
        form.add_error(name, exc.message)
    else:
        form.add_error(None, exc.message)


# -- case list --------------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="案号/当事人/证件号",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": "案号任意部分、姓名或证件号后4位", "type": "search"}),
    )
    court = forms.ChoiceField(label="法院", required=False)
    handler = forms.TypedChoiceField(label="承办人", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *CaseStatus.choices])
    overdue = forms.BooleanField(label="仅看超期", required=False)
    debtor = forms.CharField(label="被执行人姓名/证件号", required=False, max_length=64)
    applicant = forms.CharField(label="申请执行人", required=False, max_length=64)
    filed_from = date_field("立案日期自", required=False)
    filed_to = date_field("立案日期至", required=False)

    def __init__(self, data: Any, *, courts: list[Any], handlers: list[Any]) -> None:
        super().__init__(data)
        self.fields["court"].choices = [("", "全部法院"), *((c.code, c.name) for c in courts)]  # type: ignore[attr-defined]
        multi_court = len({h.court_id for h in handlers}) > 1
        self.fields["handler"].choices = [  # type: ignore[attr-defined]
            ("", "全部承办人"),
            *((h.pk, f"{h.full_name}（{h.court.code}）" if multi_court else h.full_name) for h in handlers),
        ]

    def to_filters(self) -> CaseFilters:
        """Valid filters; an invalid one is dropped (its error is shown next to it)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CaseFilters(
            court=data.get("court") or "",
            handler=data.get("handler"),
            status=data.get("status") or "",
            overdue=bool(data.get("overdue")),
            debtor=(data.get("debtor") or "").strip(),
            filed_from=data.get("filed_from"),
            filed_to=data.get("filed_to"),
            q=(data.get("q") or "").strip(),
            applicant=(data.get("applicant") or "").strip(),
        )


# -- filing -----------------------------------------------------------------------------------------

FORMER_NAME_SPLIT = re.compile(r"[,，、;；\s]+")


class FilingForm(forms.Form):
    case_type = forms.ChoiceField(label="案件类型")
    applied_on = date_field("申请执行日期")
    filed_on = date_field("立案日期")
    instrument_type = forms.ChoiceField(label="执行依据类型")
    issuing_body = text_field("作出机关", 64)
    basis_number = text_field("执行依据文号", 64)
    effective_on = date_field("生效日期")
    # rule
    performance_deadline = date_field(
        "履行期限届满日",
        help_text="分期履行的填最后一期届满日；执行依据未规定履行期间的填生效日期"
        "（申请执行期间自生效之日起计算，民事诉讼法第250条）",
    )
    obligation = forms.ChoiceField(
        label="执行内容", choices=Obligation.choices, initial=Obligation.MONEY, required=False
    )
    obligation_detail = text_field(
        "履行内容", 200, help_text="行为履行案件必填：应交付的物、应迁出的房屋或应完成的行为"
    )
    principal = text_field("本金（元）", 32, help_text="行为履行案件无金钱给付的填0")
    adjudged_interest = text_field("判决利息（元）", 32, initial="0")
    litigation_costs = text_field("诉讼费用（元）", 32, initial="0")
    interest_rate = text_field(
        "判决年利率（%）",
        16,
        help_text="执行依据判令按年利率计付利息至实际清偿之日的填写，如3.45；只判固定利息数额的不填",
    )
    interest_from = date_field("利息起算日", required=False, help_text="按年利率计付利息的起算日（含当日）")
    instalments = forms.CharField(
        label="分期履行",
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2025-12-31 30000\n2026-01-31 70000"}),
        help_text="执行依据确定分期履行的，每行一期：履行期限届满日 金额；各期之和等于本金与诉讼费用之和，"
        "最后一期届满日即履行期限届满日。不分期的不填",
    )
    application_fee = text_field(
        "申请执行费（元）",
        32,
        help_text="仅无执行金额的案件填写，50至500元（诉讼费用交纳办法第14条）；不填按本院默认",
    )
    lawsuit_number = text_field(
        "诉讼案号（保全案件）",
        64,
        help_text="仅“执保”案件填写：作出保全裁定的诉讼案件案号；执行依据文号填保全裁定书文号",
    )
    preservation_case = forms.ChoiceField(
        label="转入的保全案件",
        required=False,
        help_text="判决生效后申请执行的，本院同一诉讼、当事人一致的保全案件的查封冻结措施转入本案，"
        "保持原顺位、期限与续行记录；不选时按执行依据文号（即诉讼案号）与当事人自动匹配",
    )
    confirm_duplicate = forms.BooleanField(label="确认重复立案", required=False)
    # The numbers of the duplicates the warning showed: the confirmation covers these cases only.
    duplicate_of = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)

    def clean_instalments(self) -> list[tuple[date, str]]:
        """Lines "YYYY-MM-DD amount" (any spaces, tabs or a comma between), one instalment each."""
        out: list[tuple[date, str]] = []
        for n, line in enumerate((self.cleaned_data.get("instalments") or "").splitlines(), start=1):
            parts = [p for p in re.split(r"[\s,，]+", line.strip()) if p]
            if not parts:
                continue
            if len(parts) != 2:
                raise forms.ValidationError(f"第{n}行应为“履行期限届满日 金额”，如 2026-01-31 30000")
            try:
                due_on = date.fromisoformat(parts[0])
            except ValueError:
                raise forms.ValidationError(f"第{n}行的日期应为有效日期（YYYY-MM-DD）") from None
            out.append((due_on, parts[1]))
        return out

    def confirmed_duplicates(self) -> list[str] | None:
        """The case numbers the user confirmed filing beside (None: the warning listed none)."""
        shown = self.cleaned_data.get("duplicate_of") or ""
        return [n for n in shown.split("、") if n] or None

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [  # type: ignore[attr-defined]
            (t.code, f"{t.code}（{t.name}）")
            for t in CaseType.objects.filter(active=True, is_resumption=False)
        ]
        # 诉执衔接: the court's open preservation cases not yet carried, for the clerk to choose.
        self.preservations = open_preservations(court) if court is not None else []
        self.fields["preservation_case"].choices = [  # type: ignore[attr-defined]
            ("", "按诉讼案号与当事人自动匹配"),
            *(
                (
                    r.number,
                    f"{r.number}（诉讼案号{r.lawsuit_number}；{'、'.join(r.applicants)}诉{'、'.join(r.debtors)}）",
                )
                for r in self.preservations
            ),
        ]
        self.fields["instrument_type"].choices = [  # type: ignore[attr-defined]
            ("", "请选择"),
            *((i.code, i.name) for i in InstrumentType.objects.all()),
        ]
        self.fields["instrument_type"].error_messages["required"] = "请选择执行依据类型"


class PartyForm(forms.Form):
    role = forms.ChoiceField(label="诉讼地位", choices=Party.Role.choices, initial=Party.Role.DEBTOR)
    kind = forms.ChoiceField(label="主体类型", choices=Party.Kind.choices, initial=Party.Kind.PERSON)
    name = text_field("姓名/名称", 128)
    id_type = forms.ChoiceField(
        label="证件类型",
        required=False,
        choices=[("", "默认（自然人：居民身份证；单位：统一社会信用代码）"), *Party.IdType.choices],
    )
    id_number = text_field("证件号码", 32, help_text="单位无统一社会信用代码时填组织机构代码或境外登记号码")
    nationality = text_field("国籍/地区", 3, help_text="护照、境外登记号码必填，如USA、GBR、HKG")
    birth_date = date_field("出生日期", required=False, help_text="证件号码不含出生日期时填写（如护照）")
    credit_code = text_field("统一社会信用代码", 32)
    legal_representative = text_field("法定代表人", 64)
    address = text_field("住所地", 200)
    phone = text_field("联系电话", 32)
    former_names = text_field("曾用名", 200, help_text="多个用逗号或顿号分隔")

    def is_blank(self) -> bool:
        """A row the user added but left empty is ignored."""
        data = getattr(self, "cleaned_data", {})
        keys = (
            "name",
            "id_number",
            "nationality",
            "credit_code",
            "legal_representative",
            "address",
            "phone",
            "former_names",
        )
        return not any((data.get(k) or "").strip() for k in keys)

    def former_name_list(self) -> list[str]:
        return [n for n in FORMER_NAME_SPLIT.split(self.cleaned_data.get("former_names") or "") if n]


PartyFormSet = formset_factory(PartyForm, extra=0, min_num=1, max_num=30, validate_max=True)

INITIAL_PARTIES = [
    {"role": Party.Role.APPLICANT, "kind": Party.Kind.PERSON},
    {"role": Party.Role.DEBTOR, "kind": Party.Kind.PERSON},
]

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


class InterestForm(forms.Form):
    until = date_field("计算至")
